// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { DirectoryApi, DirectoryFacilityPage, DirectoryFacilitySummary, ReferenceData } from '../api.js';
import { DirectorySearchPage } from './directory-search-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const NOW = new Date('2026-11-25T06:00:00Z');
const F1 = '0190a000-0000-7000-8000-0000000000f1';
const F2 = '0190a000-0000-7000-8000-0000000000f2';
const P1 = '0190a000-0000-7000-8000-0000000000a1';
const S1 = '0190a000-0000-7000-8000-0000000000b1';
const S2 = '0190a000-0000-7000-8000-0000000000b2';

const reference: ReferenceData = {
  facilityTypes: [],
  specialties: [
    { code: '1020', nhifCode: '05', nameBg: 'Кардиология', nameEn: 'Cardiology', dental: false },
    { code: '1004', nhifCode: '02', nameBg: 'Вътрешни болести', nameEn: 'Internal medicine', dental: false },
  ],
  regions: [{ code: '22', oblast: 'SOF', nameBg: 'София-град', nameEn: 'Sofia City' }],
  serviceKinds: [],
};

const summary = (over: Partial<DirectoryFacilitySummary> = {}): DirectoryFacilitySummary => ({
  id: F1,
  name: 'МЦ Сърце',
  typeCode: 'MC',
  settlement: 'София',
  ekatte: '68134',
  regionCode: '22',
  address: 'ул. Пирин 1',
  specialtyCodes: ['1020'],
  modes: ['synchronous'],
  earliestFreeSlot: '2026-11-26T08:30:00Z',
  ...over,
});

const facilityPage = (id: string): DirectoryFacilityPage => ({
  id,
  name: 'МЦ Сърце',
  number: '2201234567',
  typeCode: 'MC',
  settlement: 'София',
  ekatte: '68134',
  regionCode: '22',
  address: 'ул. Пирин 1',
  phone: null,
  email: null,
  website: null,
  description: '',
  timeZone: 'Europe/Sofia',
  centres: [],
  services: [
    { id: S1, name: 'Кардиологична консултация', description: '', specialtyCode: '1020', kindCode: 'C', mode: 'synchronous', typicalMinutes: 30, priceEurCents: null, nhifPaid: true },
    { id: S2, name: 'Консултация по вътрешни болести', description: '', specialtyCode: '1004', kindCode: 'C', mode: 'synchronous', typicalMinutes: 30, priceEurCents: 4000, nhifPaid: false },
  ],
  specialists: [{ id: P1, givenName: 'Иван', familyName: 'Петров', specialtyCodes: ['1020'], services: [{ serviceId: S1, earliestFreeSlot: '2026-11-26T08:30:00Z' }] }],
  schedules: [],
});

function renderWith(directory: Partial<DirectoryApi>, url = '/directory') {
  const client = {
    directory: {
      reference: async () => reference,
      search: async () => ({ items: [summary()], hasMore: false }),
      facility: async (id: string) => facilityPage(id),
      slots: async () => ({ items: [] }),
      ...directory,
    },
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <MemoryRouter initialEntries={[url]}>
          <DirectorySearchPage />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('DirectorySearchPage (R-TM-32)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('offers the specialties of the reference list and searches with the chosen filters', async () => {
    const search = vi.fn(async () => ({ items: [summary()], hasMore: false }));
    renderWith({ search });
    await waitFor(() => expect(search).toHaveBeenCalledTimes(1));
    expect(search).toHaveBeenLastCalledWith({ limit: 10 }, expect.anything());

    const specialty = await screen.findByRole('option', { name: 'Кардиология' });
    fireEvent.change(screen.getByLabelText(bg['directory.form.specialty']), { target: { value: (specialty as HTMLOptionElement).value } });
    fireEvent.click(screen.getByLabelText(bg['directory.mode.synchronous']));
    fireEvent.click(screen.getByLabelText(bg['directory.form.soon'].replace('{days}', '7')));
    fireEvent.click(screen.getByRole('button', { name: bg['directory.form.submit'] }));

    await waitFor(() =>
      expect(search).toHaveBeenLastCalledWith({ specialty: '1020', mode: 'synchronous', freeBefore: '2026-12-02T06:00:00.000Z', limit: 10 }, expect.anything()),
    );
  });

  it('shows a card with the facility, its specialists, the price ("НЗОК") and the earliest slot in Sofia time', async () => {
    renderWith({}, '/directory?specialty=1020');
    const card = (await screen.findByRole('link', { name: 'МЦ Сърце' })).closest('article');
    if (!card) throw new Error('no card');
    expect(card.querySelector('a')?.getAttribute('href')).toBe(`/directory/facilities/${F1}?specialty=1020`);
    // 08:30 UTC is 10:30 in Sofia in November.
    expect(within(card).getByText((text) => text.replace(/\s/g, ' ') === 'чт, 26 ноември в 10:30')).toBeTruthy();
    expect(await within(card).findByText(/Иван Петров/)).toBeTruthy();
    expect(within(card).getByText('Кардиологична консултация')).toBeTruthy();
    expect(within(card).getByText(bg['directory.price.nhif'])).toBeTruthy();
    // The searched specialty only: the internal-medicine service is not listed.
    expect(within(card).queryByText('Консултация по вътрешни болести')).toBeNull();
  });

  it('orders by the earliest free slot when asked, facilities without one last', async () => {
    const items = [
      summary({ id: F1, name: 'А без час', earliestFreeSlot: null }),
      summary({ id: F2, name: 'Б късен час', earliestFreeSlot: '2026-11-30T08:00:00Z' }),
      summary({ id: P1, name: 'В ранен час', earliestFreeSlot: '2026-11-25T09:00:00Z' }),
    ];
    renderWith({ search: async () => ({ items, hasMore: false }) }, '/directory?sort=earliest');
    await screen.findByRole('link', { name: 'В ранен час' });
    const names = screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent);
    expect(names).toEqual(['В ранен час', 'Б късен час', 'А без час']);
  });

  it('shows the problem when the search fails', async () => {
    renderWith({
      search: async () => {
        throw new ApiError({ type: 'about:blank', title: 'x', status: 422, code: 'request.invalid' });
      },
    });
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('asks for the next page with a larger limit', async () => {
    const search = vi.fn(async () => ({ items: [summary()], hasMore: true }));
    renderWith({ search });
    fireEvent.click(await screen.findByRole('button', { name: bg['directory.results.more'] }));
    await waitFor(() => expect(search).toHaveBeenLastCalledWith({ limit: 20 }, expect.anything()));
  });
});
