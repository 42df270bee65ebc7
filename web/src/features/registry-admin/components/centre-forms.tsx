import { useState, type FormEvent } from 'react';
import { useT } from '../../../i18n/index.js';
import { CentreMemberInputSchema, CentreUpdateSchema } from '../../../../../src/contracts/registry.js';
import type { Centre, CentreMemberInput, CentreUpdate, Facility, ReferenceData } from '../api.js';
import { CentreContractFields, centreContractBody, type CentreContractValues } from './centre-contract-fields.js';
import { SpecialtyOptions } from './specialty-options.js';
import { Field, FormProblem, FormActions, issuesAt, issueText, useFormSubmit } from '../../../components/form.js';

type Member = Centre['members'][number];

/** A centre's Art. 5(4) contract: its name, reference, date and head. */
export function ContractForm({ centre, onSave }: { centre: Centre; onSave: (input: CentreUpdate) => Promise<void> }) {
  const t = useT();
  const [values, setValues] = useState<CentreContractValues>({ name: centre.name, contractReference: centre.contractReference ?? '', contractSignedOn: centre.contractSignedOn ?? '', headName: centre.headName ?? '' });
  const { problem, send } = useFormSubmit();

  async function save(event: FormEvent) {
    event.preventDefault();
    // The contract's fields can be filled and changed; the server keeps a field that is left empty.
    const body: CentreUpdate = { version: centre.version, ...centreContractBody(values) };
    await send(CentreUpdateSchema, body, () => onSave(body));
  }

  return (
    <form className="ra-form" onSubmit={(e) => void save(e)}>
      <CentreContractFields values={values} set={(key, value) => setValues((v) => ({ ...v, [key]: value }))} problem={problem} />
      <FormProblem problem={problem} />
      <FormActions submit={t('registryAdmin.centre.saveContract')} />
    </form>
  );
}

interface StructureRow {
  key: number;
  structure: string;
  specialtyCode: string;
}
let nextRow = 1;

/** A member facility of a centre: its rights and obligations and its structures (R-TM-21). */
export function MemberForm({
  reference,
  member,
  facilities,
  onSave,
  onCancel,
}: {
  reference: ReferenceData | null;
  /** The member being changed; absent to add one. */
  member?: Member;
  /** Facilities that may be added (not yet members). */
  facilities: readonly Facility[];
  onSave: (input: CentreMemberInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const t = useT();
  const [facilityId, setFacilityId] = useState(member?.facilityId ?? '');
  const [rights, setRights] = useState(member?.rightsObligations ?? '');
  const [rows, setRows] = useState<StructureRow[]>(() => (member?.structures ?? []).map((s) => ({ key: nextRow++, ...s })));
  const { problem, send } = useFormSubmit();
  const setRow = (key: number, change: Partial<StructureRow>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));

  async function save(event: FormEvent) {
    event.preventDefault();
    const body: CentreMemberInput = { facilityId, rightsObligations: rights, structures: rows.map(({ structure, specialtyCode }) => ({ structure, specialtyCode })) };
    await send(CentreMemberInputSchema, body, () => onSave(body));
  }

  return (
    <form className="ra-form" onSubmit={(e) => void save(e)}>
      {member ? null : (
        <Field label={t('registryAdmin.centre.memberFacility')} pointer="#/facilityId" problem={problem}>
          {(c) => (
            <select {...c} required value={facilityId} onChange={(e) => setFacilityId(e.target.value)}>
              <option value="">{t('registryAdmin.field.choose')}</option>
              {facilities.map((f) => (
                <option key={f.id} value={f.id}>
                  {f.name} – {f.settlement}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label={t('registryAdmin.centre.rights')} pointer="#/rightsObligations" problem={problem} hint={t('registryAdmin.centre.rightsHint')}>
        {(c) => <textarea {...c} rows={3} maxLength={5000} value={rights} onChange={(e) => setRights(e.target.value)} />}
      </Field>
      <fieldset className="ra-rules">
        <legend>{t('registryAdmin.centre.structures')}</legend>
        <p className="ra-field__hint">{t('registryAdmin.centre.structuresHint')}</p>
        {issuesAt(problem, '#/structures').length > 0 ? <p className="ra-field__error">{issuesAt(problem, '#/structures').map((d) => issueText(t, d)).join(' ')}</p> : null}
        {rows.map((row, i) => (
          <fieldset key={row.key} className="ra-rule-row ra-rule-row--structure">
            <legend className="visually-hidden">{t('registryAdmin.centre.structureN', { n: i + 1 })}</legend>
            <Field label={t('registryAdmin.centre.structure')}>
              {(c) => <input {...c} required minLength={2} maxLength={200} value={row.structure} onChange={(e) => setRow(row.key, { structure: e.target.value })} />}
            </Field>
            <Field label={t('registryAdmin.centre.specialty')}>
              {(c) => (
                <select {...c} required value={row.specialtyCode} onChange={(e) => setRow(row.key, { specialtyCode: e.target.value })}>
                  <option value="">{t('registryAdmin.field.choose')}</option>
                  <SpecialtyOptions reference={reference} />
                </select>
              )}
            </Field>
            <button type="button" className="button button--secondary ra-rule-row__remove" onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}>
              {t('registryAdmin.centre.removeStructure', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button type="button" className="button button--secondary" onClick={() => setRows((rs) => [...rs, { key: nextRow++, structure: '', specialtyCode: '' }])}>
          {t('registryAdmin.centre.addStructure')}
        </button>
      </fieldset>
      <FormProblem problem={problem} />
      <FormActions submit={member ? t('registryAdmin.common.save') : t('registryAdmin.centre.addMemberSubmit')} onCancel={onCancel} />
    </form>
  );
}
