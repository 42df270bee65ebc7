import { useState, type FormEvent } from 'react';
import { CreateProcessingActivityBodySchema, LegalBasisSchema } from '../../../../../src/contracts/practice-records.js';
import { useApi } from '../../../api/api-context.js';
import { useResource } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { Card, EmptyState, Facts, ResourceView } from '../../../components/ui.js';
import { useLanguage, useT, type MessageKey } from '../../../i18n/index.js';
import type { ProcessingActivity } from '../api.js';
import { formatDate } from '../../registry-admin/format.js';

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);
const EMPTY = { name: '', purpose: '', legalBasis: 'health_care', subjects: '', data: '', recipients: '', transfers: '', retention: '', security: '', validFrom: '' };

/** The GDPR Art. 30 register of processing activities (W25): what is processed, why, on what basis, how long. */
export function ProcessingRegister({ facilityId }: { facilityId: string }) {
  const t = useT();
  const { language } = useLanguage();
  const list = useResource(`processing:${facilityId}`, (a) => a.practice.processingActivities(facilityId));
  return (
    <section aria-labelledby="pdata-register" className="stack">
      <h2 id="pdata-register">{t('pdata.register.title')}</h2>
      <p>{t('pdata.register.lead')}</p>
      <ResourceView resource={list}>
        {(v) =>
          v.items.length === 0 ? (
            <EmptyState title={t('pdata.register.empty')} />
          ) : (
            <ul className="pdata-list" aria-label={t('pdata.register.title')}>
              {v.items.map((a) => (
                <li key={a.id}>
                  <Card title={a.name} headingLevel={3}>
                    <Facts items={activityFacts(a, t, language)} />
                  </Card>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
      <AddActivity facilityId={facilityId} onAdded={() => list.reload()} />
    </section>
  );
}

function activityFacts(a: ProcessingActivity, t: ReturnType<typeof useT>, language: 'bg' | 'en') {
  return [
    { label: t('pdata.field.purpose'), value: a.purpose },
    { label: t('pdata.field.legalBasis'), value: t(`pdata.basis.${a.legalBasis}` as MessageKey) },
    { label: t('pdata.field.subjects'), value: a.subjectCategories.join(', ') },
    { label: t('pdata.field.data'), value: a.dataCategories.join(', ') },
    { label: t('pdata.field.recipients'), value: a.recipients.join(', ') },
    { label: t('pdata.field.transfers'), value: a.transfersOutsideEu ?? t('pdata.field.noTransfers') },
    { label: t('pdata.field.retention'), value: a.retention },
    { label: t('pdata.field.security'), value: a.securityMeasures },
    { label: t('pdata.field.validFrom'), value: formatDate(a.validFrom, language) },
  ];
}

function AddActivity({ facilityId, onAdded }: { facilityId: string; onAdded: () => void }) {
  const t = useT();
  const api = useApi();
  const [f, setF] = useState(EMPTY);
  const form = useFormSubmit();
  const [notice, setNotice] = useState<string>();
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) => setF((x) => ({ ...x, [k]: e.target.value }));
  const body = () => ({
    name: f.name,
    purpose: f.purpose,
    legalBasis: f.legalBasis,
    subjectCategories: lines(f.subjects),
    dataCategories: lines(f.data),
    recipients: lines(f.recipients),
    ...(f.transfers.trim() ? { transfersOutsideEu: f.transfers } : {}),
    retention: f.retention,
    securityMeasures: f.security,
    validFrom: f.validFrom,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    void form.send(CreateProcessingActivityBodySchema, body(), async () => {
      const added = await api.practice.addProcessingActivity(facilityId, CreateProcessingActivityBodySchema.parse(body()));
      setF(EMPTY);
      onAdded();
      setNotice(t('pdata.register.added', { name: added.name }));
    });
  };
  const p = form.problem;
  return (
    <details className="card pdata-add">
      <summary>{t('pdata.register.add')}</summary>
      <form onSubmit={submit} noValidate className="stack pdata-form">
        <FormProblem problem={p} />
        <Field label={t('pdata.field.name')} pointer="#/name" problem={p}>{(c) => <input {...c} value={f.name} onChange={set('name')} />}</Field>
        <Field label={t('pdata.field.purpose')} pointer="#/purpose" problem={p}>{(c) => <textarea {...c} rows={2} value={f.purpose} onChange={set('purpose')} />}</Field>
        <Field label={t('pdata.field.legalBasis')} pointer="#/legalBasis" problem={p}>
          {(c) => (
            <select {...c} value={f.legalBasis} onChange={set('legalBasis')}>
              {LegalBasisSchema.options.map((b) => (
                <option key={b} value={b}>
                  {t(`pdata.basis.${b}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('pdata.field.subjects')} hint={t('pdata.field.listHint')} pointer="#/subjectCategories" problem={p}>{(c) => <textarea {...c} rows={2} value={f.subjects} onChange={set('subjects')} />}</Field>
        <Field label={t('pdata.field.data')} hint={t('pdata.field.listHint')} pointer="#/dataCategories" problem={p}>{(c) => <textarea {...c} rows={2} value={f.data} onChange={set('data')} />}</Field>
        <Field label={t('pdata.field.recipients')} hint={t('pdata.field.listHint')} pointer="#/recipients" problem={p}>{(c) => <textarea {...c} rows={2} value={f.recipients} onChange={set('recipients')} />}</Field>
        <Field label={t('pdata.field.transfers')} pointer="#/transfersOutsideEu" problem={p}>{(c) => <input {...c} value={f.transfers} onChange={set('transfers')} />}</Field>
        <Field label={t('pdata.field.retention')} pointer="#/retention" problem={p}>{(c) => <input {...c} value={f.retention} onChange={set('retention')} />}</Field>
        <Field label={t('pdata.field.security')} pointer="#/securityMeasures" problem={p}>{(c) => <textarea {...c} rows={2} value={f.security} onChange={set('security')} />}</Field>
        <Field label={t('pdata.field.validFrom')} pointer="#/validFrom" problem={p}>{(c) => <input {...c} type="date" value={f.validFrom} onChange={set('validFrom')} />}</Field>
        <FormActions submit={t('pdata.register.add')} busy={form.busy} />
        <Notice text={notice} />
      </form>
    </details>
  );
}
