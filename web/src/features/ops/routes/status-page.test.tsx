// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { Readiness } from '../api.js';
import { StatusPage } from './status-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };

function renderWith(getReadiness: ApiClient['ops']['getReadiness']) {
  const client = { ops: { getReadiness } } as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <StatusPage />
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('StatusPage', () => {
  afterEach(cleanup);

  it('shows each check in words when the server is not ready', async () => {
    const readiness: Readiness = { status: 'unavailable', checks: { database: 'down', migrations: 'ok' } };
    renderWith(async () => readiness);

    expect((await screen.findByRole('status')).textContent).toBe(messages.bg['status.overall.unavailable']);
    const databaseRow = screen.getByRole('rowheader', { name: messages.bg['status.database'] }).closest('tr');
    expect(databaseRow?.textContent).toContain(messages.bg['status.database.down']);
  });

  it('shows the localised problem when the call fails', async () => {
    renderWith(async () => {
      throw new ApiError({ type: 'about:blank', title: 'Internal error', status: 500, code: 'internal' });
    });

    expect((await screen.findByRole('alert')).textContent).toContain(messages.bg['problem.internal']);
  });
});
