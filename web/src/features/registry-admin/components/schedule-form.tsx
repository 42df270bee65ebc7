import { useState, type FormEvent } from 'react';
import { locales, useLanguage, useT } from '../../../i18n/index.js';
import { ScheduleInputSchema, ScheduleUpdateSchema } from '../../../../../src/contracts/scheduling.js';
import type { Practitioner, Schedule, ScheduleInput, ScheduleResult, ScheduleUpdate, Service } from '../api.js';
import { Field, FormProblem, FormActions, Notice, issuesAt, issueText, useFormSubmit } from '../../../components/form.js';
import { personName, todayInSofia, weekdayName } from '../format.js';
import { CapacityWarnings } from './capacity-warnings.js';

interface Rule {
  /** A stable key for React while rows are added and removed. */
  key: number;
  weekday: number;
  start: string;
  end: string;
}

interface Values {
  practitionerId: string;
  serviceId: string;
  slotMinutes: string;
  validFrom: string;
  validTo: string;
  observeHolidays: boolean;
  active: boolean;
  rules: Rule[];
}

let nextKey = 1;
const newRule = (weekday = 1, start = '09:00', end = '12:00'): Rule => ({ key: nextKey++, weekday, start, end });

function initial(schedule: Schedule | undefined): Values {
  return {
    practitionerId: schedule?.practitionerId ?? '',
    serviceId: schedule?.serviceId ?? '',
    slotMinutes: String(schedule?.slotMinutes ?? 30),
    validFrom: schedule?.validFrom ?? todayInSofia(),
    validTo: schedule?.validTo ?? '',
    observeHolidays: schedule?.observeHolidays ?? true,
    active: schedule?.active ?? true,
    rules: schedule ? schedule.rules.map((r) => newRule(r.weekday, r.start, r.end)) : [newRule()],
  };
}

/**
 * Publishes a specialist's weekly schedule for a service, or changes one (Art. 15 item 4). Rules are
 * wall times in Bulgarian time (Europe/Sofia); the server writes the free slots for eight weeks and
 * answers with the Art. 16 capacity warnings (R-TM-33), shown here after saving.
 */
export function ScheduleForm({
  practitioners,
  services,
  schedule,
  onCreate,
  onUpdate,
  onCancel,
}: {
  /** The facility's specialists (those working there are offered). */
  practitioners: readonly Practitioner[];
  services: readonly Service[];
  /** The schedule being changed; absent for a new one. */
  schedule?: Schedule;
  onCreate?: (input: ScheduleInput) => Promise<ScheduleResult>;
  onUpdate?: (input: ScheduleUpdate) => Promise<ScheduleResult>;
  onCancel?: () => void;
}) {
  const t = useT();
  const { language } = useLanguage();
  const [values, setValues] = useState<Values>(() => initial(schedule));
  const { problem, busy, send } = useFormSubmit();
  const [result, setResult] = useState<ScheduleResult>();
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const setRule = (key: number, change: Partial<Rule>) => setValues((v) => ({ ...v, rules: v.rules.map((r) => (r.key === key ? { ...r, ...change } : r)) }));
  const nameOf = (id: string) => {
    const p = practitioners.find((x) => x.id === id);
    return p ? personName(p) : id;
  };
  const working = practitioners.filter((p) => p.roles.some((r) => r.active));
  const offered = services.filter((s) => s.status !== 'withdrawn');
  const chosenService = services.find((s) => s.id === values.serviceId);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const rules = values.rules.map(({ weekday, start, end }) => ({ weekday, start, end }));
    const body: ScheduleInput | ScheduleUpdate = schedule
      ? { version: schedule.version, slotMinutes: Number(values.slotMinutes), validFrom: values.validFrom, validTo: values.validTo || null, observeHolidays: values.observeHolidays, active: values.active, rules }
      : { practitionerId: values.practitionerId, serviceId: values.serviceId, slotMinutes: Number(values.slotMinutes), validFrom: values.validFrom, ...(values.validTo ? { validTo: values.validTo } : {}), observeHolidays: values.observeHolidays, rules };
    setResult(undefined);
    await send(schedule ? ScheduleUpdateSchema : ScheduleInputSchema, body, async () => {
      const saved = schedule ? await onUpdate?.(body as ScheduleUpdate) : await onCreate?.(body as ScheduleInput);
      if (saved) setResult(saved);
      // A new schedule's form starts afresh for the next one; the result stays on screen.
      if (!schedule) setValues(initial(undefined));
    });
  }

  return (
    <form className="ra-form" onSubmit={(e) => void submit(e)}>
      {schedule ? (
        <p className="ra-muted">
          {nameOf(schedule.practitionerId)} · {services.find((s) => s.id === schedule.serviceId)?.name ?? schedule.serviceId}
        </p>
      ) : (
        <>
          <Field label={t('registryAdmin.sch.practitioner')} pointer="#/practitionerId" problem={problem}>
            {(c) => (
              <select {...c} required value={values.practitionerId} onChange={(e) => set('practitionerId', e.target.value)}>
                <option value="">{t('registryAdmin.field.choose')}</option>
                {working.map((p) => (
                  <option key={p.id} value={p.id}>
                    {personName(p)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('registryAdmin.sch.service')} pointer="#/serviceId" problem={problem} hint={chosenService?.mode === 'asynchronous' ? t('registryAdmin.sch.onlySync') : undefined}>
            {(c) => (
              <select
                {...c}
                required
                value={values.serviceId}
                onChange={(e) => {
                  const s = services.find((x) => x.id === e.target.value);
                  setValues((v) => ({ ...v, serviceId: e.target.value, slotMinutes: s ? String(s.typicalMinutes) : v.slotMinutes }));
                }}
              >
                <option value="">{t('registryAdmin.field.choose')}</option>
                {offered.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({t(`registryAdmin.svc.status.${s.status}`)})
                  </option>
                ))}
              </select>
            )}
          </Field>
        </>
      )}
      <Field label={t('registryAdmin.sch.slotMinutes')} pointer="#/slotMinutes" problem={problem}>
        {(c) => <input {...c} type="number" inputMode="numeric" required min={5} max={480} step={5} value={values.slotMinutes} onChange={(e) => set('slotMinutes', e.target.value)} />}
      </Field>
      <div className="ra-row">
        <Field label={t('registryAdmin.sch.validFrom')} pointer="#/validFrom" problem={problem}>
          {(c) => <input {...c} type="date" required value={values.validFrom} onChange={(e) => set('validFrom', e.target.value)} />}
        </Field>
        <Field label={t('registryAdmin.sch.validTo')} pointer="#/validTo" problem={problem} hint={t('registryAdmin.common.optional')}>
          {(c) => <input {...c} type="date" min={values.validFrom} value={values.validTo} onChange={(e) => set('validTo', e.target.value)} />}
        </Field>
      </div>
      <label className="ra-choice">
        <input type="checkbox" checked={values.observeHolidays} onChange={(e) => set('observeHolidays', e.target.checked)} />
        <span>{t('registryAdmin.sch.observeHolidays')}</span>
      </label>
      {schedule ? (
        <label className="ra-choice">
          <input type="checkbox" checked={values.active} onChange={(e) => set('active', e.target.checked)} />
          <span>{t('registryAdmin.sch.active')}</span>
        </label>
      ) : null}

      <fieldset className="ra-rules">
        <legend>{t('registryAdmin.sch.rules')}</legend>
        {issuesAt(problem, '#/rules').length > 0 && !values.rules.some((_, i) => issuesAt(problem, `#/rules/${i}`).length > 0) ? (
          <p className="ra-field__error">{issuesAt(problem, '#/rules').map((d) => issueText(t, d)).join(' ')}</p>
        ) : null}
        {values.rules.map((rule, i) => (
          <fieldset key={rule.key} className="ra-rule-row">
            <legend className="visually-hidden">{t('registryAdmin.sch.ruleN', { n: i + 1 })}</legend>
            <Field label={t('registryAdmin.sch.weekday')} pointer={`#/rules/${i}/weekday`} problem={problem}>
              {(c) => (
                <select {...c} value={rule.weekday} onChange={(e) => setRule(rule.key, { weekday: Number(e.target.value) })}>
                  {[1, 2, 3, 4, 5, 6, 7].map((d) => (
                    <option key={d} value={d}>
                      {weekdayName(d, locales[language])}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('registryAdmin.sch.start')} pointer={`#/rules/${i}/start`} problem={problem}>
              {(c) => <input {...c} type="time" required step={300} value={rule.start} onChange={(e) => setRule(rule.key, { start: e.target.value })} />}
            </Field>
            <Field label={t('registryAdmin.sch.end')} pointer={`#/rules/${i}/end`} problem={problem}>
              {(c) => <input {...c} type="time" required step={300} value={rule.end} onChange={(e) => setRule(rule.key, { end: e.target.value })} />}
            </Field>
            {issuesAt(problem, `#/rules/${i}`).length > 0 && issuesAt(problem, `#/rules/${i}/weekday`).length + issuesAt(problem, `#/rules/${i}/start`).length + issuesAt(problem, `#/rules/${i}/end`).length === 0 ? (
              <p className="ra-field__error">{issuesAt(problem, `#/rules/${i}`).map((d) => issueText(t, d)).join(' ')}</p>
            ) : null}
            {values.rules.length > 1 ? (
              <button type="button" className="button button--secondary ra-rule-row__remove" onClick={() => setValues((v) => ({ ...v, rules: v.rules.filter((r) => r.key !== rule.key) }))}>
                {t('registryAdmin.sch.removeRule', { n: i + 1 })}
              </button>
            ) : null}
          </fieldset>
        ))}
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setValues((v) => {
            const last = v.rules.at(-1);
            return { ...v, rules: [...v.rules, newRule(last ? (last.weekday % 7) + 1 : 1, last?.start ?? '09:00', last?.end ?? '12:00')] };
          })}
        >
          {t('registryAdmin.sch.addRule')}
        </button>
      </fieldset>

      <FormProblem problem={problem} />
      <FormActions submit={schedule ? t('registryAdmin.common.save') : t('registryAdmin.sch.publish')} busy={busy} onCancel={onCancel} cancel={result ? t('registryAdmin.common.close') : t('registryAdmin.common.cancel')} />
      <Notice text={result ? t(schedule ? 'registryAdmin.sch.updatedNotice' : 'registryAdmin.sch.publishedNotice', { count: result.freeSlots }) : undefined} />
      {result ? <CapacityWarnings warnings={result.warnings} nameOf={nameOf} announce /> : null}
    </form>
  );
}
