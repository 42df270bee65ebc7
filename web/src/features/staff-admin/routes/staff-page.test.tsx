// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import { AuthProvider } from '../../auth/auth-context.js';
import type { Role } from '../../../../../src/contracts/identity.js';
import type { StaffAccount, StaffAdminApi, StaffFacilityList, StaffList } from '../api.js';
import { StaffPage } from './staff-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F1 = '0190a000-0000-7000-8000-0000000000f1';
const ME = '0190a000-0000-7000-8000-0000000000a1';
const SPEC = '0190a000-0000-7000-8000-0000000000a2';
const COORD = '0190a000-0000-7000-8000-0000000000a3';
const PRACT = '0190a000-0000-7000-8000-0000000000b1';

const account = (over: Partial<StaffAccount>): StaffAccount => ({
  id: SPEC,
  name: 'Мария Петрова',
  email: 'maria@clinic.bg',
  role: 'specialist',
  practitionerId: PRACT,
  mfaEnrolled: true,
  status: 'active',
  lockedUntil: null,
  lastSignInAt: '2026-11-24T07:30:00Z',
  createdAt: '2026-11-01T08:00:00Z',
  ...over,
});

const staffList = (): StaffList => ({
  items: [
    account({ id: ME, name: 'Админ Админов', email: 'admin@clinic.bg', role: 'facility_admin', practitionerId: null }),
    account({}),
    account({ id: COORD, name: 'Ирина Колева', email: 'irina@clinic.bg', role: 'coordinator', practitionerId: null, mfaEnrolled: false, lastSignInAt: null, status: 'locked', lockedUntil: '2026-11-25T08:15:00Z' }),
  ],
  unlinkedPractitioners: [{ id: PRACT, name: 'Георги Иванов' }],
});

const adminCan: StaffFacilityList['can'] = { create: true, reactivate: true, resetMfa: true };
const operatorCan: StaffFacilityList['can'] = { create: false, reactivate: false, resetMfa: false };

function renderAs(role: Role, staff: Partial<StaffAdminApi>) {
  const client = {
    auth: {
      me: async () => ({ id: ME, email: 'admin@clinic.bg', role, facilityIds: [F1], patientId: null, practitionerId: null, mfa: { totp: true, passkeys: 0, recoveryCodesLeft: 10 }, session: {} }),
    },
    staff,
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <AuthProvider>
          <MemoryRouter initialEntries={['/admin/staff']}>
            <StaffPage />
          </MemoryRouter>
        </AuthProvider>
      </ApiProvider>
    </I18nProvider>,
  );
}

const card = async (name: string) => (await screen.findByRole('heading', { level: 3, name: new RegExp(name) })).closest('li') as HTMLElement;

describe('StaffPage', () => {
  afterEach(cleanup);

  it("shows each account's role, e-mail, second factor, status and last sign-in; no deactivation of oneself", async () => {
    renderAs('facility_admin', { facilities: async () => ({ items: [{ id: F1, name: 'МЦ Първи', number: '2201001000' }], can: adminCan }), list: async () => staffList() });
    const maria = await card('Мария Петрова');
    expect(maria.textContent).toContain(bg['auth.role.specialist']);
    expect(maria.textContent).toContain('maria@clinic.bg');
    expect(maria.textContent).toContain(bg['staffAdmin.mfa.yes']);
    expect(within(maria).getByText(bg['staffAdmin.status.active'])).toBeTruthy();

    const irina = await card('Ирина Колева');
    expect(irina.textContent).toContain(bg['staffAdmin.status.locked']);
    expect(irina.textContent).toContain(bg['staffAdmin.mfa.no']);
    expect(irina.textContent).toContain(bg['staffAdmin.lastSignIn.never']);
    expect(within(irina).getByRole('button', { name: `${bg['staffAdmin.action.unlock']}: Ирина Колева` })).toBeTruthy();
    // Nothing to reset before a second factor exists.
    expect(within(irina).queryByRole('button', { name: new RegExp(bg['staffAdmin.action.resetMfa']) })).toBeNull();

    const self = await card('Админ Админов');
    expect(self.textContent).toContain(bg['staffAdmin.you']);
    expect(within(self).queryByRole('button')).toBeNull();
  });

  it('asks before deactivating, gives focus back on cancel, and shows the account deactivated after confirming', async () => {
    const act = vi.fn(async (_f: string, id: string, action: string) => {
      expect(action).toBe('deactivate');
      return account({ id, status: 'deactivated' });
    });
    renderAs('facility_admin', { facilities: async () => ({ items: [{ id: F1, name: 'МЦ Първи', number: '2201001000' }], can: adminCan }), list: async () => staffList(), act });
    const maria = await card('Мария Петрова');
    const deactivate = within(maria).getByRole('button', { name: `${bg['staffAdmin.action.deactivate']}: Мария Петрова` });

    fireEvent.click(deactivate);
    const question = within(maria).getByRole('group');
    expect(question.textContent).toContain(bg['staffAdmin.confirm.deactivate'].replace('{name}', 'Мария Петрова'));
    const yes = within(question).getByRole('button', { name: bg['staffAdmin.confirm.deactivateYes'] });
    await waitFor(() => expect(document.activeElement).toBe(yes));
    fireEvent.click(within(question).getByRole('button', { name: bg['staffAdmin.confirm.cancel'] }));
    await waitFor(() => expect(document.activeElement?.getAttribute('data-action')).toBe('deactivate'));
    expect(act).not.toHaveBeenCalled();

    fireEvent.click(within(maria).getByRole('button', { name: `${bg['staffAdmin.action.deactivate']}: Мария Петрова` }));
    fireEvent.click(within(maria).getByRole('button', { name: bg['staffAdmin.confirm.deactivateYes'] }));
    await waitFor(() => expect(act).toHaveBeenCalledWith(F1, SPEC, 'deactivate'));
    await waitFor(() => expect(within(maria).getByText(bg['staffAdmin.status.deactivated'])).toBeTruthy());
    expect(document.body.textContent).toContain(bg['staffAdmin.done.deactivate'].replace('{name}', 'Мария Петрова'));
    expect(within(maria).getByRole('button', { name: `${bg['staffAdmin.action.reactivate']}: Мария Петрова` })).toBeTruthy();
  });

  it('asks before resetting a second factor and explains a refusal from the one error catalogue', async () => {
    const act = vi.fn(async () => {
      throw new ApiError({ type: 'https://errors.distansia.bg/account.self_action', title: 'You cannot do this to your own account', status: 409, code: 'account.self_action' });
    });
    renderAs('facility_admin', { facilities: async () => ({ items: [{ id: F1, name: 'МЦ Първи', number: '2201001000' }], can: adminCan }), list: async () => staffList(), act });
    const maria = await card('Мария Петрова');
    fireEvent.click(within(maria).getByRole('button', { name: `${bg['staffAdmin.action.resetMfa']}: Мария Петрова` }));
    expect(within(maria).getByRole('group').textContent).toContain(bg['staffAdmin.confirm.resetMfa'].replace('{name}', 'Мария Петрова'));
    fireEvent.click(within(maria).getByRole('button', { name: bg['staffAdmin.confirm.resetMfaYes'] }));
    await waitFor(() => expect(act).toHaveBeenCalledWith(F1, SPEC, 'reset-mfa'));
    const alert = await waitFor(() => {
      const el = document.querySelector('[data-problem-code="account.self_action"]');
      if (!el) throw new Error('no problem shown yet');
      return el;
    });
    expect(alert.textContent).toContain(bg['problem.account.self_action']);
  });

  it('creates a specialist account from the facility’s specialists without one, and shows the server’s field errors', async () => {
    const create = vi
      .fn()
      .mockRejectedValueOnce(
        new ApiError({ type: 'https://errors.distansia.bg/resource.conflict', title: 'Conflicts with existing data', status: 409, code: 'resource.conflict', errors: [{ in: 'body', pointer: '#/email', detail: 'taken' }] }),
      )
      .mockResolvedValueOnce(account({ id: '0190a000-0000-7000-8000-0000000000a9', name: 'Георги Иванов', email: 'georgi@clinic.bg', mfaEnrolled: false, lastSignInAt: null }));
    const list = vi.fn(async () => staffList());
    renderAs('facility_admin', { facilities: async () => ({ items: [{ id: F1, name: 'МЦ Първи', number: '2201001000' }], can: adminCan }), list, create });
    const form = (await screen.findByRole('button', { name: bg['staffAdmin.create.submit'] })).closest('form') as HTMLFormElement;

    // The contract is checked before anything is sent: a specialist needs a practitioner.
    fireEvent.change(within(form).getByLabelText(bg['staffAdmin.create.email']), { target: { value: 'georgi@clinic.bg' } });
    fireEvent.click(within(form).getByRole('button', { name: bg['staffAdmin.create.submit'] }));
    await waitFor(() => expect(within(form).getByLabelText(bg['staffAdmin.create.practitioner']).getAttribute('aria-invalid')).toBe('true'));
    expect(create).not.toHaveBeenCalled();

    fireEvent.change(within(form).getByLabelText(bg['staffAdmin.create.practitioner']), { target: { value: PRACT } });
    fireEvent.click(within(form).getByRole('button', { name: bg['staffAdmin.create.submit'] }));
    await waitFor(() => expect(create).toHaveBeenCalledWith(F1, { role: 'specialist', email: 'georgi@clinic.bg', practitionerId: PRACT }));
    await waitFor(() => expect(within(form).getByLabelText(bg['staffAdmin.create.email']).getAttribute('aria-invalid')).toBe('true'));

    fireEvent.click(within(form).getByRole('button', { name: bg['staffAdmin.create.submit'] }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(document.body.textContent).toContain(bg['staffAdmin.create.done'].replace('{name}', 'Георги Иванов')));
    await waitFor(() => expect(list).toHaveBeenCalledTimes(2));
    expect((within(form).getByLabelText(bg['staffAdmin.create.email']) as HTMLInputElement).value).toBe('');
    // Behaviour changed deliberately: the administrator never sets a password (the person activates by e-mail).
    expect(form.querySelector('input[type="password"]')).toBeNull();
  });

  it('asks for a display name for coordinators and administrators', async () => {
    const create = vi.fn(async () => account({ id: '0190a000-0000-7000-8000-0000000000aa', name: 'Нина Русева', role: 'coordinator', practitionerId: null }));
    renderAs('facility_admin', { facilities: async () => ({ items: [{ id: F1, name: 'МЦ Първи', number: '2201001000' }], can: adminCan }), list: async () => staffList(), create });
    const form = (await screen.findByRole('button', { name: bg['staffAdmin.create.submit'] })).closest('form') as HTMLFormElement;
    fireEvent.change(within(form).getByLabelText(bg['staffAdmin.create.role']), { target: { value: 'coordinator' } });
    expect(within(form).queryByLabelText(bg['staffAdmin.create.practitioner'])).toBeNull();
    fireEvent.change(within(form).getByLabelText(bg['staffAdmin.create.displayName']), { target: { value: ' Нина Русева ' } });
    fireEvent.change(within(form).getByLabelText(bg['staffAdmin.create.email']), { target: { value: 'nina@clinic.bg' } });
    fireEvent.click(within(form).getByRole('button', { name: bg['staffAdmin.create.submit'] }));
    await waitFor(() => expect(create).toHaveBeenCalledWith(F1, { role: 'coordinator', email: 'nina@clinic.bg', displayName: 'Нина Русева' }));
  });

  it('gives the operator unlock and deactivate only: no creation, no reactivation, no second-factor reset', async () => {
    const act = vi.fn(async (_f: string, id: string) => account({ id, name: 'Ирина Колева', role: 'coordinator', status: 'active', lockedUntil: null }));
    renderAs('operator', {
      facilities: async () => ({ items: [{ id: F1, name: 'МЦ Първи', number: '2201001000' }, { id: '0190a000-0000-7000-8000-0000000000f2', name: 'МЦ Втори', number: '2201002000' }], can: operatorCan }),
      list: async () => ({ ...staffList(), items: [...staffList().items, account({ id: '0190a000-0000-7000-8000-0000000000ab', name: 'Спрян Профил', status: 'deactivated' })] }),
      act,
    });
    expect(await screen.findByLabelText(bg['staffAdmin.facility'])).toBeTruthy();
    const maria = await card('Мария Петрова');
    expect(within(maria).queryByRole('button', { name: new RegExp(bg['staffAdmin.action.resetMfa']) })).toBeNull();
    expect(within(maria).getByRole('button', { name: `${bg['staffAdmin.action.deactivate']}: Мария Петрова` })).toBeTruthy();
    const stopped = await card('Спрян Профил');
    expect(within(stopped).queryByRole('button')).toBeNull();
    expect(screen.queryByRole('button', { name: bg['staffAdmin.create.submit'] })).toBeNull();
    expect(screen.queryByRole('link', { name: bg['staffAdmin.back'] })).toBeNull();

    const irina = await card('Ирина Колева');
    fireEvent.click(within(irina).getByRole('button', { name: `${bg['staffAdmin.action.unlock']}: Ирина Колева` }));
    await waitFor(() => expect(act).toHaveBeenCalledWith(F1, COORD, 'unlock'));
    await waitFor(() => expect(within(irina).getByText(bg['staffAdmin.status.active'])).toBeTruthy());
  });

  it('tells other roles the page is not for them, without calling the staff API', async () => {
    const facilities = vi.fn();
    renderAs('specialist', { facilities });
    expect(await screen.findByText(bg['staffAdmin.gate.notAllowed'])).toBeTruthy();
    expect(facilities).not.toHaveBeenCalled();
  });
});
