// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { PendingNhisSubmission, RecordsApi } from '../api.js';
import { NhisPendingPage } from './nhis-pending-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const id = (n: number) => `0190a000-0000-7000-8000-00000000000${n}`;
const NOW = '2026-11-24T08:00:00Z';

const base: PendingNhisSubmission = {
  submissionId: id(1),
  requestId: id(2),
  documentId: id(3),
  facilityId: id(4),
  operation: 'open_close',
  status: 'pending',
  attempts: 3,
  lastError: 'NhisUnavailableError: connect ECONNREFUSED 10.0.0.1:443',
  lastAttemptAt: '2026-11-24T07:30:00Z',
  lastMessageType: 'X001',
  offline: true,
  queuedAt: '2026-11-24T07:00:00Z',
  dueAt: '2026-11-26T07:00:00Z',
  patient: { name: 'Мария Иванова', identifierKind: 'egn', identifierMasked: '••••••••18' },
};

function renderPage(records: Partial<RecordsApi>) {
  const client = { records } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter>
          <NhisPendingPage />
        </MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('records waiting for the NHIS', () => {
  afterEach(cleanup);

  it('says in words why each record waits, with its attempts and the Art. 17 deadline in Sofia time, and no internal codes', async () => {
    const rejected: PendingNhisSubmission = { ...base, submissionId: id(5), requestId: id(6), status: 'rejected', offline: false, operation: 'correct', lastError: 'invalid_signature', lastMessageType: 'X009', patient: null };
    renderPage({ nhisPending: async () => ({ now: NOW, items: [base, rejected] }) });
    const items = await screen.findAllByTestId('nhis-pending-item');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain(bg['records.nhisPending.why.offline']);
    expect(items[0]!.textContent).toContain(bg['records.nhisPending.op.record']);
    // 09:30 and 09:00 in Sofia are 07:30 and 07:00 UTC.
    expect(items[0]!.textContent).toContain('09:30');
    // The patient, named with the identifier masked, where the server let the caller see them; none otherwise.
    expect(items[0]!.textContent).toContain('Мария Иванова');
    expect(items[0]!.textContent).toContain('ЕГН ••••••••18');
    expect(items[1]!.querySelector('[data-testid="nhis-pending-patient"]')).toBeNull();
    expect(items[1]!.getAttribute('data-status')).toBe('rejected');
    expect(items[1]!.textContent).toContain(bg['records.nhisPending.why.rejected']);
    expect(items[1]!.textContent).toContain(bg['records.nhisPending.op.correct']);
    const text = document.body.textContent ?? '';
    for (const code of ['ECONNREFUSED', 'invalid_signature', 'X001', 'X009', 'X013']) expect(text).not.toContain(code);
    expect(screen.getAllByRole('link', { name: bg['records.worklist.open'] })[1]!.getAttribute('href')).toBe(`/requests/${id(6)}/sheet`);
  });

  it('says when nothing waits', async () => {
    renderPage({ nhisPending: async () => ({ now: NOW, items: [] }) });
    expect((await screen.findByTestId('nhis-pending-empty')).textContent).toBe(bg['records.nhisPending.empty']);
  });
});
