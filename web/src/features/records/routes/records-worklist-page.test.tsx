// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { Deadline, RecordsApi } from '../api.js';
import { deadlineFixture } from '../test-fixtures.js';
import { RecordsWorklistPage } from './records-worklist-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const id = (n: number) => `0190a000-0000-7000-8000-00000000000${n}`;

const base: Deadline = deadlineFixture({ requestId: id(1), facilityId: id(9), practitionerId: id(8), secondsLeft: 30 * 3600 + 5 * 60 });
const NOW = '2026-11-24T08:00:00Z';

function renderPage(records: Partial<RecordsApi>) {
  const client = { records, requests: { worklist: async () => ({ emergencies: [], planned: [] }) } } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter>
          <RecordsWorklistPage />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

const card = async (requestId: string) => {
  await screen.findByRole('heading', { name: bg['records.worklist.pending'] });
  return document.querySelector(`[data-request-id="${requestId}"]`) as HTMLElement;
};

describe('documentation worklist', () => {
  afterEach(cleanup);

  it('shows the deadline in Europe/Sofia with the time left, escalation and breaches, and links to the editor', async () => {
    const escalated: Deadline = { ...base, requestId: id(2), escalatedAt: '2026-11-25T08:00:00Z', secondsLeft: 3 * 3600 };
    const missed: Deadline = { ...base, requestId: id(3), status: 'missed', breachCause: 'nhis_unavailable', breachedAt: '2026-11-25T14:00:01Z', secondsLeft: -7200, documentStatus: 'signed' };
    const met: Deadline = { ...base, requestId: id(4), status: 'met', recordedAt: '2026-11-24T09:05:00Z', nrn: '26SIM0000001', secondsLeft: null, documentStatus: 'signed' };
    renderPage({ worklist: async () => ({ now: NOW, items: [base, escalated, missed, met] }) });

    const first = await card(id(1));
    // Wednesday 16:00 in Sofia is 14:00 UTC; the zone is named.
    expect(first.textContent).toContain('16:00');
    expect(first.textContent).toContain('(Europe/Sofia)');
    expect(first.textContent).toContain(bg['records.deadline.left'].replace('{span}', '1 д 6 ч'));
    expect(within(first).getByRole('link', { name: bg['records.worklist.write'] }).getAttribute('href')).toBe(`/requests/${id(1)}/sheet`);
    expect((await card(id(2))).textContent).toContain(bg['records.deadline.state.escalated']);
    const breached = await card(id(3));
    expect(breached.textContent).toContain(bg['records.deadline.cause.nhis_unavailable']);
    expect(within(breached).queryByRole('button', { name: bg['records.complex.title'] })).toBeNull();
    // Recorded ones are listed apart, with the NRN, and cannot be extended.
    expect(screen.getByRole('heading', { name: bg['records.worklist.recent'] })).toBeTruthy();
    const done = await card(id(4));
    expect(done.textContent).toContain('26SIM0000001');
    expect(within(done).queryByRole('button', { name: bg['records.complex.title'] })).toBeNull();
  });

  it('R-TM-43: marking a case complex needs a reason and is offered only before the base deadline', async () => {
    const late: Deadline = { ...base, requestId: id(2), baseDueAt: '2026-11-24T07:00:00Z', dueAt: '2026-11-24T07:00:00Z', secondsLeft: -3600 };
    const markComplex = vi.fn<RecordsApi['markComplex']>(async (requestId, body) => ({ ...base, requestId, complex: true, complexKind: body.kind, dueAt: '2026-11-26T08:00:00Z', secondsLeft: 48 * 3600 }));
    renderPage({ worklist: async () => ({ now: NOW, items: [base, late] }), markComplex });

    expect(within(await card(id(2))).queryByRole('button', { name: bg['records.complex.title'] })).toBeNull();
    const open = await card(id(1));
    fireEvent.click(within(open).getByRole('button', { name: bg['records.complex.title'] }));
    const form = within(open).getByRole('form', { name: bg['records.complex.title'] });
    fireEvent.click(within(form).getByLabelText(bg['records.complex.kind.image_processing']));
    const submit = within(form).getByRole('button', { name: bg['records.complex.submit'] }) as HTMLButtonElement;
    fireEvent.change(within(form).getByLabelText(bg['records.complex.reason']), { target: { value: 'КТ  ' } });
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(form).getByLabelText(bg['records.complex.reason']), { target: { value: 'Обработка на 300 DICOM среза' } });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    await waitFor(() => expect(markComplex).toHaveBeenCalledWith(id(1), { kind: 'image_processing', reason: 'Обработка на 300 DICOM среза' }));
    await waitFor(() => expect(open.textContent).toContain(bg['records.deadline.extended'].replace('{kind}', bg['records.complex.kind.image_processing'])));
    expect(within(open).queryByRole('button', { name: bg['records.complex.title'] })).toBeNull();
  });
});
