// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError, type Problem } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { RequestDetail, RequestsApi, RequestWithAppointment } from '../api.js';
import { RequestDetailPage } from './request-detail-page.js';
import { whenFormatter } from '../../../i18n/format-when.js';

// The request detail page's reschedule flow, and above all what the user sees when the chosen
// time is taken by someone else first (409 appointment.slot_taken) or the facility's change window closed.

const bg = messages.bg;
const noStorage = { getItem: () => null, setItem: () => undefined };
const R = '0190a000-0000-7000-8000-0000000000aa';
const FAC = '0190a000-0000-7000-8000-0000000000f1';
const PRAC = '0190a000-0000-7000-8000-0000000000c1';
const SVC = '0190a000-0000-7000-8000-0000000000d1';
const SLOT_NOW = '0190a000-0000-7000-8000-000000000100';
const SLOT_A = '0190a000-0000-7000-8000-000000000101';
const SLOT_B = '0190a000-0000-7000-8000-000000000102';
const START_NOW = '2026-12-01T08:00:00Z';
const START_A = '2026-12-02T09:00:00Z';
const START_B = '2026-12-03T10:30:00Z';
/** The browser's "now" in these tests (only Date is faked; timers run for real). */
const NOW = '2026-11-25T08:00:00Z';
const DAY_MS = 24 * 3_600_000;

const fmt = (iso: string) => whenFormatter('bg-BG')(new Date(iso));
const hhmm = (iso: string) => new Intl.DateTimeFormat('bg-BG', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Sofia' }).format(new Date(iso));
const dayKey = (iso: string) => new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Europe/Sofia' }).format(new Date(iso));

/** Picks a free time as a user does: its day in the day list, then the time. */
async function pickSlot(iso: string): Promise<HTMLInputElement> {
  fireEvent.change(await screen.findByLabelText(bg['requests.detail.reschedule.day']), { target: { value: dayKey(iso) } });
  const radio = await screen.findByRole('radio', { name: hhmm(iso) });
  fireEvent.click(radio);
  return radio as HTMLInputElement;
}
const tpl = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

function detail(slotId: string, start: string, version: number): RequestDetail {
  const end = new Date(new Date(start).getTime() + 30 * 60_000).toISOString();
  return {
    request: {
      id: R,
      urgency: 'planned',
      mode: 'synchronous',
      status: 'requested',
      version,
      requester: { kind: 'patient', accountId: null, practitionerId: null, practitionerName: null, facilityId: null, facilityName: null, patientId: null },
      recipient: { kind: 'patient', accountId: null, practitionerId: null, practitionerName: null, facilityId: null, facilityName: null, patientId: null },
      patientId: null,
      provider: { facilityId: FAC, facilityName: 'МЦ „Св. Лука“', specialtyCode: '1020', specialtyName: 'Кардиология', serviceId: SVC, serviceName: 'Видеоконсултация', practitionerId: PRAC, practitionerName: 'д-р Иванова' },
      slotId,
      acceptedAt: null,
      acceptedByPractitionerName: null,
      createdAt: '2026-11-20T08:00:00Z',
      updatedAt: '2026-11-20T08:00:00Z',
      viewerSide: 'requester',
      allowedActions: ['cancel', 'reschedule'],
      // The facility's default rule for the requester side: 24 h before the start.
      changeableUntil: new Date(new Date(start).getTime() - DAY_MS).toISOString(),
    },
    appointment: { id: '0190a000-0000-7000-8000-0000000000e1', requestId: R, practitionerId: PRAC, facilityId: FAC, start, end, status: 'pending', version: 1 },
    form: { phone: '+359 88 123 4567', circumstances: null, intake: {} },
    events: [{ id: '0190a000-0000-7000-8000-0000000000e9', action: 'file', fromStatus: null, toStatus: 'requested', side: 'requester', reason: null, at: '2026-11-20T08:00:00Z' }],
    attachments: [],
    alerts: [],
  };
}

const asItem = (d: RequestDetail): RequestWithAppointment => ({ request: d.request, appointment: d.appointment });
const slot = (id: string, start: string) => ({ id, start, end: new Date(new Date(start).getTime() + 30 * 60_000).toISOString() });

function renderPage(requests: Partial<RequestsApi>) {
  const client = { requests } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter initialEntries={[`/requests/${R}`]}>
          <Routes>
            <Route path="/requests/:requestId" element={<RequestDetailPage />} />
          </Routes>
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

const slotTaken: Problem = { type: 'x', title: 'taken', status: 409, code: 'appointment.slot_taken', errors: [{ in: 'body', pointer: '#/slotId', detail: 'taken' }] };

function pinNow(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

describe('RequestDetailPage: rescheduling', () => {
  beforeEach(() => pinNow(NOW));
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  it('R-TM-30: a time taken first by someone else is said plainly, the old time stays, the list is refreshed and the reason kept', async () => {
    let current = detail(SLOT_NOW, START_NOW, 3);
    const get = vi.fn(async () => current);
    // The first listing still offers A; after the 409 the server no longer does.
    const freeSlots = vi
      .fn<RequestsApi['freeSlots']>()
      .mockResolvedValueOnce({ items: [slot(SLOT_A, START_A), slot(SLOT_B, START_B)] })
      .mockResolvedValue({ items: [slot(SLOT_B, START_B)] });
    const transition = vi
      .fn<RequestsApi['transition']>()
      .mockRejectedValueOnce(new ApiError(slotTaken))
      .mockImplementationOnce(async () => {
        current = detail(SLOT_B, START_B, 4);
        return asItem(current);
      });
    renderPage({ get, freeSlots, transition });

    fireEvent.click(await screen.findByRole('button', { name: bg['requests.detail.reschedule.open'] }));
    // Only the same specialist and service are asked for (the contract's slot search).
    await waitFor(() => expect(freeSlots).toHaveBeenCalledTimes(1));
    expect(freeSlots.mock.calls[0]?.slice(0, 2)).toEqual([PRAC, SVC]);
    expect(screen.getByText(bg['requests.detail.reschedule.rules'])).toBeTruthy();

    await pickSlot(START_A);
    fireEvent.change(screen.getByLabelText(bg['requests.detail.reschedule.reason']), { target: { value: 'Пътувам' } });
    fireEvent.click(screen.getByRole('button', { name: bg['requests.detail.reschedule.submit'] }));

    const alert = await screen.findByText(tpl(bg['requests.detail.reschedule.taken'], { time: fmt(START_A) }));
    expect(transition).toHaveBeenCalledWith(R, { action: 'reschedule', slotId: SLOT_A, reason: 'Пътувам', version: 3 });
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.getAttribute('data-problem-code')).toBe('appointment.slot_taken');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    // The list was fetched again and the taken time is gone; nothing is selected; the reason survives.
    await waitFor(() => expect(freeSlots).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(screen.queryByRole('option', { name: /2 декември/ })).toBeNull());
    expect(screen.queryByRole('radio', { name: hhmm(START_A) })).toBeNull();
    expect((screen.getByRole('radio', { name: hhmm(START_B) }) as HTMLInputElement).checked).toBe(false);
    expect((screen.getByLabelText(bg['requests.detail.reschedule.reason']) as HTMLTextAreaElement).value).toBe('Пътувам');
    // The appointment on the page is still the old one.
    expect(screen.getByTestId('appointment-start').textContent).toBe(fmt(START_NOW));

    await pickSlot(START_B);
    fireEvent.click(screen.getByRole('button', { name: bg['requests.detail.reschedule.submit'] }));
    expect(await screen.findByText(tpl(bg['requests.detail.reschedule.done'], { time: fmt(START_B) }))).toBeTruthy();
    expect(transition).toHaveBeenLastCalledWith(R, { action: 'reschedule', slotId: SLOT_B, reason: 'Пътувам', version: 3 });
    await waitFor(() => expect(screen.getByTestId('appointment-start').textContent).toBe(fmt(START_B)));
    expect(screen.queryByText(tpl(bg['requests.detail.reschedule.taken'], { time: fmt(START_A) }))).toBeNull();
  });

  it("states the facility's rule when it is too late to change (request.change_window_closed) and stops offering the change", async () => {
    const transition = vi.fn<RequestsApi['transition']>().mockRejectedValue(
      new ApiError({ type: 'x', title: 'late', status: 422, code: 'request.change_window_closed', meta: { minMinutes: 1440 } }),
    );
    renderPage({ get: async () => detail(SLOT_NOW, START_NOW, 1), freeSlots: async () => ({ items: [slot(SLOT_A, START_A)] }), transition });
    fireEvent.click(await screen.findByRole('button', { name: bg['requests.detail.reschedule.open'] }));
    await pickSlot(START_A);
    fireEvent.change(screen.getByLabelText(bg['requests.detail.reschedule.reason']), { target: { value: 'Болест' } });
    const submit = screen.getByRole('button', { name: bg['requests.detail.reschedule.submit'] });
    fireEvent.click(submit);
    const text = tpl(bg['requests.detail.window.closed'], { limit: tpl(bg['requests.detail.window.hours'], { n: '24' }) });
    const alert = await screen.findByText(text);
    expect(alert.getAttribute('data-problem-code')).toBe('request.change_window_closed');
    expect((submit as HTMLButtonElement).disabled).toBe(true);
  });

  it('asks for a time and a reason before sending anything', async () => {
    const transition = vi.fn<RequestsApi['transition']>();
    renderPage({ get: async () => detail(SLOT_NOW, START_NOW, 1), freeSlots: async () => ({ items: [slot(SLOT_A, START_A)] }), transition });
    fireEvent.click(await screen.findByRole('button', { name: bg['requests.detail.reschedule.open'] }));
    await screen.findByRole('radio', { name: hhmm(START_A) });
    fireEvent.click(screen.getByRole('button', { name: bg['requests.detail.reschedule.submit'] }));
    expect(await screen.findByText(bg['requests.detail.reschedule.chooseSlot'])).toBeTruthy();
    expect(screen.getByText(bg['requests.detail.reasonRequired'])).toBeTruthy();
    await pickSlot(START_A);
    fireEvent.click(screen.getByRole('button', { name: bg['requests.detail.reschedule.submit'] }));
    await waitFor(() => expect(screen.queryByText(bg['requests.detail.reschedule.chooseSlot'])).toBeNull());
    expect(transition).not.toHaveBeenCalled();
  });

  it('offers no change and no cancel when the server allows neither', async () => {
    const d = detail(SLOT_NOW, START_NOW, 1);
    d.request.status = 'completed';
    d.request.allowedActions = [];
    renderPage({ get: async () => d, freeSlots: async () => ({ items: [] }) });
    const actions = (await screen.findByRole('heading', { name: bg['requests.detail.actions.title'] })).parentElement!;
    expect(within(actions).getByText(bg['requests.detail.actions.none'])).toBeTruthy();
    expect(within(actions).queryByRole('button')).toBeNull();
  });
});

describe('RequestDetailPage: until when the appointment may be changed', () => {
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
  });

  const actionsSection = async () => (await screen.findByRole('heading', { name: bg['requests.detail.actions.title'] })).parentElement!;

  it("says until when the caller may change or cancel, in Sofia time, while the buttons are offered", async () => {
    pinNow(NOW);
    const d = detail(SLOT_NOW, START_NOW, 1);
    // Time zone: 22:30 UTC on 30 November is already 1 December, 00:30, in Sofia.
    d.request.changeableUntil = '2026-11-30T22:30:00Z';
    renderPage({ get: async () => d, freeSlots: async () => ({ items: [] }) });
    const actions = await actionsSection();
    const sofiaText = tpl(bg['requests.detail.window.until'], { time: fmt('2026-11-30T22:30:00Z') });
    // Dates as people say them: weekday, day, month, time without seconds (docs/design-system.md).
    expect(sofiaText).toContain('вт, 1 декември');
    expect(sofiaText).toContain('00:30');
    expect(sofiaText).not.toContain('00:30:00');
    expect(within(actions).getByTestId('change-deadline').textContent).toBe(sofiaText);
    expect(within(actions).getByRole('button', { name: bg['requests.detail.reschedule.open'] })).toBeTruthy();
    expect(within(actions).getByRole('button', { name: bg['requests.detail.cancel.open'] })).toBeTruthy();
  });

  it("once the deadline has passed, offers neither change and explains the facility's rule", async () => {
    // One minute after the deadline (24 h before the start).
    pinNow(new Date(new Date(START_NOW).getTime() - DAY_MS + 60_000).toISOString());
    const d = detail(SLOT_NOW, START_NOW, 1);
    renderPage({ get: async () => d, freeSlots: async () => ({ items: [] }) });
    const actions = await actionsSection();
    await within(actions).findByText(tpl(bg['requests.detail.window.passed'], { time: fmt(d.request.changeableUntil!) }));
    expect(within(actions).getByText(tpl(bg['requests.detail.window.closed'], { limit: tpl(bg['requests.detail.window.hours'], { n: '24' }) }))).toBeTruthy();
    expect(within(actions).queryByRole('button')).toBeNull();
    expect(within(actions).queryByText(bg['requests.detail.window.until'].split('{time}')[0]!, { exact: false })).toBeNull();
    expect(within(actions).queryByText(bg['requests.detail.actions.none'])).toBeNull();
  });

  it('takes the buttons away by itself when the deadline passes while the page is open', async () => {
    const d = detail(SLOT_NOW, START_NOW, 1);
    const deadline = new Date(d.request.changeableUntil!).getTime();
    pinNow(new Date(deadline - 30).toISOString());
    renderPage({ get: async () => d, freeSlots: async () => ({ items: [] }) });
    const actions = await actionsSection();
    expect(within(actions).getByRole('button', { name: bg['requests.detail.cancel.open'] })).toBeTruthy();
    // The page's timer (a real one) fires ~30 ms later and finds the browser's time past the deadline.
    vi.setSystemTime(new Date(deadline + 1_000));
    await waitFor(() => expect(within(actions).queryByRole('button')).toBeNull());
    expect(within(actions).getByTestId('change-deadline').getAttribute('data-state')).toBe('passed');
  });

  it('shows no deadline when the rule does not apply (no live appointment)', async () => {
    pinNow(NOW);
    const d = detail(SLOT_NOW, START_NOW, 1);
    d.request.changeableUntil = null;
    d.request.allowedActions = ['cancel'];
    d.appointment = null;
    renderPage({ get: async () => d, freeSlots: async () => ({ items: [] }) });
    const actions = await actionsSection();
    expect(within(actions).getByRole('button', { name: bg['requests.detail.cancel.open'] })).toBeTruthy();
    expect(within(actions).queryByTestId('change-deadline')).toBeNull();
  });
});
