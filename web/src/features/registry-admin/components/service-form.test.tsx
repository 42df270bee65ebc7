// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { ReferenceData, RegistryAdminApi, Service, ServiceInput } from '../api.js';
import { ApiProvider } from '../../../api/api-context.js';
import type { ApiClient } from '../../../api/client.js';
import { facilityFixture } from '../test-fixtures.js';
import { ServiceForm } from './service-form.js';
import { ServicesSection } from './services-section.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F = '0190a000-0000-7000-8000-0000000000f1';
const S = '0190a000-0000-7000-8000-0000000000b1';

const reference: ReferenceData = {
  facilityTypes: [],
  regions: [],
  specialties: [
    { code: '1020', nhifCode: null, nameBg: 'Кардиология', nameEn: 'Cardiology', dental: false },
    { code: '1046', nhifCode: null, nameBg: 'Акушерство и гинекология', nameEn: 'Obstetrics and gynaecology', dental: false },
    { code: '2081', nhifCode: null, nameBg: 'Обща дентална медицина', nameEn: 'General dentistry', dental: true },
  ],
  serviceKinds: [
    { code: 'consultation', nameBg: 'Консултация', nameEn: 'Consultation', allowedForDental: false, prohibitedRule: null },
    { code: 'dental_imaging', nameBg: 'Образна диагностика за дентални цели', nameEn: 'Imaging for dental purposes', allowedForDental: true, prohibitedRule: null },
    { code: 'dental_treatment', nameBg: 'Дентално лечение', nameEn: 'Dental treatment', allowedForDental: false, prohibitedRule: 'R-TM-13' },
    { code: 'childbirth', nameBg: 'Водене на раждане', nameEn: 'Conducting a birth', allowedForDental: false, prohibitedRule: 'R-TM-16' },
    { code: 'death_certification', nameBg: 'Установяване на смърт', nameEn: 'Establishing death', allowedForDental: false, prohibitedRule: 'R-TM-17' },
  ],
};

/** The refusal the server sends for an Art. 7 exclusion (`RuleViolation` with the kind's pointer). */
function refusal(rule: string): ApiError {
  return new ApiError({
    type: 'https://errors.distansia.bg/rule.violated',
    title: 'A rule of the ordinance forbids this',
    status: 422,
    code: 'rule.violated',
    detail: 'A service of this kind cannot be provided at a distance',
    errors: [{ in: 'body', pointer: '#/kindCode', detail: rule }],
    meta: { rule },
  });
}

function renderForm(onCreate: (input: ServiceInput) => Promise<void>) {
  return render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ServiceForm reference={reference} onCreate={onCreate} />
    </I18nProvider>,
  );
}

function fill(specialty: string, kind: string) {
  fireEvent.change(screen.getByLabelText(bg['registryAdmin.svc.specialty']), { target: { value: specialty } });
  fireEvent.change(screen.getByLabelText(bg['registryAdmin.svc.kind']), { target: { value: kind } });
  fireEvent.change(screen.getByLabelText(bg['registryAdmin.svc.name']), { target: { value: 'Дистанционна услуга' } });
  fireEvent.change(screen.getByLabelText(bg['registryAdmin.svc.description']), { target: { value: 'Описание на услугата' } });
  fireEvent.change(screen.getByLabelText(bg['registryAdmin.svc.price']), { target: { value: '35,50' } });
}

describe('ServiceForm: Art. 7 exclusions', () => {
  afterEach(cleanup);

  it('sends the draft in the contract shape (price in euro cents)', async () => {
    const onCreate = vi.fn(async () => undefined);
    renderForm(onCreate);
    fill('1020', 'consultation');
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.svc.create'] }));
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({
        specialtyCode: '1020',
        kindCode: 'consultation',
        name: 'Дистанционна услуга',
        description: 'Описание на услугата',
        mode: 'synchronous',
        typicalMinutes: 30,
        nhifPaid: false,
        priceEurCents: 3550,
      }),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it.each([
    ['R-TM-13', '2081', 'consultation'],
    ['R-TM-16', '1046', 'childbirth'],
    ['R-TM-17', '1020', 'death_certification'],
  ])('%s: shows the refusal with the rule meaning beside the kind, and keeps what was typed', async (rule, specialty, kind) => {
    const onCreate = vi.fn(async () => {
      throw refusal(rule);
    });
    renderForm(onCreate);
    fill(specialty, kind);
    // Warned before sending, from the reference data.
    expect(document.querySelector(`.ra-warning[data-rule="${rule}"]`)?.textContent).toContain(bg[`registryAdmin.rule.${rule}` as keyof typeof bg]);

    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.svc.create'] }));

    const alert = await screen.findByText(bg['problem.rule.violated']);
    expect(alert.closest('[role="alert"]')?.getAttribute('data-problem-code')).toBe('rule.violated');
    const explained = document.querySelector(`.ra-rule[data-rule="${rule}"]`);
    expect(explained?.getAttribute('role')).toBe('alert');
    expect(explained?.textContent).not.toContain('R-TM');
    expect(explained?.textContent).toContain(bg[`registryAdmin.rule.${rule}` as keyof typeof bg]);
    // The kind field is marked invalid and described by the rule's meaning.
    const kindSelect = screen.getByLabelText(bg['registryAdmin.svc.kind']);
    expect(kindSelect.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (kindSelect.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
    expect(describedBy.join(' ')).toContain(bg[`registryAdmin.rule.${rule}` as keyof typeof bg]);
    // Nothing typed is lost.
    expect((screen.getByLabelText(bg['registryAdmin.svc.name']) as HTMLInputElement).value).toBe('Дистанционна услуга');
    expect((kindSelect as HTMLSelectElement).value).toBe(kind);
    expect((screen.getByLabelText(bg['registryAdmin.svc.price']) as HTMLInputElement).value).toBe('35,50');
  });

  it('R-TM-13: imaging for dental purposes is not warned about', () => {
    renderForm(vi.fn(async () => undefined));
    fill('2081', 'dental_imaging');
    expect(document.querySelector('.ra-warning')).toBeNull();
  });

  it('checks the body against the contract before calling the server (an unreadable price)', async () => {
    const onCreate = vi.fn(async () => undefined);
    renderForm(onCreate);
    fill('1020', 'consultation');
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.svc.price']), { target: { value: 'тридесет' } });
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.svc.create'] }));
    expect(await screen.findByText(bg['problem.request.invalid'])).toBeTruthy();
    expect(screen.getByLabelText(bg['registryAdmin.svc.price']).getAttribute('aria-invalid')).toBe('true');
    expect(onCreate).not.toHaveBeenCalled();
  });
});

describe('ServicesSection', () => {
  afterEach(cleanup);

  const facility = facilityFixture(F, 'МЦ Тест');
  const draft: Service = {
    id: S,
    facilityId: F,
    specialtyCode: '1020',
    kindCode: 'consultation',
    name: 'Видеоконсултация',
    description: 'Описание',
    mode: 'synchronous',
    typicalMinutes: 30,
    priceEurCents: 3000,
    nhifPaid: false,
    status: 'draft',
    publishedAt: null,
    version: 3,
  };

  function renderSection(api: Partial<RegistryAdminApi>) {
    return render(
      <I18nProvider storage={noStorage} initialLanguage="bg">
        <ApiProvider client={{ registryAdmin: api } as unknown as ApiClient}>
          <ServicesSection facility={facility} reference={reference} />
        </ApiProvider>
      </I18nProvider>,
    );
  }

  it('publishes a draft with the version it shows', async () => {
    let list = [draft];
    const publishService = vi.fn(async () => {
      list = [{ ...draft, status: 'published' as const, version: 4 }];
      return list[0] as Service;
    });
    renderSection({ services: async () => ({ items: list }), publishService });
    const card = (await screen.findByRole('heading', { name: 'Видеоконсултация' })).closest('li') as HTMLElement;
    expect(within(card).getByText(bg['registryAdmin.svc.status.draft'])).toBeTruthy();
    fireEvent.click(within(card).getByRole('button', { name: `${bg['registryAdmin.svc.publish']}: Видеоконсултация` }));
    await waitFor(() => expect(publishService).toHaveBeenCalledWith(F, S, 3));
    expect(await screen.findByText(bg['registryAdmin.svc.status.published'])).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe(bg['registryAdmin.svc.publishedNotice'].replace('{name}', 'Видеоконсултация'));
  });

  it('R-TM-17: a refusal at publication is explained above the list', async () => {
    const publishService = vi.fn(async () => {
      throw refusal('R-TM-17');
    });
    renderSection({ services: async () => ({ items: [{ ...draft, kindCode: 'death_certification' }] }), publishService });
    fireEvent.click(await screen.findByRole('button', { name: `${bg['registryAdmin.svc.publish']}: Видеоконсултация` }));
    const explained = await waitFor(() => {
      const el = document.querySelector('.ra-rule[data-rule="R-TM-17"]');
      if (!el) throw new Error('no rule explanation yet');
      return el;
    });
    expect(explained.textContent).toContain(bg['registryAdmin.rule.R-TM-17']);
    expect(screen.getByText(bg['registryAdmin.svc.status.draft'])).toBeTruthy();
  });
});
