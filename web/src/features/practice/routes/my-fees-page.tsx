import { useState, type FormEvent } from 'react';
import { CreateComplaintBodySchema } from '../../../../../src/contracts/practice.js';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';

/** The patient's fees and receipts (DECISIONS 17: BGN kept, shown in EUR) and the complaint form (W24). */
export function MyFeesPage() {
  const t = useT();
  useDocumentTitle(t('practice.fees.title'));
  const { me } = useAuth();
  const patientId = me?.patientId ?? null;
  return (
    <div className="page">
      <h1>{t('practice.fees.title')}</h1>
      {patientId ? (
        <>
          <Fees patientId={patientId} />
          <ComplaintForm patientId={patientId} />
        </>
      ) : null}
    </div>
  );
}

function Fees({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const fees = useResource(`fees:${patientId}`, (a) => a.practice.myPayments(patientId));
  const f = valueOf(fees);
  if (fees.state === 'loading') return <p aria-live="polite">{t('practice.loading')}</p>;
  if (fees.state === 'problem') return <ProblemAlert problem={fees.problem} />;
  if (!f || f.items.length === 0) return <p>{t('practice.fees.none')}</p>;
  return (
    <section>
      <ul>
        {f.items.map((p) => (
          <li key={p.id}>
            {`${new Date(p.paidAt).toLocaleDateString()} · ${p.facilityName} · ${p.price.amount} ${p.price.currency}${p.price.currency === 'BGN' ? ` (${p.price.eur} EUR)` : ''} · `}
            <a href={api.practice.receiptHref(p.id)}>{t('practice.fees.receipt', { number: p.receiptNumber })}</a>
          </li>
        ))}
      </ul>
      <p>{t('practice.fees.total', { eur: f.totalEur })}</p>
    </section>
  );
}

function ComplaintForm({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const gp = useResource(`gp:${patientId}`, (a) => a.gp.patientGp(patientId));
  const facilityId = valueOf(gp)?.current?.facility.id ?? null;
  const [v, setV] = useState({ submitterName: '', contact: '', topic: '', text: '' });
  const [notice, setNotice] = useState<string>();
  const form = useFormSubmit();
  if (gp.state === 'ready' && !facilityId) return <p>{t('practice.complaint.noGp')}</p>;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!facilityId) return;
    const body = { channel: 'portal' as const, patientId, topic: v.topic.trim(), text: v.text.trim(), ...(v.submitterName.trim() ? { submitterName: v.submitterName.trim() } : {}), ...(v.contact.trim() ? { contact: v.contact.trim() } : {}) };
    void form.send(CreateComplaintBodySchema, body, async () => {
      const c = await api.practice.fileComplaint(facilityId, body);
      setNotice(t('practice.complaint.sent', { date: c.receivedOn, review: c.reviewBy }));
      setV({ submitterName: '', contact: '', topic: '', text: '' });
    });
  };
  const field = (key: keyof typeof v) => ({ value: v[key], onChange: (e: { target: { value: string } }) => setV((s) => ({ ...s, [key]: e.target.value })) });
  return (
    <section aria-labelledby="complaint-title">
      <h2 id="complaint-title">{t('practice.complaint.title')}</h2>
      <form onSubmit={onSubmit} noValidate>
        <FormProblem problem={form.problem} />
        <Field label={t('practice.complaint.name')} pointer="#/submitterName" problem={form.problem} hint={t('practice.complaint.hint')}>
          {(c) => <input {...c} {...field('submitterName')} />}
        </Field>
        <Field label={t('practice.complaint.contact')} pointer="#/contact" problem={form.problem}>
          {(c) => <input {...c} {...field('contact')} />}
        </Field>
        <Field label={t('practice.complaint.topic')} pointer="#/topic" problem={form.problem}>
          {(c) => <input {...c} {...field('topic')} />}
        </Field>
        <Field label={t('practice.complaint.text')} pointer="#/text" problem={form.problem}>
          {(c) => <textarea {...c} rows={5} {...field('text')} />}
        </Field>
        <FormActions submit={t('practice.complaint.send')} busy={form.busy} />
      </form>
      <Notice text={notice} />
    </section>
  );
}
