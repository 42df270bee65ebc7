import { Temporal } from 'temporal-polyfill';

/**
 * The Bulgarian working-day calendar: Labour Code Art. 154 holidays, Orthodox Easter, the Art. 154(2)
 * moved days and a table of Council of Ministers decisions. Pure: no I/O and no clock.
 *
 * Regulatory: docs/decisions.md#d9-d10; /work/shared/domain/bulgarian-identifiers-codes-and-nhis.md §5;
 * fixture bg-official-non-working-weekdays-2022-2026.md.
 */

/** A Council of Ministers decision that changes one date: an extra day off or a working Saturday. */
export type CalendarDecision = {
  /** The affected date, `YYYY-MM-DD`. */
  date: string;
  /** `day_off`: a weekday that is not worked; `working_day`: a Saturday or Sunday that is worked. */
  kind: 'day_off' | 'working_day';
  /** Where the decision comes from (decision number, gazette issue), shown in the admin table. */
  source: string;
};

/** Why a date is not worked. */
export type HolidayKind =
  /** A fixed-date holiday of Labour Code Art. 154(1). */
  | 'holiday'
  /** A day off under Art. 154(2) for a non-Easter holiday that fell on a Saturday or Sunday. */
  | 'moved'
  /** Good Friday, Holy Saturday, Easter Sunday or Easter Monday. */
  | 'easter'
  /** A day off by Council of Ministers decision. */
  | 'decision';

/** One day off in a year, with its name in Bulgarian and English. */
export type CalendarHoliday = {
  date: Temporal.PlainDate;
  name: { bg: string; en: string };
  kind: HolidayKind;
};

/** A deadline rule: the n-th working day after the completion date, at a fixed or the same clock time. */
export type WorkingDeadlineRule = {
  /** How many working days after the local completion date; an integer ≥ 1. */
  workingDays: number;
  /** Local time of day of the deadline; when absent, the local clock time of completion. */
  atTime?: Temporal.PlainTime;
};

/** The working-day calendar returned by {@link createWorkingCalendar}. */
export type WorkingCalendar = ReturnType<typeof createWorkingCalendar>;

/**
 * Council of Ministers decisions known to the domain documents.
 *
 * Regulatory: the 2016 entries are Решение № 935/30.11.2015 (bridge days off with compensating working
 * Saturdays, bulgarian-identifiers-codes-and-nhis.md §5); 2025-12-31 and 2026-01-02 are the one-off
 * euro-changeover days off of the fixture bg-official-non-working-weekdays-2022-2026.md, for which the
 * documents give no compensating working Saturday.
 */
export const KNOWN_DECISIONS: readonly CalendarDecision[] = Object.freeze([
  { date: '2016-03-04', kind: 'day_off', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 1' },
  { date: '2016-03-12', kind: 'working_day', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 1' },
  { date: '2016-05-23', kind: 'day_off', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 2' },
  { date: '2016-05-14', kind: 'working_day', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 2' },
  { date: '2016-09-05', kind: 'day_off', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 3' },
  { date: '2016-09-10', kind: 'working_day', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 3' },
  { date: '2016-09-23', kind: 'day_off', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 4' },
  { date: '2016-09-17', kind: 'working_day', source: 'РМС № 935/30.11.2015 (ДВ бр. 94/2015), т. 4' },
  {
    date: '2025-12-31',
    kind: 'day_off',
    source: 'РМС от 19.11.2025, еднократно във връзка с въвеждането на еврото (bg-official-non-working-weekdays-2022-2026.md)',
  },
  {
    date: '2026-01-02',
    kind: 'day_off',
    source: 'РМС от 19.11.2025, еднократно във връзка с въвеждането на еврото (bg-official-non-working-weekdays-2022-2026.md)',
  },
] satisfies CalendarDecision[]);

type HolidayName = { bg: string; en: string };

/** Regulatory: Labour Code Art. 154(1), the fixed-date official holidays. */
const FIXED_HOLIDAYS: readonly { month: number; day: number; name: HolidayName }[] = [
  { month: 1, day: 1, name: { bg: 'Нова година', en: "New Year's Day" } },
  {
    month: 3,
    day: 3,
    name: { bg: 'Ден на Освобождението на България от османско иго', en: 'Liberation Day' },
  },
  {
    month: 5,
    day: 1,
    name: { bg: 'Ден на труда и на международната работническа солидарност', en: 'Labour Day' },
  },
  {
    month: 5,
    day: 6,
    name: {
      bg: 'Гергьовден, Ден на храбростта и Българската армия',
      en: "St George's Day, Day of Bravery and the Bulgarian Army",
    },
  },
  {
    month: 5,
    day: 24,
    name: {
      bg: 'Ден на светите братя Кирил и Методий, на българската азбука, просвета и култура и на славянската книжовност',
      en: 'Day of Saints Cyril and Methodius, of the Bulgarian Alphabet, Education and Culture',
    },
  },
  { month: 9, day: 6, name: { bg: 'Ден на Съединението', en: 'Unification Day' } },
  { month: 9, day: 22, name: { bg: 'Ден на Независимостта на България', en: 'Independence Day' } },
  { month: 12, day: 24, name: { bg: 'Бъдни вечер', en: 'Christmas Eve' } },
  { month: 12, day: 25, name: { bg: 'Рождество Христово', en: 'Christmas Day' } },
  { month: 12, day: 26, name: { bg: 'Рождество Христово (втори ден)', en: 'Second Day of Christmas' } },
];

/** Regulatory: Labour Code Art. 154(1), Orthodox Easter from Good Friday to Easter Monday. */
const EASTER_DAYS: readonly { offset: number; name: HolidayName }[] = [
  { offset: -2, name: { bg: 'Велики петък', en: 'Good Friday' } },
  { offset: -1, name: { bg: 'Велика събота', en: 'Holy Saturday' } },
  { offset: 0, name: { bg: 'Великден', en: 'Easter Sunday' } },
  { offset: 1, name: { bg: 'Великден (понеделник)', en: 'Easter Monday' } },
];

const DECISION_DAY_OFF_NAME: HolidayName = {
  bg: 'Неприсъствен ден с решение на Министерския съвет',
  en: 'Day off by Council of Ministers decision',
};

/** Regulatory: Labour Code Art. 154(2) in its wording in force from 2017-01-01. */
const MOVED_DAYS_FROM_YEAR = 2017;

/** Tricky: the Julian→Gregorian shift formula below is only meaningful in the Gregorian era. */
const FIRST_GREGORIAN_YEAR = 1583;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Computes Orthodox Easter Sunday as a Gregorian date.
 *
 * @param year - the Gregorian year, an integer ≥ 1583
 * @returns Easter Sunday of the Eastern Orthodox Church in the Gregorian calendar
 * @throws {RangeError} when year is not an integer ≥ 1583
 */
export function orthodoxEaster(year: number): Temporal.PlainDate {
  if (!Number.isInteger(year) || year < FIRST_GREGORIAN_YEAR) {
    throw new RangeError(`orthodoxEaster: year must be an integer ≥ ${FIRST_GREGORIAN_YEAR}, got ${year}`);
  }
  // Regulatory: Meeus' Julian algorithm as given in bulgarian-identifiers-codes-and-nhis.md §5.
  const a = year % 4;
  const b = year % 7;
  const c = year % 19;
  const d = (19 * c + 15) % 30;
  const e = (2 * a + 4 * b - d + 34) % 7;
  const month = Math.floor((d + e + 114) / 31);
  const day = ((d + e + 114) % 31) + 1;
  // Tricky: the Julian date is read as a Gregorian label and shifted; the shift (13 days in 1900-2099)
  // is the one in force from Julian 1 March of the year, which always precedes Easter.
  const shift = Math.floor(year / 100) - Math.floor(year / 400) - 2;
  return Temporal.PlainDate.from({ year, month, day }).add({ days: shift });
}

/**
 * Builds a Bulgarian working-day calendar over the statutory rules and a decision table.
 *
 * @param decisions - Council of Ministers decisions (extra days off, working Saturdays); defaults to {@link KNOWN_DECISIONS}
 * @returns pure working-day queries and the Art. 17 deadline helper
 * @throws {RangeError} when a decision has a malformed date, two decisions share a date, or a
 *   `working_day` decision falls on a statutory holiday or moved day
 */
export function createWorkingCalendar(decisions: readonly CalendarDecision[] = KNOWN_DECISIONS) {
  const decisionByDate = new Map<string, CalendarDecision>();
  for (const decision of decisions) {
    if (!ISO_DATE.test(decision.date)) {
      throw new RangeError(`Calendar decision date must be YYYY-MM-DD, got ${JSON.stringify(decision.date)}`);
    }
    // Throws RangeError on impossible dates such as 2026-02-30.
    const date = Temporal.PlainDate.from(decision.date, { overflow: 'reject' });
    if (decisionByDate.has(date.toString())) {
      throw new RangeError(`Two calendar decisions for ${date.toString()}`);
    }
    decisionByDate.set(date.toString(), decision);
  }

  const statutoryCache = new Map<number, { entries: CalendarHoliday[]; offDates: Set<string> }>();
  const statutoryOf = (year: number) => {
    let cached = statutoryCache.get(year);
    if (!cached) {
      const entries = statutoryHolidays(year);
      cached = { entries, offDates: new Set(entries.map((h) => h.date.toString())) };
      statutoryCache.set(year, cached);
    }
    return cached;
  };

  for (const decision of decisionByDate.values()) {
    const date = Temporal.PlainDate.from(decision.date);
    // Tricky: the Council of Ministers moves ordinary working days; it cannot make a Labour Code
    // holiday (or an Art. 154(2) moved day) a working day, so such a row is a data-entry error.
    if (decision.kind === 'working_day' && statutoryOf(date.year).offDates.has(decision.date)) {
      throw new RangeError(`Calendar decision makes statutory day off ${decision.date} a working day`);
    }
  }

  const isWorkingDay = (d: Temporal.PlainDate): boolean => {
    const key = d.toString();
    const decision = decisionByDate.get(key);
    if (decision) return decision.kind === 'working_day';
    if (d.dayOfWeek >= 6) return false;
    return !statutoryOf(d.year).offDates.has(key);
  };

  const addWorkingDays = (d: Temporal.PlainDate, n: number): Temporal.PlainDate => {
    if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays: n must be an integer, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let date = d;
    for (let remaining = Math.abs(n); remaining > 0; ) {
      date = date.add({ days: step });
      if (isWorkingDay(date)) remaining -= 1;
    }
    return date;
  };

  return {
    /**
     * Tells whether a date is a working day in Bulgaria.
     *
     * @param d - the calendar date
     * @returns true for Monday-Friday that is not a holiday, moved day or decided day off, and for a decided working Saturday
     */
    isWorkingDay,

    /**
     * Lists the days off of a year: Art. 154 holidays (also those on a weekend), Easter days, moved days and decided days off.
     *
     * @param year - the Gregorian year
     * @returns entries sorted by date; two entries can share a date when holidays coincide (e.g. 2024-05-06)
     */
    holidaysOf(year: number): CalendarHoliday[] {
      const decided: CalendarHoliday[] = [...decisionByDate.values()]
        .filter((x) => x.kind === 'day_off' && x.date.startsWith(`${String(year).padStart(4, '0')}-`))
        .map((x) => ({ date: Temporal.PlainDate.from(x.date), name: DECISION_DAY_OFF_NAME, kind: 'decision' }));
      // Array.prototype.sort is stable, so coinciding entries keep the fixed → Easter → moved → decision order.
      return [...statutoryOf(year).entries, ...decided].sort((x, y) => Temporal.PlainDate.compare(x.date, y.date));
    },

    /**
     * Finds the first working day strictly after a date.
     *
     * @param d - the date to start from (not itself considered)
     * @returns the next working day after d
     */
    nextWorkingDay(d: Temporal.PlainDate): Temporal.PlainDate {
      return addWorkingDays(d, 1);
    },

    /**
     * Moves a date by a number of working days.
     *
     * @param d - the date to start from; it is not counted, so n = 0 returns d even on a day off
     * @param n - how many working days to move; negative moves backwards
     * @returns the n-th working day after d (or before d when n is negative)
     * @throws {RangeError} when n is not an integer
     */
    addWorkingDays,

    /**
     * Lists the Monday-Friday dates of a year that are not working days.
     *
     * @param year - the Gregorian year
     * @returns the non-working weekdays in date order, as in the fixture bg-official-non-working-weekdays-2022-2026.md
     */
    nonWorkingWeekdays(year: number): Temporal.PlainDate[] {
      const result: Temporal.PlainDate[] = [];
      const end = Temporal.PlainDate.from({ year: year + 1, month: 1, day: 1 });
      for (let d = Temporal.PlainDate.from({ year, month: 1, day: 1 }); Temporal.PlainDate.compare(d, end) < 0; d = d.add({ days: 1 })) {
        if (d.dayOfWeek <= 5 && !isWorkingDay(d)) result.push(d);
      }
      return result;
    },

    /**
     * Computes an Art. 17 deadline: the n-th working day after the local completion date, at a given or the same clock time.
     *
     * @param completedAt - when the service was completed (the deadline clock starts here, R-TM-39)
     * @param rule - `{ workingDays: 1, atTime: 16:00 }` for planned care (R-TM-35), `{ workingDays: 2 }` for a complex case (R-TM-36)
     * @param timeZone - the IANA zone of the providing facility, e.g. the organisation's `Europe/Sofia`
     * @returns the deadline instant
     * @throws {RangeError} when rule.workingDays is not an integer ≥ 1 or timeZone is unknown
     */
    workingDeadline(completedAt: Temporal.Instant, rule: WorkingDeadlineRule, timeZone: string): Temporal.Instant {
      if (!Number.isInteger(rule.workingDays) || rule.workingDays < 1) {
        throw new RangeError(`workingDeadline: workingDays must be an integer ≥ 1, got ${rule.workingDays}`);
      }
      // Time zone: working days are counted from the local date of completion, not the UTC date
      // (00:30 Sofia on a Friday is still Thursday in UTC).
      const local = completedAt.toZonedDateTimeISO(timeZone);
      // Regulatory: A-12(a) counts from the completion date even when completion falls on a day off,
      // so a Saturday completion is due on Monday.
      const dueDate = addWorkingDays(local.toPlainDate(), rule.workingDays);
      const dueTime = rule.atTime ?? local.toPlainTime();
      // Time zone: a wall time in a spring-forward gap moves forward by the gap and a repeated
      // fall-back time takes the earlier instant (Temporal 'compatible'), pinned in calendar.test.ts.
      return dueDate.toPlainDateTime(dueTime).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).toInstant();
    },
  };
}

/** The statutory days off of a year: fixed holidays, Easter days and (from 2017) moved days. */
function statutoryHolidays(year: number): CalendarHoliday[] {
  const fixed: CalendarHoliday[] = FIXED_HOLIDAYS.map(({ month, day, name }) => ({
    date: Temporal.PlainDate.from({ year, month, day }),
    name,
    kind: 'holiday',
  }));
  const easterSunday = orthodoxEaster(year);
  const easter: CalendarHoliday[] = EASTER_DAYS.map(({ offset, name }) => ({
    date: easterSunday.add({ days: offset }),
    name,
    kind: 'easter',
  }));
  const off = new Set([...fixed, ...easter].map((h) => h.date.toString()));

  const moved: CalendarHoliday[] = [];
  if (year >= MOVED_DAYS_FROM_YEAR) {
    // Regulatory: Art. 154(2) — a holiday other than Easter on a Saturday or Sunday makes "the first
    // or first two working days after" it days off. Processing the holidays in date order and skipping
    // days already taken gives 24-26 December on Sat-Mon two moved days (27th and 28th), and never
    // lands a moved day on another holiday or Easter Monday (2021: 1 May on Holy Saturday → 4 May).
    // Tricky: the latest fixed holiday is 26 December, so a moved day never crosses into the next year.
    for (const holiday of fixed) {
      if (holiday.date.dayOfWeek < 6) continue;
      let candidate = holiday.date.add({ days: 1 });
      while (candidate.dayOfWeek >= 6 || off.has(candidate.toString())) candidate = candidate.add({ days: 1 });
      off.add(candidate.toString());
      moved.push({
        date: candidate,
        name: { bg: `Неприсъствен ден за ${holiday.name.bg}`, en: `Day off in lieu of ${holiday.name.en}` },
        kind: 'moved',
      });
    }
  }
  return [...fixed, ...easter, ...moved].sort((x, y) => Temporal.PlainDate.compare(x.date, y.date));
}
