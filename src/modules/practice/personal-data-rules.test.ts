import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../platform/calendar.js';
import { extendSubjectRequest, subjectRequestDueOn } from './personal-data-rules.js';

const calendar = createWorkingCalendar();
const rule = { months: 1, extendMonths: 2 };
const due = (receivedOn: string) => subjectRequestDueOn(receivedOn, rule, calendar.isWorkingDay);

describe('data-subject requests (GDPR Art. 12(3), Regulation 1182/71 Art. 3)', () => {
  it('GDPR-12-3: one month from receipt, on the same date of the next month', () => {
    expect(due('2026-04-14')).toBe('2026-05-14');
  });
  it('GDPR-12-3: 31 January ends on the last day of February; a Saturday moves to Monday', () => {
    // 28 February 2026 is a Saturday.
    expect(due('2026-01-31')).toBe('2026-03-02');
  });
  it('GDPR-12-3: a public holiday at the end moves to the next working day (3 March, Liberation Day)', () => {
    expect(due('2026-02-03')).toBe('2026-03-04');
  });
  it('GDPR-12-3: extended by two further months while the first month runs; not after it', () => {
    expect(extendSubjectRequest('2026-04-14', '2026-05-14', '2026-05-14', rule, calendar.isWorkingDay)).toEqual({ extendedTo: '2026-07-14' });
    expect(extendSubjectRequest('2026-04-14', '2026-05-14', '2026-05-15', rule, calendar.isWorkingDay)).toEqual({ refused: 'first_month_passed' });
  });
});
