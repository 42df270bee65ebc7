// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { AuthApi, Me } from '../api.js';
import { AuthProvider } from '../auth-context.js';
import { ActivationPage } from './activation-page.js';

// Staff activation (docs/identity.md): the person's own password and the first authenticator code in one
// step; the recovery codes once; a dead link sends the person to their administrator.

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const TOKEN = 'tok_abcdefghijklmnopqrstuvwxyz0123';
const start = { email: 'maria@clinic.bg', role: 'specialist' as const, totp: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrDataUrl: 'data:image/svg+xml;base64,PHN2Zy8+' } };
const me = { id: '0190a000-0000-7000-8000-000000000001', email: 'maria@clinic.bg', role: 'specialist' } as unknown as Me;

function renderWith(auth: Partial<AuthApi>) {
  const client = { auth: { me: async () => null, ...auth } } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <AuthProvider>
          <MemoryRouter>
            <ActivationPage />
          </MemoryRouter>
        </AuthProvider>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('ActivationPage', () => {
  beforeEach(() => {
    window.history.replaceState(null, '', `/activate#token=${TOKEN}`);
  });
  afterEach(cleanup);

  it('shows whose account it is and the authenticator, sends password and code together, then shows the recovery codes and drops the token', async () => {
    const startActivation = vi.fn(async () => start);
    const completeActivation = vi.fn(async () => ({ status: 'signed_in' as const, me, recoveryCodes: ['aaaa-bbbb-cccc', 'dddd-eeee-ffff'] }));
    renderWith({ startActivation, completeActivation });
    expect(await screen.findByTestId('totp-secret')).toBeTruthy();
    expect(startActivation).toHaveBeenCalledWith(TOKEN);
    expect(document.body.textContent).toContain(bg['auth.activate.intro'].replace('{email}', 'maria@clinic.bg'));
    fireEvent.change(screen.getByLabelText(bg['auth.password.new']), { target: { value: 'Vitosha-Zimna-Pesen-2027' } });
    fireEvent.change(screen.getByLabelText(bg['auth.activate.code']), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: bg['auth.activate.submit'] }));
    await waitFor(() => expect(completeActivation).toHaveBeenCalledWith({ token: TOKEN, password: 'Vitosha-Zimna-Pesen-2027', code: '123456' }));
    expect((await screen.findByTestId('recovery-codes')).textContent).toContain('aaaa-bbbb-cccc');
    expect(window.location.hash).toBe('');
  });

  it('a wrong code shows the problem and clears the code; a dead link tells the person to ask their administrator', async () => {
    const completeActivation = vi.fn<AuthApi['completeActivation']>().mockRejectedValueOnce(new ApiError({ type: 'x', title: 'wrong code', status: 401, code: 'auth.mfa_invalid' }));
    renderWith({ startActivation: async () => start, completeActivation });
    await screen.findByTestId('totp-secret');
    fireEvent.change(screen.getByLabelText(bg['auth.password.new']), { target: { value: 'Vitosha-Zimna-Pesen-2027' } });
    fireEvent.change(screen.getByLabelText(bg['auth.activate.code']), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: bg['auth.activate.submit'] }));
    await waitFor(() => expect(document.querySelector('[data-problem-code="auth.mfa_invalid"]')).not.toBeNull());
    expect((screen.getByLabelText(bg['auth.activate.code']) as HTMLInputElement).value).toBe('');
    cleanup();

    renderWith({ startActivation: async () => Promise.reject(new ApiError({ type: 'x', title: 'gone', status: 410, code: 'auth.activation_invalid' })) });
    expect(await screen.findByText(bg['auth.activate.askAdmin'])).toBeTruthy();
    expect(screen.queryByLabelText(bg['auth.password.new'])).toBeNull();
  });
});
