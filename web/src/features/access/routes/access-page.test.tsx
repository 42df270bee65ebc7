// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { AccessApi, AccessGrant } from '../api.js';
import { AccessPage, endOfDayInSofia } from './access-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const A = '0190a000-0000-7000-8000-00000000000a';
const C = '0190a000-0000-7000-8000-00000000000c';

const grant = (over: Partial<AccessGrant> = {}): AccessGrant => ({
  id: '0190a000-0000-7000-8000-000000000001',
  patientId: A,
  grantee: { accountId: '0190a000-0000-7000-8000-000000000002', email: 'dr@example.bg', role: 'specialist', displayName: 'Д-р Иванов' },
  scope: 'read',
  purpose: 'Второ мнение',
  validFrom: '2026-11-25T08:00:00Z',
  validUntil: null,
  revokedAt: null,
  status: 'active',
  ...over,
});

function renderWith(access: Partial<AccessApi>) {
  const client = {
    access: {
      actingFor: async () => ({ items: [{ patientId: A, basis: 'self', linkId: null, givenName: 'Мария', familyName: 'Петрова' }] }),
      sharedWithMe: async () => ({ items: [] }),
      listGrants: async () => ({ items: [grant()] }),
      ...access,
    },
  } as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <AccessPage />
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('AccessPage', () => {
  afterEach(cleanup);

  it('revokes a grant only after confirmation', async () => {
    const revokeGrant = vi.fn(async () => grant({ status: 'revoked', revokedAt: '2026-11-25T09:00:00Z' }));
    renderWith({ revokeGrant });
    fireEvent.click(await screen.findByRole('button', { name: bg['access.revoke'] }));
    expect(revokeGrant).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: bg['access.revoke.no'] }));
    expect(revokeGrant).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: bg['access.revoke'] }));
    fireEvent.click(screen.getByRole('button', { name: bg['access.revoke.yes'] }));
    await waitFor(() => expect(revokeGrant).toHaveBeenCalledWith(grant().id));
  });

  it('grants access with the purpose and the end of the chosen Sofia day', async () => {
    const grantAccess = vi.fn(async () => grant({ id: C }));
    renderWith({ grantAccess, listGrants: async () => ({ items: [] }) });
    fireEvent.change(await screen.findByLabelText(bg['access.form.email']), { target: { value: ' dr@example.bg ' } });
    fireEvent.change(screen.getByLabelText(bg['access.form.purpose']), { target: { value: 'Второ мнение' } });
    fireEvent.change(screen.getByLabelText(bg['access.form.until']), { target: { value: '2026-12-31' } });
    fireEvent.click(screen.getByRole('button', { name: bg['access.form.submit'] }));
    await waitFor(() =>
      expect(grantAccess).toHaveBeenCalledWith(A, { granteeEmail: 'dr@example.bg', purpose: 'Второ мнение', validUntil: '2026-12-31T23:59:59+02:00' }),
    );
  });

  it('shows the server problem next to the e-mail field', async () => {
    renderWith({
      listGrants: async () => ({ items: [] }),
      grantAccess: async () => {
        throw new ApiError({ type: 'about:blank', title: 'x', status: 422, code: 'access.account_not_found', errors: [{ in: 'body', pointer: '#/granteeEmail', detail: 'no active account' }] });
      },
    });
    fireEvent.change(await screen.findByLabelText(bg['access.form.email']), { target: { value: 'nobody@example.bg' } });
    fireEvent.change(screen.getByLabelText(bg['access.form.purpose']), { target: { value: 'x' } });
    fireEvent.click(screen.getByRole('button', { name: bg['access.form.submit'] }));
    expect(await screen.findByText(bg['problem.access.account_not_found'])).toBeTruthy();
    expect(screen.getByLabelText(bg['access.form.email']).getAttribute('aria-invalid')).toBe('true');
  });

  it('offers a switcher when a representative acts for several patients', async () => {
    const listGrants = vi.fn(async () => ({ items: [] }));
    renderWith({
      listGrants,
      actingFor: async () => ({
        items: [
          { patientId: A, basis: 'representative', linkId: C, givenName: 'Ана', familyName: 'Илиева' },
          { patientId: C, basis: 'representative', linkId: A, givenName: 'Боян', familyName: 'Илиев' },
        ],
      }),
    });
    const select = await screen.findByLabelText(bg['access.actingFor.label']);
    fireEvent.change(select, { target: { value: C } });
    await waitFor(() => expect(listGrants).toHaveBeenLastCalledWith(C));
  });
});

describe('endOfDayInSofia', () => {
  it('uses the winter and the summer offset (Europe/Sofia)', () => {
    expect(endOfDayInSofia('2026-01-15')).toBe('2026-01-15T23:59:59+02:00');
    expect(endOfDayInSofia('2026-07-15')).toBe('2026-07-15T23:59:59+03:00');
    expect(endOfDayInSofia('2026-03-29')).toBe('2026-03-29T23:59:59+03:00');
  });
});
