// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../../api/client.js';
import { ApiProvider } from '../../../api/api-context.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { NhisRegistration, RegistryAdminApi } from '../api.js';
import { facilityFixture } from '../test-fixtures.js';
import { NhisRegistrationPanel } from './nhis-registration-panel.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F = '0190a000-0000-7000-8000-0000000000f1';

function renderWith(answers: NhisRegistration[], sync = vi.fn(async () => undefined)) {
  const nhisRegistration = vi.fn(async () => answers.shift() ?? answers[0]!);
  const client = { registryAdmin: { nhisRegistration, syncNhisRegistration: sync } as Partial<RegistryAdminApi> } as unknown as ApiClient;
  render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <NhisRegistrationPanel facility={facilityFixture(F, 'МЦ Тест')} />
      </ApiProvider>
    </I18nProvider>,
  );
  return { nhisRegistration, sync };
}

const base: NhisRegistration = { status: 'registered', upToDate: true, reference: 'TM-2201001000-0001', acknowledgedAt: '2026-12-07T08:30:00Z', lastAttemptAt: '2026-12-07T08:30:00Z', lastError: null, services: 2, practitioners: 1 };

afterEach(cleanup);

describe('R-TM-34: the facility’s entry in the NHIS database, as its administrator sees it', () => {
  it('an acknowledged entry: the state, when (Sofia time, no seconds) and what the NHIS holds; nothing to send', async () => {
    renderWith([base]);
    await screen.findByText(bg['registryAdmin.nhis.upToDate']);
    expect(screen.getByText(bg['registryAdmin.nhis.status.registered'])).toBeTruthy();
    expect(screen.getByText(/7 декември.*10:30/)).toBeTruthy();
    expect(screen.getByText('услуги: 2, специалисти: 1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: bg['registryAdmin.nhis.sendNow'] })).toBeNull();
  });

  it('an outage is said in words, never as the code, and "Изпрати сега" asks for the sync and reloads', async () => {
    const failed: NhisRegistration = { ...base, status: 'failed', upToDate: false, lastError: 'nhis_unavailable', lastAttemptAt: '2026-12-07T09:00:00Z' };
    const { nhisRegistration, sync } = renderWith([failed, base]);
    await screen.findByText(bg['registryAdmin.nhis.error.unavailable'], { exact: false });
    expect(document.body.textContent).not.toContain('nhis_unavailable');
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.nhis.sendNow'] }));
    await waitFor(() => expect(sync).toHaveBeenCalledWith(F));
    await screen.findByText(bg['registryAdmin.nhis.upToDate']);
    expect(nhisRegistration).toHaveBeenCalledTimes(2);
  });

  it('a refusal tells the administrator what to check, without the NHIS’s reason code', async () => {
    renderWith([{ ...base, status: 'refused', upToDate: false, lastError: 'invalid_ekatte' }]);
    await screen.findByText(bg['registryAdmin.nhis.error.refused'], { exact: false });
    expect(document.body.textContent).not.toContain('invalid_ekatte');
  });
});
