// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import type { Referral } from '../../referrals/api.js';
import { followUpReferrals, ReferralChoice, usableReferrals } from './referral-choice.js';

const F = '0190a000-0000-7000-8000-0000000000f1';
const OTHER = '0190a000-0000-7000-8000-0000000000f2';
const P = '0190a000-0000-7000-8000-0000000000a1';
const ref = (r: Partial<Referral>): Referral =>
  ({ id: r.nrn ?? 'x', status: 'issued', form: '3', nrn: '26AAAAAAAAAA', specialtyCode: '1020', validUntil: '2026-12-31', issuer: { name: 'д-р Петрова' }, ...r }) as Referral;

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

  it('R-REF-02: a used № 3 is offered for the secondary exam only at its primary provider, to the last day', () => {
    const items = [
      ref({ nrn: '26B000000001', status: 'used', followUp: { facilityId: F, until: '2026-11-09' } }),
      ref({ nrn: '26B000000002', status: 'used', followUp: { facilityId: OTHER, until: '2026-11-09' } }),
      ref({ nrn: '26B000000003', status: 'used', followUp: { facilityId: F, until: '2026-11-08' } }),
      ref({ nrn: '26B000000004', status: 'used' }),
      ref({ nrn: '26B000000005', status: 'used', specialtyCode: '1040', followUp: { facilityId: F, until: '2026-11-09' } }),
    ];
    expect(followUpReferrals(items, '1020', F, '2026-11-09').map((r) => r.nrn)).toEqual(['26B000000001']);
  });
});

describe('the booking page’s referral choice', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-01T10:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
    cleanup();
  });

  it('R-REF-02: the follow-up on a used № 3 is labelled "вторичен преглед" and chosen first', async () => {
    const items = [ref({ nrn: '26C000000001' }), ref({ nrn: '26C000000002', status: 'used', followUp: { facilityId: F, until: '2026-11-09' } })];
    const client = { referrals: { referrals: async () => ({ items }) } } as unknown as ApiClient;
    const onChange = vi.fn();
    render(
      <I18nProvider storage={{ getItem: () => 'bg', setItem: () => undefined }}>
        <ApiProvider client={client}>
          <MemoryRouter>
            <ReferralChoice patientId={P} specialty="1020" facilityId={F} onChange={onChange} />
          </MemoryRouter>
        </ApiProvider>
      </I18nProvider>,
    );
    const followUp = await screen.findByLabelText(/НРН 26C000000002, от д-р Петрова — вторичен преглед до пн, 9 ноември 2026/);
    expect((followUp as HTMLInputElement).checked).toBe(true);
    expect(screen.getByLabelText(/№ 3, НРН 26C000000001/)).toBeTruthy();
    // The choice reaches the form from an effect, after the render shows it.
    await waitFor(() => expect(onChange).toHaveBeenLastCalledWith('26C000000002'));
  });
});
