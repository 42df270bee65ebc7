import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { Badge, Callout, Skeleton } from '../../../components/ui.js';
import { useAction } from '../../../components/use-action.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import { IssueMedicalNoticeBodySchema, MedicalNoticePurposeSchema } from '../../../../../src/contracts/sick-leave.js';
import { pdfUrl, type MedicalNotice } from '../api.js';
import { ExamBanner } from '../components/exam-banner.js';
import { useFormatDay } from '../format.js';
import { slRuleText } from './sick-leave-form-page.js';
import '../sick-leave.css';

const PURPOSES = MedicalNoticePurposeSchema.options;

/** One of the patient's notices: its PDF, and the doctor's cancellation with a reason (NHIS C045). */
function NoticeItem({ n, onChange }: { n: MedicalNotice; onChange: () => void }) {
  const t = useT();
  const api = useApi();
  const day = useFormatDay();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { problem, notice, run } = useAction();
  const cancel = async () => {
    if (await run(async () => (await api.sickLeave.cancelNotice(n.id, reason.trim()), t('sickLeave.notice.cancelled')))) onChange();
  };
  return (
    <li className="sl-notice">
      <span>{t('sickLeave.notice.line', { day: day(n.issuedOn), purpose: t(`sickLeave.purpose.${n.purpose}`) })}</span>{' '}
      {n.status === 'cancelled' ? <Badge tone="warn">{t('sickLeave.mine.cancelled')}</Badge> : n.nhisStatus === 'recorded' ? <Badge tone="ok">{t('sickLeave.notice.recorded')}</Badge> : <Badge tone="info">{t('sickLeave.notice.pending')}</Badge>}{' '}
      <a href={pdfUrl.notice(n.id)} target="_blank" rel="noreferrer">{t('sickLeave.notice.pdf')}</a>{' '}
      {n.status === 'issued' && !open ? (
        <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>{t('sickLeave.notice.cancel')}</button>
      ) : null}
      {open && n.status === 'issued' ? (
        <div className="sl-cancel">
          <Field label={t('sickLeave.notice.cancelReason')} pointer="#/reason" problem={problem}>{(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />}</Field>
          <button type="button" className="button" onClick={() => void cancel()} disabled={reason.trim() === ''}>{t('sickLeave.notice.cancelConfirm')}</button>
        </div>
      ) : null}
      <FormProblem problem={problem} />
      <Notice text={notice} />
    </li>
  );
}

/**
 * `/sick-leave/notice/:encounterId`: the doctor's medical notice (медицинска бележка, E37) on an
 * examination, under the patient banner; only after an examination (R-EXP-05); recorded in the NHIS as
 * C041 and cancelled as C045. The patient's notices are listed with their PDFs.
 */
export function NoticePage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.notice.title'));
  const { encounterId = '' } = useParams();
  const api = useApi();
  const exams = useResource('sick-leave-examinations', (a) => a.sickLeave.examinations());
  const exam = exams.state === 'ready' ? exams.value.items.find((e) => e.encounterId === encounterId) : undefined;
  const notices = useResource(exam ? `notices:${exam.patient.id}` : null, (a) => a.sickLeave.notices(exam?.patient.id ?? ''));
  const [f, setF] = useState({ purpose: 'sport' as MedicalNotice['purpose'], text: '', validUntil: '' });
  const [done, setDone] = useState<MedicalNotice>();
  const { problem, busy, send } = useFormSubmit();
  const body = () => ({ encounterId, purpose: f.purpose, text: f.text.trim(), ...(f.validUntil ? { validUntil: f.validUntil } : {}) });
  const rule = typeof problem?.meta?.['rule'] === 'string' ? problem.meta['rule'] : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    await send(IssueMedicalNoticeBodySchema, body(), async () => {
      setDone(await api.sickLeave.issueNotice(body()));
      setF({ ...f, text: '', validUntil: '' });
      notices.reload();
    });
  }
  if (exams.state === 'loading') return <div className="page"><Skeleton lines={6} /></div>;
  if (exams.state === 'problem') return <div className="page"><ProblemAlert problem={exams.problem} /></div>;
  if (!exam) return <div className="page"><Callout tone="warn" title={t('sickLeave.issue.noExam')}><Link to="/sick-leave">{t('sickLeave.issue.back')}</Link></Callout></div>;
  return (
    <div className="page sl-page">
      <p><Link to="/sick-leave">{t('sickLeave.issue.back')}</Link></p>
      <ExamBanner exam={exam} />
      <h1>{t('sickLeave.notice.title')}</h1>
      <p className="lead">{t('sickLeave.notice.intro')}</p>
      {exam.kind === 'phone' || (exam.kind === 'remote' && !exam.remoteAssessable) ? <Callout tone="warn">{t('sickLeave.rule.R-EXP-05')}</Callout> : null}
      {done ? (
        <Callout title={t('sickLeave.notice.issued')}>
          <a href={pdfUrl.notice(done.id)} target="_blank" rel="noreferrer">{t('sickLeave.notice.pdf')}</a>
        </Callout>
      ) : null}
      <form onSubmit={(e) => void submit(e)} noValidate className="sl-form">
        <Field label={t('sickLeave.notice.purpose')} pointer="#/purpose" problem={rule ? undefined : problem}>
          {(p) => (
            <select {...p} value={f.purpose} onChange={(e) => setF({ ...f, purpose: e.target.value as MedicalNotice['purpose'] })}>
              {PURPOSES.map((k) => (
                <option key={k} value={k}>{t(`sickLeave.purpose.${k}`)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('sickLeave.notice.text')} pointer="#/text" problem={rule ? undefined : problem} hint={t('sickLeave.notice.textHint')}>
          {(p) => <textarea {...p} rows={4} maxLength={2000} value={f.text} onChange={(e) => setF({ ...f, text: e.target.value })} />}
        </Field>
        <Field label={t('sickLeave.notice.validUntil')} pointer="#/validUntil" problem={rule ? undefined : problem}>
          {(p) => <input {...p} type="date" value={f.validUntil} onChange={(e) => setF({ ...f, validUntil: e.target.value })} />}
        </Field>
        <FormProblem problem={problem}>{rule ? <p data-rule={rule}>{slRuleText(t, rule)}</p> : null}</FormProblem>
        <FormActions submit={t('sickLeave.notice.submit')} busy={busy} />
      </form>
      <h2>{t('sickLeave.notice.list')}</h2>
      {notices.state === 'loading' ? <Skeleton /> : null}
      {notices.state === 'problem' ? <ProblemAlert problem={notices.problem} /> : null}
      {notices.state === 'ready' ? (
        notices.value.items.length === 0 ? (
          <p className="sl-none">{t('sickLeave.notice.none')}</p>
        ) : (
          <ul className="sl-list" data-testid="doctor-notices">
            {notices.value.items.map((n) => (
              <NoticeItem key={n.id} n={n} onChange={notices.reload} />
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
}
