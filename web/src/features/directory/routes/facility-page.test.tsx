// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { AuthProvider } from '../../auth/auth-context.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { DirectoryApi, DirectoryFacilityPage } from '../api.js';
import { FacilityPage } from './facility-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F1 = '0190a000-0000-7000-8000-0000000000f1';
const P1 = '0190a000-0000-7000-8000-0000000000a1';
const S1 = '0190a000-0000-7000-8000-0000000000b1';

const page: DirectoryFacilityPage = {
  id: F1,
  name: 'МЦ Сърце',
  number: '2201234567',
  typeCode: 'MC',
  settlement: 'София',
  ekatte: '68134',
  regionCode: '22',
  address: 'ул. Пирин 1',
  phone: '+359 2 123 4567',
  email: 'info@example.bg',
  website: null,
  description: 'Кардиологичен център',
  timeZone: 'Europe/Sofia',
  centres: [],
  services: [{ id: S1, name: 'Кардиологична консултация', description: '', specialtyCode: '1020', kindCode: 'C', mode: 'synchronous', typicalMinutes: 30, priceEurCents: 3500, nhifPaid: false }],
  specialists: [{ id: P1, givenName: 'Иван', familyName: 'Петров', specialtyCodes: ['1020'], services: [{ serviceId: S1, earliestFreeSlot: '2026-11-25T08:00:00Z' }] }],
  schedules: [{ id: '0190a000-0000-7000-8000-0000000000c1', practitionerId: P1, serviceId: S1, timeZone: 'Europe/Sofia', validFrom: '2026-11-01', validTo: null, rules: [{ weekday: 1, start: '09:00', end: '12:00' }] }],
};

function renderWith(directory: Partial<DirectoryApi>, outOfHours: unknown = null) {
  const client = {
    practice: { outOfHours: async () => outOfHours },
    auth: {
      me: async () => {
        throw new ApiError({ type: 'about:blank', title: 'x', status: 401, code: 'auth.unauthenticated' });
      },
    },
    directory: {
      reference: async () => ({ facilityTypes: [], specialties: [], regions: [], serviceKinds: [] }),
      facility: async () => page,
      slots: async () => ({ items: [] }),
      ...directory,
    },
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <AuthProvider>
          <MemoryRouter initialEntries={[`/directory/facilities/${F1}`]}>
            <Routes>
              <Route path="/directory/facilities/:id" element={<FacilityPage />} />
            </Routes>
          </MemoryRouter>
        </AuthProvider>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('FacilityPage (Art. 15, R-TM-32)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-25T06:00:00Z'));
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('R-OOH-03: a practice shows how its patients reach care out of hours, with the phone', async () => {
    renderWith({}, { facilityId: F1, arrangement: 'individual_24h_phone', phone: '+359 888 175 066', validFrom: '2026-02-01' });
    const section = (await screen.findByRole('heading', { level: 2, name: bg['practice.ooh.title'] })).closest('section') as HTMLElement;
    expect(within(section).getByText(bg['practice.ooh.individual_24h_phone'])).toBeTruthy();
    expect(within(section).getByRole('link', { name: '+359 888 175 066' }).getAttribute('href')).toBe('tel:+359888175066');
  });

  it('R-OOH-03: a facility without an arrangement shows no out-of-hours section', async () => {
    renderWith({});
    expect(await screen.findByRole('heading', { level: 1, name: 'МЦ Сърце' })).toBeTruthy();
    expect(screen.queryByRole('heading', { level: 2, name: bg['practice.ooh.title'] })).toBeNull();
  });

  it('publishes contacts, services with price and the weekly schedule', async () => {
    renderWith({});
    expect(await screen.findByRole('heading', { level: 1, name: 'МЦ Сърце' })).toBeTruthy();
    expect(screen.getByRole('link', { name: '+359 2 123 4567' }).getAttribute('href')).toBe('tel:+35921234567');
    expect(screen.getByText((t) => t.replace(/\s/g, ' ') === '35,00 €')).toBeTruthy();
    expect(screen.getByText(/понеделник 09:00–12:00/)).toBeTruthy();
  });

  it('lists the free slots of the next 7 days by Sofia day and asks a visitor to sign in to book', async () => {
    const slots = vi.fn(async () => ({
      items: [
        { id: '0190a000-0000-7000-8000-0000000000d1', start: '2026-11-25T08:00:00Z', end: '2026-11-25T08:30:00Z' },
        { id: '0190a000-0000-7000-8000-0000000000d2', start: '2026-11-26T12:00:00Z', end: '2026-11-26T12:30:00Z' },
      ],
    }));
    renderWith({ slots });
    const toggle = await screen.findByRole('button', { name: bg['directory.slots.show'].replace('{days}', '7') });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    await waitFor(() =>
      expect(slots).toHaveBeenCalledWith({ specialistId: P1, serviceId: S1, from: '2026-11-25T06:00:00.000Z', to: '2026-12-02T06:00:00.000Z' }, expect.anything()),
    );
    const region = await screen.findByRole('region', { name: /Кардиологична консултация/ });
    const days = within(region).getAllByRole('heading', { level: 5 }).map((h) => h.textContent);
    expect(days).toEqual(['сряда, 25 ноември 2026 г.', 'четвъртък, 26 ноември 2026 г.']);
    expect(within(region).getByText('10:00')).toBeTruthy();
    expect(within(region).getByText('14:00')).toBeTruthy();
    expect(within(region).getByRole('link', { name: bg['directory.slots.signIn'] }).getAttribute('href')).toBe('/sign-in');
  });

  it('shows the problem for an unknown facility', async () => {
    renderWith({
      facility: async () => {
        throw new ApiError({ type: 'about:blank', title: 'x', status: 404, code: 'resource.not_found' });
      },
    });
    expect(await screen.findByRole('alert')).toBeTruthy();
  });
});
