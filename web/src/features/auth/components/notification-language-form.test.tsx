// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { AuthApi, Me, UpdateMeBody } from '../api.js';
import { NotificationLanguageForm } from './notification-language-form.js';

// The language of the account's e-mail and SMS on the account page (PATCH /api/v1/me,
// docs/notifications.md#texts): shows the stored choice, sends only a change, says what was saved, and
// shows the server's problem when refused.

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const me: Me = {
  id: '0190a000-0000-7000-8000-000000000001',
  email: 'patient@example.bg',
  role: 'patient',
  facilityIds: [],
  patientId: '0190a000-0000-7000-8000-0000000000aa',
  practitionerId: null,
  isGp: false,
  mfa: { totp: true, passkeys: 0, recoveryCodesLeft: 10 },
  session: { id: '0190a000-0000-7000-8000-000000000002', expiresAt: '2026-11-30T20:00:00Z', idleExpiresAt: '2026-11-30T08:30:00Z' },
  notificationLang: 'bg',
};

/** The page keeps the account in the auth context; here a state plays that part. */
function Harness({ updateMe }: { updateMe: AuthApi['updateMe'] }) {
  const [account, setAccount] = useState(me);
  const client = { auth: { updateMe } } as unknown as ApiClient;
  return (
    <I18nProvider storage={noStorage}>
      <ApiProvider client={client}>
        <NotificationLanguageForm me={account} onSaved={setAccount} />
      </ApiProvider>
    </I18nProvider>
  );
}

const radio = (name: string) => screen.getByRole('radio', { name }) as HTMLInputElement;
const save = () => screen.getByRole('button', { name: bg['auth.notificationLang.submit'] }) as HTMLButtonElement;

describe('NotificationLanguageForm', () => {
  afterEach(cleanup);

  it('shows the stored language, sends English once chosen, and says so', async () => {
    const updateMe = vi.fn(async (body: UpdateMeBody) => ({ ...me, notificationLang: body.notificationLang }));
    render(<Harness updateMe={updateMe} />);
    expect(screen.getByRole('group', { name: bg['auth.notificationLang.legend'] })).toBeTruthy();
    expect(radio(bg['auth.notificationLang.bg']).checked).toBe(true);
    // Nothing to save until the choice differs from the stored one.
    expect(save().disabled).toBe(true);

    fireEvent.click(radio(bg['auth.notificationLang.en']));
    expect(save().disabled).toBe(false);
    fireEvent.click(save());

    await waitFor(() => expect(updateMe).toHaveBeenCalledWith({ notificationLang: 'en' }));
    const status = await screen.findByRole('status');
    expect(status.textContent).toBe(bg['auth.notificationLang.saved'].replace('{language}', bg['auth.notificationLang.en']));
    expect(radio(bg['auth.notificationLang.en']).checked).toBe(true);
    expect(save().disabled).toBe(true);
    expect(updateMe).toHaveBeenCalledTimes(1);
  });

  it('shows the problem when the server refuses, and keeps the stored language', async () => {
    const updateMe = vi.fn(async () => {
      throw new ApiError({ type: 'x', title: 'refused', status: 403, code: 'auth.csrf' });
    });
    render(<Harness updateMe={updateMe} />);
    fireEvent.click(radio(bg['auth.notificationLang.en']));
    fireEvent.click(save());

    expect((await screen.findByRole('alert')).textContent).toContain(bg['problem.auth.csrf']);
    expect(screen.queryByRole('status')).toBeNull();
    // The choice stays on screen so the user can try again.
    expect(save().disabled).toBe(false);
  });
});
