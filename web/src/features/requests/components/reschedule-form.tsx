import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { locales, useFormatDateTime, useLanguage, useT } from '../../../i18n/index.js';
import type { RequestWithAppointment } from '../api.js';
import { ChangeActions, ChangeRefusal, ReasonField, isStaleProblem } from './change-form-parts.js';
import { changeWindowText } from './change-window.js';

/** How far ahead free times are offered for a new appointment. */
const SEARCH_DAYS = 28;
// Time zone: days and times are shown as the schedule is published, in Bulgarian time (STYLE C19).
const ZONE = 'Europe/Sofia';
const dayKeyFormat = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

type FreeSlot = { id: string; start: string };
const NO_SLOTS: readonly FreeSlot[] = [];

/** Free slots by their day in Sofia, in time order: a day is chosen first, then a time (a day holds up to 28). */
function byDay(slots: readonly FreeSlot[]): Map<string, FreeSlot[]> {
  const days = new Map<string, FreeSlot[]>();
  for (const s of [...slots].sort((a, b) => a.start.localeCompare(b.start))) {
    const key = dayKeyFormat.format(new Date(s.start));
    days.set(key, [...(days.get(key) ?? []), s]);
  }
  return days;
}

export interface RescheduleFormProps {
  /** The request (with a live appointment of a known specialist and service). */
  item: RequestWithAppointment;
  /** After the server moved the appointment. */
  onDone(updated: RequestWithAppointment): void | Promise<void>;
  /** The request changed meanwhile (stale version or status): the page should reload it. */
  onStale(): void;
  onClose(): void;
}

/**
 * Moves a real-time request to another free time of the same specialist and service (R-TM-30: only a
 * published slot), under the facility's change rules. A time someone else took first (409
 * `appointment.slot_taken`) is said plainly, the old appointment is kept, the list is refreshed and the
 * reason stays filled in.
 */
export function RescheduleForm({ item, onDone, onStale, onClose }: RescheduleFormProps) {
  const t = useT();
  const fmt = useFormatDateTime();
  const { language } = useLanguage();
  const api = useApi();
  const ids = useId();
  const takenRef = useRef<HTMLDivElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [day, setDay] = useState<string>();
  const [slotId, setSlotId] = useState<string>();
  const [reason, setReason] = useState('');
  const [missingSlot, setMissingSlot] = useState(false);
  const [missingReason, setMissingReason] = useState(false);
  const [taken, setTaken] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const { practitionerId, serviceId } = item.request.provider;
  const currentSlot = item.request.slotId;

  const free = useResource(practitionerId && serviceId ? `reschedule/${practitionerId}/${serviceId}/${currentSlot ?? ''}` : null, async (a) => {
    const from = new Date();
    const to = new Date(from.getTime() + SEARCH_DAYS * 86_400_000);
    const r = await a.requests.freeSlots(practitionerId ?? '', serviceId ?? '', from.toISOString(), to.toISOString());
    return r.items.filter((s) => s.id !== currentSlot);
  });
  // A list that could not be read offers no time (the problem says why).
  const slots: readonly FreeSlot[] | undefined = free.state === 'problem' ? NO_SLOTS : valueOf(free);
  const shownProblem = problem ?? problemOf(free);

  useEffect(() => {
    if (taken) takenRef.current?.focus();
  }, [taken]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const chosen = slots?.find((s) => s.id === slotId);
    setMissingSlot(!chosen);
    setMissingReason(!reason.trim());
    if (!chosen) return;
    if (!reason.trim()) {
      reasonRef.current?.focus();
      return;
    }
    setBusy(true);
    setProblem(undefined);
    setTaken(undefined);
    try {
      const updated = await api.requests.transition(item.request.id, { action: 'reschedule', slotId: chosen.id, reason: reason.trim(), version: item.request.version });
      await onDone(updated);
    } catch (err) {
      const p = problemFromError(err);
      if (p.code === 'appointment.slot_taken') {
        // Concurrency: the server refused the whole change in one transaction, so the old time still holds.
        setTaken(fmt(new Date(chosen.start)));
        setSlotId(undefined);
        free.reload();
      } else {
        setProblem(p);
        if (isStaleProblem(p)) onStale();
      }
    } finally {
      setBusy(false);
    }
  }

  const days = useMemo(() => byDay(slots ?? []), [slots]);
  const shownDay = day && days.has(day) ? day : days.keys().next().value;
  const dayTimes = (shownDay ? days.get(shownDay) : undefined) ?? [];
  const { dayLabel, timeLabel } = useMemo(
    () => ({
      dayLabel: new Intl.DateTimeFormat(locales[language], { timeZone: ZONE, weekday: 'long', day: 'numeric', month: 'long' }),
      timeLabel: new Intl.DateTimeFormat(locales[language], { timeZone: ZONE, hour: '2-digit', minute: '2-digit' }),
    }),
    [language],
  );

  const windowText = changeWindowText(shownProblem, t);
  return (
    <section className="request-change" aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>{t('requests.detail.reschedule.title')}</h3>
      <p className="request-hint">{t('requests.detail.reschedule.rules')}</p>
      {taken ? (
        <div ref={takenRef} tabIndex={-1} role="alert" className="request-change__taken" data-problem-code="appointment.slot_taken">
          {t('requests.detail.reschedule.taken', { time: taken })}
        </div>
      ) : null}
      <ChangeRefusal windowText={windowText} problem={shownProblem} />
      <form className="booking-form" onSubmit={(e) => void submit(e)} noValidate>
        <fieldset aria-describedby={missingSlot ? `${ids}-missing` : undefined}>
          <legend>{t('requests.detail.reschedule.slots')}</legend>
          {slots === undefined ? <p role="status">{t('requests.detail.reschedule.loadingSlots')}</p> : null}
          {slots?.length === 0 ? <p>{t('requests.detail.reschedule.noSlots')}</p> : null}
          {shownDay ? (
            <>
              <label className="request-day" htmlFor={`${ids}-day`}>
                {t('requests.detail.reschedule.day')}
              </label>
              <select
                id={`${ids}-day`}
                value={shownDay}
                onChange={(e) => {
                  setDay(e.target.value);
                  setSlotId(undefined);
                }}
              >
                {[...days].map(([key, list]) => (
                  <option key={key} value={key}>
                    {t('requests.detail.reschedule.dayOption', { day: dayLabel.format(new Date(list[0]?.start ?? key)), n: list.length })}
                  </option>
                ))}
              </select>
              <ul className="slot-grid" aria-label={t('requests.detail.reschedule.times')}>
                {dayTimes.map((s) => (
                  <li key={s.id}>
                    <label className="slot-option">
                      <input
                        type="radio"
                        name={`${ids}-slot`}
                        value={s.id}
                        data-slot-id={s.id}
                        checked={slotId === s.id}
                        onChange={() => {
                          setSlotId(s.id);
                          setMissingSlot(false);
                        }}
                      />
                      <span>{timeLabel.format(new Date(s.start))}</span>
                    </label>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {missingSlot ? (
            <p id={`${ids}-missing`} className="request-field-error">
              {t('requests.detail.reschedule.chooseSlot')}
            </p>
          ) : null}
        </fieldset>
        <ReasonField label={t('requests.detail.reschedule.reason')} value={reason} onChange={setReason} missing={missingReason} inputRef={reasonRef} />
        <ChangeActions submit={t('requests.detail.reschedule.submit')} disabled={busy || windowText !== undefined} onClose={onClose} />
      </form>
    </section>
  );
}
