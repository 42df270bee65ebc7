import { describe, expect, it } from 'vitest';
import type { Referral } from '../../referrals/api.js';
import { usableReferrals } from './referral-choice.js';

const ref = (r: Partial<Referral>): Referral => ({ id: r.nrn ?? 'x', status: 'issued', form: '3', nrn: '26AAAAAAAAAA', specialtyCode: '1020', validUntil: '2026-12-31', ...r }) as Referral;

describe('the referrals a booking offers (W14)', () => {
  it('W14: only issued № 3, 3А and 6 to this specialty, with an НРН, not past their last day', () => {
    const items = [
      ref({ nrn: '26A000000001' }),
      ref({ nrn: '26A000000002', status: 'used' }),
      ref({ nrn: '26A000000003', form: '4' }),
      ref({ nrn: '26A000000004', specialtyCode: '1040' }),
      ref({ nrn: '26A000000005', validUntil: '2026-12-06' }),
      ref({ nrn: '26A000000006', form: '6', specialtyCode: null, validUntil: null }),
      ref({ nrn: null, status: 'issued' }),
    ];
    expect(usableReferrals(items, '1020', '2026-12-07').map((r) => r.nrn)).toEqual(['26A000000001', '26A000000006']);
  });
});
