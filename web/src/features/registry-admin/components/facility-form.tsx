import { useState, type FormEvent } from 'react';
import { useLanguage, useT } from '../../../i18n/index.js';
import { FacilityInputSchema, FacilityUpdateSchema } from '../../../../../src/contracts/registry.js';
import type { Facility, FacilityInput, FacilityUpdate, ReferenceData } from '../api.js';
import { Field, FormProblem, FormActions, useFormSubmit } from '../../../components/form.js';

interface Values {
  number: string;
  name: string;
  typeCode: string;
  rhifCode: string;
  ekatte: string;
  settlement: string;
  address: string;
  phone: string;
  email: string;
  website: string;
  description: string;
  maxWeeklyHours: string;
}

function initial(f: Facility | undefined): Values {
  return {
    number: f?.number ?? '',
    name: f?.name ?? '',
    typeCode: f?.typeCode ?? '',
    rhifCode: f?.rhifCode ?? '',
    ekatte: f?.ekatte ?? '',
    settlement: f?.settlement ?? '',
    address: f?.address ?? '',
    phone: f?.phone ?? '',
    email: f?.email ?? '',
    website: f?.website ?? '',
    description: f?.description ?? '',
    maxWeeklyHours: String(f?.maxWeeklyHoursPerSpecialist ?? 40),
  };
}

const optional = (v: string) => (v.trim() ? v.trim() : undefined);

/**
 * A facility's register data (Art. 4, 24): registration by a coordinator, or a change with the
 * version the editor saw (the server answers `resource.version_mismatch` when someone changed it first).
 * Ineligible types (Art. 4(2), R-TM-02) are listed but marked, and the server's refusal says why.
 */
export function FacilityForm({
  reference,
  facility,
  onRegister,
  onUpdate,
}: {
  reference: ReferenceData | null;
  facility?: Facility;
  onRegister?: (input: FacilityInput) => Promise<void>;
  onUpdate?: (input: FacilityUpdate) => Promise<void>;
}) {
  const t = useT();
  const { language } = useLanguage();
  const [values, setValues] = useState<Values>(() => initial(facility));
  const { problem, busy, send } = useFormSubmit();
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const common = { name: values.name, typeCode: values.typeCode, rhifCode: values.rhifCode, settlement: values.settlement, address: values.address, description: values.description };
    let body: FacilityInput | FacilityUpdate;
    if (facility) {
      body = {
        ...common,
        version: facility.version,
        ekatte: optional(values.ekatte) ?? null,
        phone: optional(values.phone) ?? null,
        email: optional(values.email) ?? null,
        website: optional(values.website) ?? null,
        maxWeeklyHoursPerSpecialist: Number(values.maxWeeklyHours),
      };
    } else {
      const extra = { ekatte: optional(values.ekatte), phone: optional(values.phone), email: optional(values.email), website: optional(values.website) };
      body = { ...common, number: values.number.trim(), ...Object.fromEntries(Object.entries(extra).filter(([, v]) => v !== undefined)) };
    }
    await send(facility ? FacilityUpdateSchema : FacilityInputSchema, body, async () => {
      if (facility) await onUpdate?.(body as FacilityUpdate);
      else {
        await onRegister?.(body as FacilityInput);
        setValues(initial(undefined));
      }
    });
  }

  const types = reference?.facilityTypes ?? [];
  const chosenType = types.find((ft) => ft.code === values.typeCode);

  return (
    <form className="ra-form" onSubmit={(e) => void submit(e)}>
      {facility ? null : (
        <Field label={t('registryAdmin.field.number')} pointer="#/number" problem={problem} hint={t('registryAdmin.field.numberHint')}>
          {(c) => <input {...c} required inputMode="numeric" pattern="\d{10}" maxLength={10} autoComplete="off" value={values.number} onChange={(e) => set('number', e.target.value)} />}
        </Field>
      )}
      <Field label={t('registryAdmin.field.name')} pointer="#/name" problem={problem}>
        {(c) => <input {...c} required minLength={2} maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label={t('registryAdmin.field.typeCode')} pointer="#/typeCode" problem={problem} hint={chosenType ? chosenType.legalBasis : undefined}>
        {(c) => (
          <select {...c} required value={values.typeCode} onChange={(e) => set('typeCode', e.target.value)}>
            <option value="">{t('registryAdmin.field.choose')}</option>
            {types.map((ft) => (
              <option key={ft.code} value={ft.code}>
                {(language === 'bg' ? ft.nameBg : ft.nameEn) + (ft.eligible ? '' : ` ${t('registryAdmin.field.typeIneligible')}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('registryAdmin.field.rhifCode')} pointer="#/rhifCode" problem={problem}>
        {(c) => (
          <select {...c} required value={values.rhifCode} onChange={(e) => set('rhifCode', e.target.value)}>
            <option value="">{t('registryAdmin.field.choose')}</option>
            {(reference?.regions ?? []).map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} – {language === 'bg' ? r.nameBg : r.nameEn}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="ra-row">
        <Field label={t('registryAdmin.field.settlement')} pointer="#/settlement" problem={problem}>
          {(c) => <input {...c} required maxLength={100} value={values.settlement} onChange={(e) => set('settlement', e.target.value)} />}
        </Field>
        <Field label={t('registryAdmin.field.ekatte')} pointer="#/ekatte" problem={problem} hint={t('registryAdmin.common.optional')}>
          {(c) => <input {...c} inputMode="numeric" pattern="\d{5}" maxLength={5} autoComplete="off" value={values.ekatte} onChange={(e) => set('ekatte', e.target.value)} />}
        </Field>
      </div>
      <Field label={t('registryAdmin.field.address')} pointer="#/address" problem={problem}>
        {(c) => <input {...c} required maxLength={300} autoComplete="street-address" value={values.address} onChange={(e) => set('address', e.target.value)} />}
      </Field>
      <div className="ra-row">
        <Field label={t('registryAdmin.field.phone')} pointer="#/phone" problem={problem} hint={t('registryAdmin.common.optional')}>
          {(c) => <input {...c} type="tel" maxLength={30} autoComplete="tel" value={values.phone} onChange={(e) => set('phone', e.target.value)} />}
        </Field>
        <Field label={t('registryAdmin.field.email')} pointer="#/email" problem={problem} hint={t('registryAdmin.common.optional')}>
          {(c) => <input {...c} type="email" autoComplete="email" value={values.email} onChange={(e) => set('email', e.target.value)} />}
        </Field>
      </div>
      <Field label={t('registryAdmin.field.website')} pointer="#/website" problem={problem} hint={t('registryAdmin.field.websiteHint')}>
        {(c) => <input {...c} type="url" autoComplete="url" value={values.website} onChange={(e) => set('website', e.target.value)} />}
      </Field>
      <Field label={t('registryAdmin.field.description')} pointer="#/description" problem={problem} hint={t('registryAdmin.common.optional')}>
        {(c) => <textarea {...c} rows={3} maxLength={2000} value={values.description} onChange={(e) => set('description', e.target.value)} />}
      </Field>
      {facility ? (
        <Field label={t('registryAdmin.field.maxWeeklyHours')} pointer="#/maxWeeklyHoursPerSpecialist" problem={problem} hint={t('registryAdmin.field.maxWeeklyHoursHint')}>
          {(c) => <input {...c} type="number" inputMode="numeric" required min={1} max={168} value={values.maxWeeklyHours} onChange={(e) => set('maxWeeklyHours', e.target.value)} />}
        </Field>
      ) : null}
      <FormProblem problem={problem} />
      <FormActions submit={facility ? t('registryAdmin.common.save') : t('registryAdmin.home.register.submit')} busy={busy} />
    </form>
  );
}
