import { useState, type FormEvent } from 'react';
import { useLanguage, useT } from '../../../i18n/index.js';
import { ServiceInputSchema, ServiceUpdateSchema } from '../../../../../src/contracts/registry.js';
import type { ReferenceData, Service, ServiceInput, ServiceUpdate } from '../api.js';
import { Field, FormProblem, FormActions, ruleText, useFormSubmit } from '../../../components/form.js';
import { centsToEur, eurToCents, exclusionRule, serviceKindName, specialtyName } from '../format.js';
import { SpecialtyOptions } from './specialty-options.js';

type Mode = Service['mode'];

/** The values the form holds, as typed (numbers stay text until sent, so nothing typed is lost). */
interface Values {
  specialtyCode: string;
  kindCode: string;
  name: string;
  description: string;
  mode: Mode;
  typicalMinutes: string;
  nhifPaid: boolean;
  price: string;
}

function initial(service: Service | undefined): Values {
  return {
    specialtyCode: service?.specialtyCode ?? '',
    kindCode: service?.kindCode ?? '',
    name: service?.name ?? '',
    description: service?.description ?? '',
    mode: service?.mode ?? 'synchronous',
    typicalMinutes: String(service?.typicalMinutes ?? 30),
    nhifPaid: service?.nhifPaid ?? false,
    price: centsToEur(service?.priceEurCents ?? null),
  };
}

/**
 * Creates a service in draft, or edits one (Art. 15 items 1-2). Kind, specialty and mode are fixed once
 * created (the server's update contract has no such fields). Art. 7 exclusions (R-TM-13/16/17) are
 * warned about as soon as the combination is chosen, and the server's refusal is shown with the rule's
 * meaning beside the kind.
 */
export function ServiceForm({
  reference,
  service,
  onCreate,
  onUpdate,
  onCancel,
}: {
  reference: ReferenceData | null;
  /** The service being edited; absent for a new draft. */
  service?: Service;
  onCreate?: (input: ServiceInput) => Promise<void>;
  onUpdate?: (input: ServiceUpdate) => Promise<void>;
  onCancel?: () => void;
}) {
  const t = useT();
  const { language } = useLanguage();
  const [values, setValues] = useState<Values>(() => initial(service));
  const { problem, busy, send } = useFormSubmit();
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));
  const editing = service !== undefined;
  const excluded = editing ? null : exclusionRule(reference, values.kindCode, values.specialtyCode);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const price = values.nhifPaid ? {} : { priceEurCents: eurToCents(values.price) };
    let body: ServiceInput | ServiceUpdate;
    if (service) {
      body = { version: service.version, name: values.name, description: values.description, typicalMinutes: Number(values.typicalMinutes), nhifPaid: values.nhifPaid, priceEurCents: values.nhifPaid ? null : eurToCents(values.price) };
    } else {
      body = { specialtyCode: values.specialtyCode, kindCode: values.kindCode, name: values.name, description: values.description, mode: values.mode, typicalMinutes: Number(values.typicalMinutes), nhifPaid: values.nhifPaid, ...price };
    }
    await send(service ? ServiceUpdateSchema : ServiceInputSchema, body, async () => {
      if (service) await onUpdate?.(body as ServiceUpdate);
      else await onCreate?.(body as ServiceInput);
    });
  }

  return (
    <form className="ra-form" onSubmit={(e) => void submit(e)}>
      {editing ? (
        <p className="ra-muted">
          {specialtyName(reference, service.specialtyCode, language)} · {serviceKindName(reference, service.kindCode, language)} · {t(`registryAdmin.svc.mode.${service.mode}`)}
        </p>
      ) : (
        <>
          <Field label={t('registryAdmin.svc.specialty')} pointer="#/specialtyCode" problem={problem}>
            {(c) => (
              <select {...c} required value={values.specialtyCode} onChange={(e) => set('specialtyCode', e.target.value)}>
                <option value="">{t('registryAdmin.field.choose')}</option>
                <SpecialtyOptions reference={reference} />
              </select>
            )}
          </Field>
          <Field label={t('registryAdmin.svc.kind')} pointer="#/kindCode" problem={problem} hint={t('registryAdmin.svc.kindHint')}>
            {(c) => (
              <select {...c} required value={values.kindCode} onChange={(e) => set('kindCode', e.target.value)}>
                <option value="">{t('registryAdmin.field.choose')}</option>
                {(reference?.serviceKinds ?? []).map((k) => (
                  <option key={k.code} value={k.code}>
                    {k.prohibitedRule ? t('registryAdmin.svc.kindExcluded', { name: language === 'bg' ? k.nameBg : k.nameEn, rule: k.prohibitedRule }) : language === 'bg' ? k.nameBg : k.nameEn}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {excluded ? (
            <p className="ra-warning" data-rule={excluded}>
              <strong>{t('registryAdmin.svc.excludedWarning', { rule: excluded })}</strong> {ruleText(t, excluded)}
            </p>
          ) : null}
        </>
      )}
      <Field label={t('registryAdmin.svc.name')} pointer="#/name" problem={problem}>
        {(c) => <input {...c} required minLength={2} maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label={t('registryAdmin.svc.description')} pointer="#/description" problem={problem}>
        {(c) => <textarea {...c} required minLength={2} maxLength={2000} rows={3} value={values.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>
      {editing ? null : (
        <fieldset className="ra-choices">
          <legend>{t('registryAdmin.svc.mode')}</legend>
          {(['synchronous', 'asynchronous'] as const).map((m) => (
            <label key={m} className="ra-choice">
              <input type="radio" name="service-mode" value={m} checked={values.mode === m} onChange={() => set('mode', m)} />
              <span>{t(`registryAdmin.svc.mode.${m}`)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <Field label={t('registryAdmin.svc.minutes')} pointer="#/typicalMinutes" problem={problem}>
        {(c) => <input {...c} type="number" inputMode="numeric" required min={5} max={480} step={5} value={values.typicalMinutes} onChange={(e) => set('typicalMinutes', e.target.value)} />}
      </Field>
      <fieldset className="ra-choices">
        <legend>{t('registryAdmin.svc.payment')}</legend>
        <label className="ra-choice">
          <input type="radio" name="service-payment" checked={!values.nhifPaid} onChange={() => set('nhifPaid', false)} />
          <span>{t('registryAdmin.svc.pay.price')}</span>
        </label>
        <label className="ra-choice">
          <input type="radio" name="service-payment" checked={values.nhifPaid} onChange={() => set('nhifPaid', true)} />
          <span>{t('registryAdmin.svc.pay.nhif')}</span>
        </label>
      </fieldset>
      {values.nhifPaid ? null : (
        <Field label={t('registryAdmin.svc.price')} pointer="#/priceEurCents" problem={problem} hint={t('registryAdmin.svc.priceHint')}>
          {(c) => <input {...c} inputMode="decimal" required value={values.price} onChange={(e) => set('price', e.target.value)} autoComplete="off" />}
        </Field>
      )}
      <FormProblem problem={problem} />
      <FormActions submit={editing ? t('registryAdmin.common.save') : t('registryAdmin.svc.create')} busy={busy} onCancel={onCancel} />
    </form>
  );
}
