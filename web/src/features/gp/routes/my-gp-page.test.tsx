// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { PatientGp } from '../api.js';
import { MyGpPage } from './my-gp-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const P = '0190a000-0000-7000-8000-0000000000a1';

const registration = (over: Partial<PatientGp['history'][number]>): PatientGp['history'][number] => ({
  id: '0190a000-0000-7000-8000-0000000000b1',
  patientId: P,
  kind: 'permanent',
  basis: 'change_window',
  practitioner: { id: '0190a000-0000-7000-8000-0000000000c1', name: 'Д-р Виктория Илиева' },
  facility: { id: '0190a000-0000-7000-8000-0000000000d1', name: 'АИППМП „Д-р Виктория Илиева“', rhifCode: '22' },
  startsOn: '2026-06-10',
  endsOn: null,
  endedOn: null,
  endReason: null,
  signer: 'self',
  enteredBy: { accountId: '0190a000-0000-7000-8000-0000000000e1', role: 'coordinator' },
  createdAt: '2026-06-10T09:00:00.000Z',
  ...over,
});

function renderWith(gp: PatientGp) {
  const client = {
    access: { actingFor: async () => ({ items: [{ patientId: P, basis: 'self', linkId: null, givenName: 'Радослава', familyName: 'Зографова' }] }) },
    gp: { patientGp: async () => gp },
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter>
          <MyGpPage />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

afterEach(cleanup);

describe('Моят личен лекар (R-GP-02..05)', () => {
  it('shows the GP today, the history with the end reason, and when the window closes', async () => {
    const current = registration({});
    const old = registration({ id: '0190a000-0000-7000-8000-0000000000b2', kind: 'initial', basis: 'first_choice', practitioner: { id: '0190a000-0000-7000-8000-0000000000c2', name: 'Д-р Петров' }, startsOn: '2020-01-15', endedOn: '2026-06-10', endReason: 'changed_gp' });
    renderWith({ patientId: P, current, permanent: current, temporary: null, history: [current, old], changeWindow: { today: '2026-06-12', open: true, closesOn: '2026-06-30', opensOn: null, windows: [] } });
    expect(await screen.findByText(bg['gp.window.open'].replace('{date}', '2026-06-30'))).toBeTruthy();
    expect(screen.getAllByText('Д-р Виктория Илиева').length).toBeGreaterThan(0);
    expect(screen.getByText(`2026-06-10 (${bg['gp.end.changed_gp']})`)).toBeTruthy();
  });

  it('explains the next window when closed, and a running temporary choice', async () => {
    const temporary = registration({ kind: 'temporary', basis: 'temporary_stay', endsOn: '2026-08-15', startsOn: '2026-07-01' });
    renderWith({ patientId: P, current: temporary, permanent: registration({}), temporary, history: [temporary], changeWindow: { today: '2026-07-02', open: false, closesOn: null, opensOn: '2026-12-01', windows: [] } });
    expect(await screen.findByText(bg['gp.window.closed'].replace('{date}', '2026-12-01'))).toBeTruthy();
    expect(screen.getByText(bg['gp.temporaryNow'].replace('{date}', '2026-08-15'))).toBeTruthy();
  });

  it('says so when there is no GP yet', async () => {
    renderWith({ patientId: P, current: null, permanent: null, temporary: null, history: [], changeWindow: { today: '2026-03-01', open: false, closesOn: null, opensOn: '2026-06-01', windows: [] } });
    expect(await screen.findByText(bg['gp.none'])).toBeTruthy();
  });
});
