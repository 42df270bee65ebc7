// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { AuthApi } from '../api.js';
import { ChangePasswordForm } from '../components/change-password-form.js';
import { ForgotPasswordPage, ResetPasswordPage } from './password-reset-pages.js';

// The forgotten-password pages and the password change form: busy while sending, the server's problem
// on a refusal, and a spent one-time code never left in its field.

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const refused = (code: string) => new ApiError({ type: 'x', title: 'refused', status: 400, code });

/** A promise the test settles by hand, to look at the form while the request is in flight. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

function renderWith(auth: Partial<AuthApi>, ui: ReactNode) {
  const client = { auth } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <MemoryRouter>{ui}</MemoryRouter>
      </ApiProvider>
    </I18nProvider>,
  );
}

const submitButton = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('ForgotPasswordPage', () => {
  afterEach(cleanup);

  it('is busy while sending, then says a link was sent (whatever the e-mail)', async () => {
    const call = deferred<undefined>();
    const requestPasswordReset = vi.fn(() => call.promise);
    renderWith({ requestPasswordReset }, <ForgotPasswordPage />);
    fireEvent.change(screen.getByLabelText(bg['auth.field.email']), { target: { value: '  someone@example.bg ' } });
    fireEvent.click(submitButton(bg['auth.forgot.submit']));
    await waitFor(() => expect(submitButton(bg['auth.forgot.submit']).disabled).toBe(true));
    expect(requestPasswordReset).toHaveBeenCalledWith('someone@example.bg');
    call.resolve(undefined);
    expect(await screen.findByText(bg['auth.forgot.sent'])).toBeTruthy();
    expect(screen.queryByRole('button', { name: bg['auth.forgot.submit'] })).toBeNull();
  });

  it('shows the problem and lets the user try again', async () => {
    const requestPasswordReset = vi.fn<AuthApi['requestPasswordReset']>().mockRejectedValueOnce(refused('rate.limited')).mockResolvedValueOnce(undefined);
    const { container } = renderWith({ requestPasswordReset }, <ForgotPasswordPage />);
    fireEvent.change(screen.getByLabelText(bg['auth.field.email']), { target: { value: 'someone@example.bg' } });
    fireEvent.click(submitButton(bg['auth.forgot.submit']));
    await waitFor(() => expect(container.querySelector('[data-problem-code="rate.limited"], [role="alert"]')).not.toBeNull());
    expect(submitButton(bg['auth.forgot.submit']).disabled).toBe(false);
    fireEvent.click(submitButton(bg['auth.forgot.submit']));
    expect(await screen.findByText(bg['auth.forgot.sent'])).toBeTruthy();
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });
});

describe('ResetPasswordPage', () => {
  afterEach(() => {
    cleanup();
    window.history.replaceState(null, '', '/');
  });

  it('a refused attempt shows the problem and clears the spent code; the next one succeeds and drops the token from the address', async () => {
    window.history.replaceState(null, '', '/reset-password#token=tok-123');
    const confirmPasswordReset = vi.fn<AuthApi['confirmPasswordReset']>().mockRejectedValueOnce(refused('auth.reset_invalid')).mockResolvedValueOnce(undefined);
    const { container } = renderWith({ confirmPasswordReset }, <ResetPasswordPage />);
    fireEvent.change(screen.getByLabelText(bg['auth.password.new']), { target: { value: 'a-long-new-passphrase' } });
    const code = screen.getByLabelText(bg['auth.reset.code']) as HTMLInputElement;
    fireEvent.change(code, { target: { value: ' 123456 ' } });
    fireEvent.click(submitButton(bg['auth.reset.submit']));
    await waitFor(() => expect(container.querySelector('[role="alert"]')).not.toBeNull());
    expect(confirmPasswordReset).toHaveBeenLastCalledWith({ token: 'tok-123', newPassword: 'a-long-new-passphrase', code: '123456' });
    expect(code.value).toBe('');
    expect((screen.getByLabelText(bg['auth.password.new']) as HTMLInputElement).value).toBe('a-long-new-passphrase');
    // An invalid or spent link: the way back to asking for a new one.
    expect(screen.getByRole('link', { name: bg['auth.forgot.title'] })).toBeTruthy();
    expect(window.location.hash).toBe('#token=tok-123');

    fireEvent.change(code, { target: { value: '654321' } });
    fireEvent.click(submitButton(bg['auth.reset.submit']));
    expect(await screen.findByText(bg['auth.reset.done'])).toBeTruthy();
    expect(window.location.hash).toBe('');
  });
});

describe('ChangePasswordForm', () => {
  afterEach(cleanup);

  it('clears the one-time code after a refusal (keeping the passwords) and everything after success', async () => {
    const changePassword = vi.fn<AuthApi['changePassword']>().mockRejectedValueOnce(refused('auth.invalid_code')).mockResolvedValueOnce({ sessionsEnded: 2 });
    const onChanged = vi.fn();
    const { container } = renderWith({ changePassword }, <ChangePasswordForm onChanged={onChanged} />);
    const current = screen.getByLabelText(bg['auth.password.current']) as HTMLInputElement;
    const next = screen.getByLabelText(bg['auth.password.new']) as HTMLInputElement;
    const code = screen.getByLabelText(bg['auth.password.code']) as HTMLInputElement;
    fireEvent.change(current, { target: { value: 'the-old-passphrase' } });
    fireEvent.change(next, { target: { value: 'a-long-new-passphrase' } });
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.submit(container.querySelector('form')!);
    await waitFor(() => expect(container.querySelector('[role="alert"]')).not.toBeNull());
    expect([current.value, next.value, code.value]).toEqual(['the-old-passphrase', 'a-long-new-passphrase', '']);
    expect(onChanged).not.toHaveBeenCalled();

    fireEvent.change(code, { target: { value: '654321' } });
    fireEvent.submit(container.querySelector('form')!);
    expect(await screen.findByText(bg['auth.password.done'].replace('{count}', '2'))).toBeTruthy();
    expect([current.value, next.value, code.value]).toEqual(['', '', '']);
    expect(container.querySelector('[role="alert"]')).toBeNull();
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(changePassword).toHaveBeenLastCalledWith({ currentPassword: 'the-old-passphrase', newPassword: 'a-long-new-passphrase', code: '654321' });
  });
});
