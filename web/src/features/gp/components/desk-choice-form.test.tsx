// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { GpDeskLookup } from '../api.js';
import { DeskChoiceForm } from './desk-choice-form.js';
import { DeskLookupFacts } from './desk-lookup.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const FACILITY = '0190a000-0000-7000-8000-0000000000f1';
const GP_OPEN = '0190a000-0000-7000-8000-0000000000c1';
const GP_FULL = '0190a000-0000-7000-8000-0000000000c2';
const presented = { identifierKind: 'egn' as const, identifier: '2045214213', givenName: 'Ива', familyName: 'Денева', birthDate: '2020-05-21' };

const child: GpDeskLookup = {
  patientId: '0190a000-0000-7000-8000-0000000000a1',
  today: '2026-06-30',
  age: 6,
  representation: 'representative',
  currentGp: null,
  suggestedKind: 'initial',
  changeWindow: { today: '2026-06-30', open: true, closesOn: '2026-06-30', opensOn: null, windows: [] },
  insurance: { status: 'interrupted', missingMonths: ['2026-03', '2026-04'], nhifPays: false },
  gps: [
    { practitionerId: GP_FULL, name: 'Петър Пълнев', listed: 2500, maxListSize: 2500, remaining: 0 },
    { practitionerId: GP_OPEN, name: 'Виктория Илиева', listed: 143, maxListSize: null, remaining: null },
  ],
};

function renderWith(lookup: GpDeskLookup, register = vi.fn()) {
  const client = { gp: { register } } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <DeskLookupFacts found={lookup} />
        <DeskChoiceForm facilityId={FACILITY} presented={presented} found={lookup} onDone={() => undefined} />
      </ApiProvider>
    </I18nProvider>,
  );
  return register;
}

afterEach(cleanup);

describe("the desk's choice form (W8, R-GP-08, R-11, R-NHIF-01)", () => {
  it('R-NHIF-01: interrupted rights are shown with the missing months; R-11: a full list cannot be chosen', () => {
    renderWith(child);
    expect(screen.getByText(bg['gpDesk.insurance.interrupted'].replace('{months}', '2026-03, 2026-04'))).toBeTruthy();
    const full = screen.getByRole('option', { name: bg['gpDesk.choice.gpFull'].replace('{name}', 'Петър Пълнев') });
    expect((full as HTMLOptionElement).disabled).toBe(true);
    expect((screen.getByRole('combobox', { name: bg['gpDesk.choice.gp'] }) as HTMLSelectElement).value).toBe(GP_OPEN);
  });

  it('R-GP-08: for a child the parent signs: the form asks for the parent and sends them as the signer', async () => {
    const register = renderWith(child, vi.fn().mockResolvedValue({}));
    expect(screen.getByText(bg['gpDesk.signer.representative'])).toBeTruthy();
    fireEvent.change(screen.getByLabelText(bg['gpDesk.signer.name']), { target: { value: 'Радослава Денева' } });
    fireEvent.change(screen.getByLabelText(bg['gpDesk.signer.document']), { target: { value: 'Удостоверение за раждане 4411' } });
    fireEvent.click(screen.getByRole('button', { name: bg['gpDesk.submit'] }));
    await waitFor(() => expect(register).toHaveBeenCalledTimes(1));
    expect(register.mock.calls[0]?.[0]).toMatchObject({
      kind: 'initial',
      practitionerId: GP_OPEN,
      facilityId: FACILITY,
      patient: presented,
      signer: { kind: 'representative', representative: { basis: 'parent', name: 'Радослава Денева', documentRef: 'Удостоверение за раждане 4411' } },
    });
  });
});
