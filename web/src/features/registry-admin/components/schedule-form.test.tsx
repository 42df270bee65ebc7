// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api/problem.js';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import type { Practitioner, Schedule, ScheduleInput, ScheduleResult, ScheduleUpdate, Service } from '../api.js';
import { ScheduleForm } from './schedule-form.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const F = '0190a000-0000-7000-8000-0000000000f1';
const P1 = '0190a000-0000-7000-8000-0000000000a1';
const P2 = '0190a000-0000-7000-8000-0000000000a2';
const S1 = '0190a000-0000-7000-8000-0000000000b1';
const SC = '0190a000-0000-7000-8000-0000000000c1';
const SC2 = '0190a000-0000-7000-8000-0000000000c2';

const practitioners: Practitioner[] = [
  { id: P1, uin: '0123456789', givenName: 'Иван', familyName: 'Петров', active: true, specialtyCodes: ['1020'], roles: [{ facilityId: F, active: true, listed: true }], version: 1 },
  // No longer works here: not offered for a new schedule (R-TM-01).
  { id: P2, uin: '0123456788', givenName: 'Мария', familyName: 'Илиева', active: true, specialtyCodes: ['1020'], roles: [{ facilityId: F, active: false, listed: false }], version: 1 },
];
const services: Service[] = [
  { id: S1, facilityId: F, specialtyCode: '1020', kindCode: 'consultation', name: 'Видеоконсултация', description: 'x', mode: 'synchronous', typicalMinutes: 20, priceEurCents: 3000, nhifPaid: false, status: 'published', publishedAt: '2026-11-01T08:00:00Z', version: 2 },
];
const schedule: Schedule = { id: SC, facilityId: F, practitionerId: P1, serviceId: S1, timeZone: 'Europe/Sofia', slotMinutes: 20, validFrom: '2026-11-02', validTo: null, observeHolidays: true, active: true, rules: [{ weekday: 1, start: '09:00', end: '12:00' }], version: 5 };

function renderForm(props: { onCreate?: (i: ScheduleInput) => Promise<ScheduleResult>; onUpdate?: (i: ScheduleUpdate) => Promise<ScheduleResult>; schedule?: Schedule }) {
  return render(
    <I18nProvider storage={noStorage} initialLanguage="bg">
      <ScheduleForm practitioners={practitioners} services={services} {...props} />
    </I18nProvider>,
  );
}

const rows = () => [...document.querySelectorAll<HTMLFieldSetElement>('fieldset.ra-rule-row')];

describe('ScheduleForm (Art. 15 item 4, 16)', () => {
  afterEach(cleanup);

  it('publishes weekly wall-time rules and shows the free slots and the Art. 16 warnings (R-TM-33)', async () => {
    const onCreate = vi.fn(async (input: ScheduleInput): Promise<ScheduleResult> => ({
      schedule: { ...schedule, id: SC2, rules: input.rules, slotMinutes: input.slotMinutes, version: 1 },
      freeSlots: 96,
      warnings: [
        { kind: 'overlap', practitionerId: P1, scheduleIds: [SC, SC2], weekday: 3, minutes: 60, limitMinutes: null },
        { kind: 'weekly_hours', practitionerId: P1, scheduleIds: [SC, SC2], weekday: null, minutes: 2790, limitMinutes: 2400 },
      ],
    }));
    renderForm({ onCreate });
    const practitioner = screen.getByLabelText(bg['registryAdmin.sch.practitioner']) as HTMLSelectElement;
    expect([...practitioner.options].map((o) => o.value)).toEqual(['', P1]);
    fireEvent.change(practitioner, { target: { value: P1 } });
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.service']), { target: { value: S1 } });
    // The slot length follows the service's typical duration.
    expect((screen.getByLabelText(bg['registryAdmin.sch.slotMinutes']) as HTMLInputElement).value).toBe('20');
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.validFrom']), { target: { value: '2026-11-23' } });

    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.sch.addRule'] }));
    expect(rows()).toHaveLength(2);
    const second = rows()[1] as HTMLFieldSetElement;
    // The new row starts on the next weekday.
    expect((within(second).getByLabelText(bg['registryAdmin.sch.weekday']) as HTMLSelectElement).value).toBe('2');
    fireEvent.change(within(second).getByLabelText(bg['registryAdmin.sch.weekday']), { target: { value: '3' } });
    fireEvent.change(within(second).getByLabelText(bg['registryAdmin.sch.start']), { target: { value: '14:00' } });
    fireEvent.change(within(second).getByLabelText(bg['registryAdmin.sch.end']), { target: { value: '18:30' } });

    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.sch.publish'] }));
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({
        practitionerId: P1,
        serviceId: S1,
        slotMinutes: 20,
        validFrom: '2026-11-23',
        observeHolidays: true,
        rules: [
          { weekday: 1, start: '09:00', end: '12:00' },
          { weekday: 3, start: '14:00', end: '18:30' },
        ],
      }),
    );
    expect(await screen.findByText(bg['registryAdmin.sch.publishedNotice'].replace('{count}', '96'))).toBeTruthy();
    const warnings = document.querySelector('.ra-warnings[data-rule="R-TM-33"]') as HTMLElement;
    expect(warnings.getAttribute('role')).toBe('alert');
    expect(within(warnings).getByRole('heading', { name: bg['registryAdmin.warn.title'] })).toBeTruthy();
    const items = within(warnings).getAllByRole('listitem').map((li) => li.textContent);
    expect(items).toEqual([
      bg['registryAdmin.warn.overlap'].replace('{name}', 'Иван Петров').replace('{minutes}', '60').replace('{weekday}', 'сряда'),
      bg['registryAdmin.warn.weekly'].replace('{name}', 'Иван Петров').replace('{hours}', '46,5').replace('{limit}', '40'),
    ]);
    // Ready for the next schedule.
    expect((screen.getByLabelText(bg['registryAdmin.sch.practitioner']) as HTMLSelectElement).value).toBe('');
  });

  it('checks the rules against the contract before sending: an interval that ends before it starts', async () => {
    const onCreate = vi.fn();
    renderForm({ onCreate });
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.practitioner']), { target: { value: P1 } });
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.service']), { target: { value: S1 } });
    const row = rows()[0] as HTMLFieldSetElement;
    fireEvent.change(within(row).getByLabelText(bg['registryAdmin.sch.end']), { target: { value: '08:00' } });
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.sch.publish'] }));
    expect(await screen.findByText(bg['problem.request.invalid'])).toBeTruthy();
    expect(within(row).getByLabelText(bg['registryAdmin.sch.end']).getAttribute('aria-invalid')).toBe('true');
    expect(onCreate).not.toHaveBeenCalled();
  });

  it("shows the server's field errors on the row they point at and keeps every value", async () => {
    const onCreate = vi.fn(async () => {
      throw new ApiError({
        type: 'https://errors.distansia.bg/request.invalid',
        title: 'Request is invalid',
        status: 400,
        code: 'request.invalid',
        detail: 'Rules of one schedule overlap on the same day',
        errors: [{ in: 'body', pointer: '#/rules/1', detail: 'Rules of one schedule overlap on the same day' }],
      });
    });
    renderForm({ onCreate });
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.practitioner']), { target: { value: P1 } });
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.service']), { target: { value: S1 } });
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.sch.addRule'] }));
    const second = rows()[1] as HTMLFieldSetElement;
    fireEvent.change(within(second).getByLabelText(bg['registryAdmin.sch.weekday']), { target: { value: '1' } });
    fireEvent.change(within(second).getByLabelText(bg['registryAdmin.sch.start']), { target: { value: '11:00' } });
    fireEvent.change(within(second).getByLabelText(bg['registryAdmin.sch.end']), { target: { value: '13:00' } });
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.sch.publish'] }));

    expect((await screen.findByRole('alert')).getAttribute('data-problem-code')).toBe('request.invalid');
    expect(within(second).getByText(/Rules of one schedule overlap on the same day/).textContent).toContain(bg['registryAdmin.form.invalid']);
    expect(within(rows()[0] as HTMLFieldSetElement).queryByText(/overlap/)).toBeNull();
    expect((screen.getByLabelText(bg['registryAdmin.sch.practitioner']) as HTMLSelectElement).value).toBe(P1);
    expect((within(second).getByLabelText(bg['registryAdmin.sch.start']) as HTMLInputElement).value).toBe('11:00');
    expect(rows()).toHaveLength(2);
  });

  it('changes a schedule with the version it was loaded at, and can switch it off', async () => {
    const onUpdate = vi.fn(async (): Promise<ScheduleResult> => ({ schedule: { ...schedule, active: false, version: 6 }, freeSlots: 0, warnings: [] }));
    renderForm({ schedule, onUpdate });
    expect(screen.queryByLabelText(bg['registryAdmin.sch.practitioner'])).toBeNull();
    fireEvent.click(screen.getByLabelText(bg['registryAdmin.sch.active']));
    fireEvent.change(screen.getByLabelText(bg['registryAdmin.sch.validTo']), { target: { value: '2026-12-31' } });
    fireEvent.click(screen.getByRole('button', { name: bg['registryAdmin.common.save'] }));
    await waitFor(() =>
      expect(onUpdate).toHaveBeenCalledWith({
        version: 5,
        slotMinutes: 20,
        validFrom: '2026-11-02',
        validTo: '2026-12-31',
        observeHolidays: true,
        active: false,
        rules: [{ weekday: 1, start: '09:00', end: '12:00' }],
      }),
    );
    expect(await screen.findByText(bg['registryAdmin.sch.updatedNotice'].replace('{count}', '0'))).toBeTruthy();
    expect(document.querySelector('.ra-warnings')).toBeNull();
  });
});
