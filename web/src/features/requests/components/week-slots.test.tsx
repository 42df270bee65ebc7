// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../../api/client.js';
import { ApiProvider } from '../../../api/api-context.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import { WeekSlots } from './week-slots.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;

/** Free times on these instants; a week's request gets those inside its bounds. */
function renderWith(starts: string[], around?: string) {
  const freeSlots = vi.fn(async (_sp: string, _sv: string, from: string, to: string) => ({
    items: starts.filter((s) => s >= from && s < to).map((start, i) => ({ id: `slot-${start}-${i}`, start, end: new Date(Date.parse(start) + 30 * 60_000).toISOString() })),
  }));
  const client = { requests: { freeSlots } } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <MemoryRouter>
          <WeekSlots specialistId="sp" serviceId="sv" hrefOf={(id) => `/book?slot=${id}`} around={around} />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
  return freeSlots;
}

describe('the booking page’s week of free times', () => {
  beforeEach(() => {
    // Sunday 6 December 2026, 21:30 in Sofia: this week has no time left.
    vi.useFakeTimers({ now: new Date('2026-12-06T19:30:00Z'), toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
    cleanup();
  });

  it('opened late on a Sunday, it moves on to the first week with a free time and says so', async () => {
    const freeSlots = renderWith(['2026-12-16T08:00:00Z']);
    await screen.findByText(bg['book.week.movedOn']);
    expect(screen.getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual(['/book?slot=slot-2026-12-16T08:00:00Z-0']);
    // This week, next week (empty), then the week of 14 December.
    expect(freeSlots).toHaveBeenCalledTimes(3);
    expect(screen.queryByText(bg['book.week.empty'])).toBeNull();
  });

  it('with nothing in the whole horizon, it shows this week as empty instead of a week two months away', async () => {
    const freeSlots = renderWith([]);
    await screen.findByText(bg['book.week.empty']);
    await waitFor(() => expect(freeSlots).toHaveBeenCalledTimes(9));
    expect(screen.queryByText(bg['book.week.movedOn'])).toBeNull();
  });

  it('a week the person turns to stays, even when it is empty; opened on a chosen time, it does not search', async () => {
    const freeSlots = renderWith(['2026-12-16T08:00:00Z'], '2026-12-07T08:00:00Z');
    await screen.findByText(bg['book.week.empty']);
    expect(freeSlots).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(bg['book.week.next']) }));
    await screen.findByRole('link');
    expect(screen.queryByText(bg['book.week.movedOn'])).toBeNull();
  });
});
