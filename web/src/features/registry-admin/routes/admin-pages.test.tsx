// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../../api/client.js';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import { AuthProvider } from '../../auth/auth-context.js';
import type { Centre, ReferenceData, RegistryAdminApi } from '../api.js';
import { ApiProvider } from '../../../api/api-context.js';
import { facilityFixture } from '../test-fixtures.js';
import { AdminHomePage } from './admin-home-page.js';
import { CentrePage } from './centre-page.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F1 = '0190a000-0000-7000-8000-0000000000f1';
const F2 = '0190a000-0000-7000-8000-0000000000f2';
const C = '0190a000-0000-7000-8000-0000000000c1';

const reference: ReferenceData = {
  facilityTypes: [
    { code: 'mc', nameBg: 'Медицински център', nameEn: 'Medical centre', legalBasis: 'ЗЛЗ чл. 8', eligible: true },
    { code: 'tissue_bank', nameBg: 'Тъканна банка', nameEn: 'Tissue bank', legalBasis: 'ЗЛЗ чл. 10, т. 7', eligible: false },
  ],
  regions: [{ code: '22', oblast: 'SOF', nameBg: 'София-град', nameEn: 'Sofia City' }],
  specialties: [{ code: '1020', nhifCode: null, nameBg: 'Кардиология', nameEn: 'Cardiology', dental: false }],
  serviceKinds: [],
};

function renderAs(role: 'facility_admin' | 'coordinator', api: Partial<RegistryAdminApi>, path: string, page: ReactNode, route: string) {
  const client = {
    auth: {
      me: async () => ({ id: F1, email: 'x@demo.bg', role, facilityIds: [F1], patientId: null, practitionerId: null, mfa: { totp: true, passkeys: 0, recoveryCodesLeft: 10 }, session: {} }),
    },
    registryAdmin: { reference: async () => reference, ...api } as RegistryAdminApi,
  } as unknown as ApiClient;
  return render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ApiProvider client={client}>
        <AuthProvider>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={page} />
            </Routes>
          </MemoryRouter>
        </AuthProvider>
      </ApiProvider>
    </I18nProvider>,
  );
}

describe('AdminHomePage (Art. 4)', () => {
  afterEach(cleanup);

  it('lists the facilities a facility administrator manages, without the registration form', async () => {
    renderAs('facility_admin', { facilities: async () => ({ items: [facilityFixture(F1, 'МЦ Първи')] }) }, '/admin', <AdminHomePage />, '/admin');
    expect((await screen.findByRole('link', { name: 'МЦ Първи' })).getAttribute('href')).toBe(`/admin/facilities/${F1}`);
    expect(screen.getByRole('heading', { name: bg['registryAdmin.home.facilities'] })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: bg['registryAdmin.home.register.title'] })).toBeNull();
  });

  it('R-TM-02: a coordinator registering an ineligible type sees why it is refused, with the form as typed', async () => {
    const registerFacility = vi.fn(async () => {
      throw new ApiError({
        type: 'https://errors.distansia.bg/rule.violated',
        title: 'A rule of the ordinance forbids this',
        status: 422,
        code: 'rule.violated',
        detail: 'Facilities of type "Tissue bank" may not provide medical care at a distance',
        errors: [{ in: 'body', pointer: '#/typeCode', detail: 'R-TM-02' }],
        meta: { rule: 'R-TM-02' },
      });
    });
    renderAs('coordinator', { facilities: async () => ({ items: [] }), registerFacility }, '/admin', <AdminHomePage />, '/admin');
    const form = (await screen.findByRole('button', { name: bg['registryAdmin.home.register.submit'] })).closest('form') as HTMLFormElement;
    const type = within(form).getByLabelText(bg['registryAdmin.field.typeCode']) as HTMLSelectElement;
    await waitFor(() => expect(type.options.length).toBe(3));
    // The ineligible type is marked in the list before anything is sent.
    expect([...type.options].map((o) => o.textContent)).toContain(`Тъканна банка ${bg['registryAdmin.field.typeIneligible']}`);
    fireEvent.change(within(form).getByLabelText(bg['registryAdmin.field.number']), { target: { value: '2201001000' } });
    fireEvent.change(within(form).getByLabelText(bg['registryAdmin.field.name']), { target: { value: 'Тъканна банка София' } });
    fireEvent.change(type, { target: { value: 'tissue_bank' } });
    fireEvent.change(within(form).getByLabelText(bg['registryAdmin.field.rhifCode']), { target: { value: '22' } });
    fireEvent.change(within(form).getByLabelText(bg['registryAdmin.field.settlement']), { target: { value: 'София' } });
    fireEvent.change(within(form).getByLabelText(bg['registryAdmin.field.address']), { target: { value: 'ул. Тест 2' } });
    fireEvent.click(within(form).getByRole('button', { name: bg['registryAdmin.home.register.submit'] }));

    await waitFor(() => expect(registerFacility).toHaveBeenCalledWith({ number: '2201001000', name: 'Тъканна банка София', typeCode: 'tissue_bank', rhifCode: '22', settlement: 'София', address: 'ул. Тест 2', description: '' }));
    const rule = await waitFor(() => {
      const el = form.querySelector('.ra-rule[data-rule="R-TM-02"]');
      if (!el) throw new Error('no rule explanation yet');
      return el;
    });
    expect(rule.textContent).toContain(bg['registryAdmin.rule.R-TM-02']);
    expect(type.getAttribute('aria-invalid')).toBe('true');
    expect(type.value).toBe('tissue_bank');
    expect((within(form).getByLabelText(bg['registryAdmin.field.name']) as HTMLInputElement).value).toBe('Тъканна банка София');
  });
});

describe('CentrePage (Art. 5(4), R-TM-21)', () => {
  afterEach(cleanup);

  const draft: Centre = {
    id: C,
    name: 'Център „Север“',
    status: 'draft',
    contractReference: 'Договор № 1',
    contractSignedOn: null,
    headName: null,
    headPractitionerId: null,
    activatedAt: null,
    members: [
      { facilityId: F1, rightsObligations: 'Осигурява кардиолози.', structures: [{ structure: 'Кабинет', specialtyCode: '1020' }] },
      { facilityId: F2, rightsObligations: '', structures: [] },
    ],
    missing: ['head', `rights_obligations:${F2}`, `structures:${F2}`],
    version: 4,
  };

  it('names what the contract lacks, and activation is refused until it is complete', async () => {
    const activateCentre = vi.fn(async () => {
      throw new ApiError({
        type: 'https://errors.distansia.bg/rule.violated',
        title: 'A rule of the ordinance forbids this',
        status: 422,
        code: 'rule.violated',
        detail: 'The centre contract is incomplete',
        meta: { rule: 'R-TM-21', missing: draft.missing },
      });
    });
    const centre = vi.fn(async () => draft);
    renderAs(
      'coordinator',
      { centre, activateCentre, facilities: async () => ({ items: [facilityFixture(F1, 'МЦ Първи'), facilityFixture(F2, 'МЦ Втори')] }) },
      `/admin/centres/${C}`,
      <CentrePage />,
      '/admin/centres/:id',
    );
    const panel = (await screen.findByRole('heading', { name: bg['registryAdmin.centre.missing.title'] })).closest('section') as HTMLElement;
    await waitFor(() =>
      expect([...panel.querySelectorAll('.ra-missing > li')].map((li) => li.textContent)).toEqual([
        bg['registryAdmin.centre.missing.head'],
        bg['registryAdmin.centre.missing.rights_obligations'].replace('{facility}', 'МЦ Втори'),
        bg['registryAdmin.centre.missing.structures'].replace('{facility}', 'МЦ Втори'),
      ]),
    );
    fireEvent.click(within(panel).getByRole('button', { name: bg['registryAdmin.centre.activate'] }));
    await waitFor(() => expect(activateCentre).toHaveBeenCalledWith(C, 4));
    expect((await within(panel).findByText(bg['registryAdmin.rule.R-TM-21'])).closest('.ra-rule')?.getAttribute('data-rule')).toBe('R-TM-21');
    // The centre is read again, so the list shows what the server found missing.
    await waitFor(() => expect(centre).toHaveBeenCalledTimes(2));
  });
});
