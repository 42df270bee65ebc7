import { describe, expect, it } from 'vitest';
import { Temporal } from 'temporal-polyfill';
import { bookingRefusal, referralNeeded, secondaryUntil, secondaryVisitRefusal, type BookingReferralFacts, type SecondaryVisitFacts } from './referral-booking-rules.js';

const P = 'p-1';
const base = (r: Partial<NonNullable<BookingReferralFacts['referral']>>, o: Partial<BookingReferralFacts> = {}): BookingReferralFacts => ({
  referral: { form: '3', status: 'issued', patientId: P, specialtyCode: '1020', validUntil: '2026-10-31', ...r },
  patientId: P,
  specialtyCode: '1020',
  bookedAt: Temporal.Instant.from('2026-10-05T08:00:00Z'),
  visitAt: Temporal.Instant.from('2026-10-20T08:00:00Z'),
  zone: 'Europe/Sofia',
  ...o,
});

describe('booking with a referral (pure)', () => {
  it('R-NHIF-01: a referral is needed only when the NHIF pays for a specialist', () => {
    expect(referralNeeded({ nhifPaid: true, specialtyCode: '1020', payer: 'nhif' })).toBe(true);
    expect(referralNeeded({ nhifPaid: true, specialtyCode: '1020', payer: 'patient' })).toBe(false);
    expect(referralNeeded({ nhifPaid: true, specialtyCode: '1020', payer: 'foreign_insurer' })).toBe(false);
    expect(referralNeeded({ nhifPaid: false, specialtyCode: '1020', payer: 'patient' })).toBe(false);
    expect(referralNeeded({ nhifPaid: true, specialtyCode: '0000', payer: 'nhif' })).toBe(false);
  });

  it('R-REF-01: a № 3 valid to 31 October books a visit at 23:30 Sofia on 31 October (after the DST change) and not at 00:10 on 1 November', () => {
    expect(bookingRefusal(base({}, { visitAt: Temporal.Instant.from('2026-10-31T21:30:00Z') }))).toBeNull();
    expect(bookingRefusal(base({}, { visitAt: Temporal.Instant.from('2026-10-31T22:10:00Z') }))).toMatchObject({ code: 'referral.expired', rule: 'R-REF-01' });
  });

  it('R-REF-04: a № 3А counts to the booking, not the visit', () => {
    const late = { visitAt: Temporal.Instant.from('2026-11-20T08:00:00Z') };
    expect(bookingRefusal(base({ form: '3A' }, late))).toBeNull();
    expect(bookingRefusal(base({ form: '3A' }, { ...late, bookedAt: Temporal.Instant.from('2026-10-31T22:10:00Z') }))).toMatchObject({ code: 'referral.expired', rule: 'R-REF-04' });
  });

  it('W14: unknown, another patient’s, used, cancelled, unacknowledged, wrong form and wrong specialty are refused in that order', () => {
    expect(bookingRefusal({ ...base({}), referral: null })?.code).toBe('booking.referral_not_found');
    expect(bookingRefusal(base({ patientId: 'p-2' }))?.code).toBe('booking.referral_not_found');
    expect(bookingRefusal(base({ status: 'used' }))?.code).toBe('referral.already_used');
    expect(bookingRefusal(base({ status: 'superseded' }))?.code).toBe('referral.cancelled');
    expect(bookingRefusal(base({ status: 'pending' }))?.code).toBe('referral.not_issued');
    expect(bookingRefusal(base({ form: '7' }))).toMatchObject({ code: 'booking.referral_wrong_form', rule: 'R-REF-05' });
    expect(bookingRefusal(base({ specialtyCode: '1040' }))?.code).toBe('booking.referral_wrong_specialty');
  });

  it('R-REF-09: a № 6 names no limit and may name no specialty', () => {
    expect(bookingRefusal(base({ form: '6', validUntil: null, specialtyCode: null }, { visitAt: Temporal.Instant.from('2027-03-01T08:00:00Z') }))).toBeNull();
  });
});

describe('R-REF-02: the secondary examination on a used № 3', () => {
  // The primary at 00:30 on 10 October 2026 in Sofia (EEST, UTC+3), which is 9 October in UTC; the clocks go
  // back on 25 October, so day 30 (9 November) is in EET (UTC+2).
  const second = (o: Partial<SecondaryVisitFacts>): SecondaryVisitFacts => ({
    form: '3',
    specialtyCode: '1020',
    primaryFacilityId: 'f-1',
    primaryAt: Temporal.Instant.from('2026-10-09T21:30:00Z'),
    facilityId: 'f-1',
    bookedSpecialty: '1020',
    secondaryAt: Temporal.Instant.from('2026-11-09T21:59:00Z'),
    days: 30,
    zone: 'Europe/Sofia',
    ...o,
  });

  it('R-REF-02: 23:59 on day 30 (Sofia) is allowed, 00:00 on day 31 refused, though both are 9 November in UTC', () => {
    expect(secondaryVisitRefusal(second({}))).toBeNull();
    expect(secondaryVisitRefusal(second({ secondaryAt: Temporal.Instant.from('2026-11-09T22:00:00Z') }))).toMatchObject({ code: 'referral.secondary_exam_late', rule: 'R-REF-02' });
    expect(secondaryUntil(Temporal.Instant.from('2026-10-09T21:30:00Z'), 30, 'Europe/Sofia')).toBe('2026-11-09');
  });

  it('R-REF-02: across the spring DST change the count is in local dates too', () => {
    // 00:15 on 1 March 2027 (EET) is 28 February in UTC; day 30 is 31 March (EEST, after 28 March).
    const primaryAt = Temporal.Instant.from('2027-02-28T22:15:00Z');
    expect(secondaryVisitRefusal(second({ primaryAt, secondaryAt: Temporal.Instant.from('2027-03-31T20:59:00Z') }))).toBeNull();
    expect(secondaryVisitRefusal(second({ primaryAt, secondaryAt: Temporal.Instant.from('2027-03-31T21:00:00Z') }))?.code).toBe('referral.secondary_exam_late');
  });

  it('R-REF-02: the secondary comes after the primary', () => {
    expect(secondaryVisitRefusal(second({ secondaryAt: Temporal.Instant.from('2026-10-09T21:30:00Z') }))).toMatchObject({ code: 'referral.secondary_before_primary', rule: 'R-REF-02' });
  });

  it('W14: another provider, or a form other than № 3, finds the referral used; another specialty is refused as such', () => {
    expect(secondaryVisitRefusal(second({ facilityId: 'f-2' }))).toMatchObject({ code: 'referral.already_used', rule: 'W14' });
    expect(secondaryVisitRefusal(second({ form: '3A' }))).toMatchObject({ code: 'referral.already_used', rule: 'W14' });
    expect(secondaryVisitRefusal(second({ primaryFacilityId: null }))).toMatchObject({ code: 'referral.already_used' });
    expect(secondaryVisitRefusal(second({ bookedSpecialty: '1040' }))).toMatchObject({ code: 'booking.referral_wrong_specialty' });
  });
});
