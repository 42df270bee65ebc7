import { describe, expect, it } from 'vitest';
import { claimExpiresOn, convertPayoutAbroad, isTimeBarred } from './claim-rules.js';

describe('limitation of the rights under the contract (Art. 24)', () => {
  const limitation = { years: 3 };
  it('R-INS-18: a claim is open until the same day three years after the event, then time-barred', () => {
    expect(claimExpiresOn('2026-03-10', limitation)).toBe('2029-03-10');
    expect(isTimeBarred('2026-03-10', '2029-03-10', limitation)).toBe(false);
    expect(isTimeBarred('2026-03-10', '2029-03-11', limitation)).toBe(true);
  });
  it('R-INS-18: from a 29 February event the period ends on 28 February', () => {
    expect(claimExpiresOn('2028-02-29', limitation)).toBe('2031-02-28');
  });
  it('R-INS-18: the period is dated data, not a constant', () => {
    expect(isTimeBarred('2026-03-10', '2029-03-11', { years: 5 })).toBe(false);
  });
});

describe('payout abroad (Art. 23(2))', () => {
  it('R-INS-09: converted at the rate of the transfer day, rounded to the cent', () => {
    // 1,000.00 EUR paid to a Turkish account at 0.021234 EUR per TRY.
    expect(convertPayoutAbroad({ amountCents: 100_000, transferredOn: '2026-03-20', currency: 'TRY', rate: '0.021234', rateOn: '2026-03-20' })).toEqual({ cents: 4_709_428 });
    // 195.58 BGN at 1.95583 BGN per EUR is 100.00 EUR (rounded half up).
    expect(convertPayoutAbroad({ amountCents: 19_558, transferredOn: '2025-06-02', currency: 'EUR', rate: '1.95583', rateOn: '2025-06-02' })).toEqual({ cents: 10_000 });
  });
  it('R-INS-09: a rate of another day is refused', () => {
    expect(convertPayoutAbroad({ amountCents: 100_000, transferredOn: '2026-03-20', currency: 'USD', rate: '0.92', rateOn: '2026-03-19' })).toMatchObject({ refused: 'insurance.payout_rate_not_transfer_day', rule: 'R-INS-09' });
  });
  it('R-INS-09: a malformed or zero rate is refused', () => {
    expect(convertPayoutAbroad({ amountCents: 1, transferredOn: '2026-03-20', currency: 'USD', rate: '0', rateOn: '2026-03-20' })).toMatchObject({ refused: 'request.invalid' });
    expect(convertPayoutAbroad({ amountCents: 1, transferredOn: '2026-03-20', currency: 'USD', rate: '1e3', rateOn: '2026-03-20' })).toMatchObject({ refused: 'request.invalid' });
  });
});
