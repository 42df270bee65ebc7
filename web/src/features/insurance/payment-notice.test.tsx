// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../api/api-context.js';
import type { ApiClient } from '../../api/client.js';
import { I18nProvider } from '../../i18n/index.js';
import type { BookingPayment } from './api.js';
import { PaymentNotice } from './payment-notice.js';

const P = '0190a000-0000-7000-8000-0000000000a1';
const S = '0190a000-0000-7000-8000-0000000000b1';
const SLOT = '0190a000-0000-7000-8000-0000000000c1';
const bgStorage = { getItem: () => 'bg', setItem: () => undefined };
const enStorage = { getItem: () => 'en', setItem: () => undefined };

const payment = (over: Partial<BookingPayment>): BookingPayment => ({
  patientId: P,
  serviceId: S,
  on: '2026-12-01',
  allowed: true,
  payer: 'nhif',
  rule: 'R-NHIF-01',
  priceEurCents: null,
  mustAccept: false,
  code: null,
  detail: null,
  insuranceStatus: 'insured',
  missingMonths: [],
  coverage: null,
  ...over,
});

function renderWith(p: BookingPayment, storage = bgStorage) {
  const onChange = vi.fn();
  const client = { insurance: { bookingPayment: async () => p } } as unknown as ApiClient;
  render(
    <I18nProvider storage={storage}>
      <ApiProvider client={client}>
        <MemoryRouter>
          <PaymentNotice patientId={P} serviceId={S} slotId={SLOT} onChange={onChange} />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
  return onChange;
}

afterEach(cleanup);

describe('who pays, shown before booking', () => {
  it('R-PC-13: interrupted rights show the missing months and the price; booking waits for the acceptance', async () => {
    const onChange = renderWith(payment({ payer: 'patient', rule: 'R-PC-13', priceEurCents: 4500, mustAccept: true, insuranceStatus: 'interrupted', missingMonths: ['2026-07', '2026-08'] }));
    expect(await screen.findByText(/Здравноосигурителните ви права са прекъснати \(липсващи вноски за: 2026-07, 2026-08\)/)).toBeTruthy();
    expect(screen.getByLabelText(/Разбирам, че ще платя 45,00/)).toBeTruthy();
    expect(onChange).toHaveBeenLastCalledWith({ canBook: false, payer: 'patient' });
    fireEvent.click(screen.getByRole('checkbox'));
    expect(onChange).toHaveBeenLastCalledWith({ canBook: true, acceptedPriceEurCents: 4500, payer: 'patient' });
  });

  it('R-PC-13: the same notice in English', async () => {
    renderWith(payment({ payer: 'patient', rule: 'R-PC-13', priceEurCents: 4500, mustAccept: true, insuranceStatus: 'not_found' }), enStorage);
    expect(await screen.findByText(/You are not found as a health-insured person/)).toBeTruthy();
    expect(screen.getByLabelText(/I understand that I will pay €45.00/)).toBeTruthy();
  });

  it('R-INS-01: an expired policy is refused with the reason and a link to record the policy', async () => {
    const onChange = renderWith(payment({ allowed: false, payer: null, rule: 'R-INS-01', code: 'insurance.foreign_policy_required', detail: 'The medical insurance policy expired on 2026-11-30', coverage: { state: 'expired', policyId: null, date: '2026-11-30' } }));
    expect((await screen.findByRole('alert')).textContent).toContain('2026-11-30');
    expect(screen.getByRole('link').getAttribute('href')).toBe('/my-insurance');
    expect(onChange).toHaveBeenLastCalledWith({ canBook: false, payer: null });
  });

  it('R-NHIF-01: an insured patient is told the NHIF pays and may book', async () => {
    const onChange = renderWith(payment({}));
    expect(await screen.findByText(/Прегледът се заплаща от НЗОК/)).toBeTruthy();
    expect(onChange).toHaveBeenLastCalledWith({ canBook: true, payer: 'nhif' });
  });
});
