import type { Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import { Field } from '../../../components/form.js';

/** A centre's name and its Art. 5(4) contract as typed in a form. */
export interface CentreContractValues {
  name: string;
  contractReference: string;
  contractSignedOn: string;
  headName: string;
}

/** The values as a request body takes them: a contract field left empty is not sent. */
export function centreContractBody(values: CentreContractValues) {
  const { name, contractReference, contractSignedOn, headName } = values;
  return { name, ...(contractReference.trim() ? { contractReference } : {}), ...(contractSignedOn ? { contractSignedOn } : {}), ...(headName.trim() ? { headName } : {}) };
}

/** The fields of a centre's name and contract: reference, date signed and head (R-TM-21 needs them). */
export function CentreContractFields({ values, set, problem }: { values: CentreContractValues; set: (key: keyof CentreContractValues, value: string) => void; problem: Problem | undefined }) {
  const t = useT();
  return (
    <>
      <Field label={t('registryAdmin.centre.name')} pointer="#/name" problem={problem}>
        {(c) => <input {...c} required minLength={2} maxLength={200} value={values.name} onChange={(e) => set('name', e.target.value)} />}
      </Field>
      <Field label={t('registryAdmin.centre.contractReference')} pointer="#/contractReference" problem={problem} hint={t('registryAdmin.centre.contractReferenceHint')}>
        {(c) => <input {...c} maxLength={200} value={values.contractReference} onChange={(e) => set('contractReference', e.target.value)} />}
      </Field>
      <Field label={t('registryAdmin.centre.contractSignedOn')} pointer="#/contractSignedOn" problem={problem} hint={t('registryAdmin.common.optional')}>
        {(c) => <input {...c} type="date" value={values.contractSignedOn} onChange={(e) => set('contractSignedOn', e.target.value)} />}
      </Field>
      <Field label={t('registryAdmin.centre.headName')} pointer="#/headName" problem={problem} hint={t('registryAdmin.centre.headNameHint')}>
        {(c) => <input {...c} maxLength={200} value={values.headName} onChange={(e) => set('headName', e.target.value)} />}
      </Field>
    </>
  );
}
