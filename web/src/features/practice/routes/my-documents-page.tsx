import { useState, type FormEvent } from 'react';
import { CreateDocumentRequestBodySchema } from '../../../../../src/contracts/practice-records.js';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { DocumentStatus } from '../components/document-status.js';

/** The patient asks their GP's practice for a document in writing and follows it (E34, R-DOC-01/02). */
export function MyDocumentsPage() {
  const t = useT();
  useDocumentTitle(t('practice.docs.title'));
  const { me } = useAuth();
  const patientId = me?.patientId ?? null;
  return (
    <div className="page">
      <h1>{t('practice.docs.title')}</h1>
      <p className="lead">{t('practice.docs.intro')}</p>
      {patientId ? <Requests patientId={patientId} /> : null}
    </div>
  );
}

function Requests({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const mine = useResource(`documents:${patientId}`, (a) => a.practice.myDocumentRequests(patientId));
  const gp = useResource(`gp:${patientId}`, (a) => a.gp.patientGp(patientId));
  const facilityId = valueOf(gp)?.current?.facility.id ?? null;
  const [category, setCategory] = useState<'past_circumstance' | 'other'>('past_circumstance');
  const [what, setWhat] = useState('');
  const [notice, setNotice] = useState<string>();
  const form = useFormSubmit();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!facilityId) return;
    const body = { patientId, category, what: what.trim() };
    void form.send(CreateDocumentRequestBodySchema, body, async () => {
      const r = await api.practice.requestDocument(facilityId, body);
      setNotice(r.dueOn ? t('practice.docs.sent', { date: r.dueOn }) : t('practice.docs.sentNoDate'));
      setWhat('');
      mine.reload();
    });
  };
  const items = valueOf(mine)?.items ?? [];
  return (
    <>
      <section aria-labelledby="docs-list">
        <h2 id="docs-list">{t('practice.docs.mine')}</h2>
        {mine.state === 'loading' ? <p aria-live="polite">{t('practice.loading')}</p> : null}
        {mine.state === 'problem' ? <ProblemAlert problem={mine.problem} /> : null}
        {mine.state === 'ready' && items.length === 0 ? <p>{t('practice.docs.none')}</p> : null}
        {items.length > 0 ? (
          <ul>
            {items.map((r) => (
              <li key={r.id}>
                <strong>{r.what}</strong> · {t('practice.docs.received', { date: r.receivedOn })} · <DocumentStatus request={r} />
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      {gp.state === 'ready' && !facilityId ? <p>{t('practice.complaint.noGp')}</p> : null}
      {facilityId ? (
        <section aria-labelledby="docs-ask">
          <h2 id="docs-ask">{t('practice.docs.ask')}</h2>
          <form onSubmit={onSubmit} noValidate>
            <FormProblem problem={form.problem} />
            <Field label={t('practice.docs.category')} pointer="#/category" problem={form.problem}>
              {(c) => (
                <select {...c} value={category} onChange={(e) => setCategory(e.target.value as typeof category)}>
                  <option value="past_circumstance">{t('practice.docs.cat.past_circumstance')}</option>
                  <option value="other">{t('practice.docs.cat.other')}</option>
                </select>
              )}
            </Field>
            <Field label={t('practice.docs.what')} pointer="#/what" problem={form.problem} hint={t('practice.docs.whatHint')}>
              {(c) => <textarea {...c} rows={4} value={what} onChange={(e) => setWhat(e.target.value)} />}
            </Field>
            <FormActions submit={t('practice.docs.send')} busy={form.busy} />
          </form>
          <Notice text={notice} />
        </section>
      ) : null}
    </>
  );
}
