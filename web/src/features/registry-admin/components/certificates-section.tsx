import { useState, type FormEvent } from 'react';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useLanguage, useT } from '../../../i18n/index.js';
import { CertificateInputSchema } from '../../../../../src/contracts/registry.js';
import type { Certificate, CertificateInput, Facility } from '../api.js';
import { useResource } from '../../../api/use-resource.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormProblem, FormActions, Notice, useFormSubmit } from '../../../components/form.js';
import { formatDate } from '../format.js';
import { ResourceList } from './resource-list.js';

const KINDS: readonly Certificate['kind'][] = ['software', 'diagnostic_equipment', 'ict_equipment', 'infrastructure', 'ce_mark', 'other'];

interface Values {
  kind: Certificate['kind'];
  title: string;
  issuer: string;
  reference: string;
  issuedOn: string;
  expiresOn: string;
}
const EMPTY: Values = { kind: 'software', title: '', issuer: '', reference: '', issuedOn: '', expiresOn: '' };

/** Certificates and technical documentation (Art. 25-26) with their expiry state: record and withdraw. */
export function CertificatesSection({ facility }: { facility: Facility }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi().registryAdmin;
  const certificates = useResource(`certificates/${facility.id}`, (a) => a.registryAdmin.certificates(facility.id));
  const [values, setValues] = useState<Values>(EMPTY);
  const { problem, send } = useFormSubmit();
  const [listProblem, setListProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setValues((v) => ({ ...v, [key]: value }));

  async function record(event: FormEvent) {
    event.preventDefault();
    const body: CertificateInput = { kind: values.kind, title: values.title, issuer: values.issuer, reference: values.reference, issuedOn: values.issuedOn, ...(values.expiresOn ? { expiresOn: values.expiresOn } : {}) };
    setNotice(undefined);
    await send(CertificateInputSchema, body, async () => {
      const saved = await api.recordCertificate(facility.id, body);
      setNotice(t('registryAdmin.cert.recorded', { title: saved.title }));
      setValues(EMPTY);
      certificates.reload();
    });
  }

  async function withdraw(c: Certificate) {
    setListProblem(undefined);
    try {
      await api.withdrawCertificate(facility.id, c.id);
      setNotice(t('registryAdmin.cert.withdrawn', { title: c.title }));
    } catch (error) {
      setListProblem(problemFromError(error));
    }
    certificates.reload();
  }

  return (
    <section aria-labelledby="ra-certificates">
      <h2 id="ra-certificates">{t('registryAdmin.tab.certificates')}</h2>
      <p className="ra-muted">{t('registryAdmin.cert.intro')}</p>
      <Notice text={notice} />
      <FormProblem problem={listProblem} />
      <ResourceList
        resource={certificates}
        empty={t('registryAdmin.cert.none')}
        renderItem={(c) => (
          <li key={c.id} className={`ra-card ra-card--${c.state}`}>
            <div className="ra-card__head">
              <h3 className="ra-card__title">{c.title}</h3>
              <span className={`ra-badge ra-badge--${c.state}`}>{t(`registryAdmin.cert.state.${c.state}`)}</span>
            </div>
            <p className="ra-muted">
              {t(`registryAdmin.cert.kind.${c.kind}`)} · {c.issuer} · {c.reference}
            </p>
            <p>
              {t('registryAdmin.cert.issued', { date: formatDate(c.issuedOn, language) })} · {c.expiresOn ? t('registryAdmin.cert.expires', { date: formatDate(c.expiresOn, language) }) : t('registryAdmin.cert.noExpiry')}
            </p>
            {c.state !== 'withdrawn' ? (
              <div className="ra-actions">
                <button type="button" className="button button--secondary" onClick={() => void withdraw(c)} aria-label={`${t('registryAdmin.cert.withdraw')}: ${c.title}`}>
                  {t('registryAdmin.cert.withdraw')}
                </button>
              </div>
            ) : null}
          </li>
        )}
      />

      <h3>{t('registryAdmin.cert.new')}</h3>
      <form className="ra-form" onSubmit={(e) => void record(e)}>
        <Field label={t('registryAdmin.cert.kind')} pointer="#/kind" problem={problem}>
          {(c) => (
            <select {...c} value={values.kind} onChange={(e) => set('kind', e.target.value as Certificate['kind'])}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`registryAdmin.cert.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('registryAdmin.cert.title')} pointer="#/title" problem={problem}>
          {(c) => <input {...c} required minLength={2} maxLength={300} value={values.title} onChange={(e) => set('title', e.target.value)} />}
        </Field>
        <Field label={t('registryAdmin.cert.issuer')} pointer="#/issuer" problem={problem}>
          {(c) => <input {...c} required maxLength={300} value={values.issuer} onChange={(e) => set('issuer', e.target.value)} />}
        </Field>
        <Field label={t('registryAdmin.cert.reference')} pointer="#/reference" problem={problem}>
          {(c) => <input {...c} required maxLength={200} value={values.reference} onChange={(e) => set('reference', e.target.value)} />}
        </Field>
        <div className="ra-row">
          <Field label={t('registryAdmin.cert.issuedOn')} pointer="#/issuedOn" problem={problem}>
            {(c) => <input {...c} type="date" required value={values.issuedOn} onChange={(e) => set('issuedOn', e.target.value)} />}
          </Field>
          <Field label={t('registryAdmin.cert.expiresOn')} pointer="#/expiresOn" problem={problem} hint={t('registryAdmin.common.optional')}>
            {(c) => <input {...c} type="date" min={values.issuedOn || undefined} value={values.expiresOn} onChange={(e) => set('expiresOn', e.target.value)} />}
          </Field>
        </div>
        <FormProblem problem={problem} />
        <FormActions submit={t('registryAdmin.cert.submit')} />
      </form>
    </section>
  );
}
