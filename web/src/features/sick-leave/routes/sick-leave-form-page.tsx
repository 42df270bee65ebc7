import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, useFormSubmit } from '../../../components/form.js';
import { Callout, Skeleton } from '../../../components/ui.js';
import { isMessageKey, useDocumentTitle, useT, type Translate } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { IssueSickLeaveBodySchema } from '../../../../../src/contracts/sick-leave.js';
import type { IssueSickLeaveBody, IssueSickLeaveResult } from '../api.js';
import { pdfUrl } from '../api.js';
import { CountersPanel } from '../components/counters-panel.js';
import { ExamBanner } from '../components/exam-banner.js';
import { LkkRouting, type Routing } from '../components/lkk-routing.js';
import { addDays, sofiaDay, useFormatDay } from '../format.js';
import '../sick-leave.css';

const KINDS = ['illness', 'family_care', 'quarantine', 'exam_consultation', 'accompanying'] as const;

/** What a sick-leave rule means, in words (DESIGN: no rule ids on screen). */
export function slRuleText(t: Translate, rule: string): string {
  const key = `sickLeave.rule.${rule}`;
  return isMessageKey(key) ? t(key) : t('sickLeave.rule.other');
}

/**
 * `/sick-leave/issue/:encounterId`: the doctor's sick leave on an examination, under the patient banner,
 * with the 14/40 counters before signing; signed with a fresh TOTP; a refusal beyond the limits is
 * explained and offers the ЛКК with a № 6 (R-SL-01..03).
 */
export function SickLeaveFormPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.issue.title'));
  const { encounterId = '' } = useParams();
  const api = useApi();
  const { me } = useAuth();
  const day = useFormatDay();
  const exams = useResource('sick-leave-examinations', (a) => a.sickLeave.examinations());
  const exam = exams.state === 'ready' ? exams.value.items.find((e) => e.encounterId === encounterId) : undefined;
  const today = sofiaDay(new Date());
  const [f, setF] = useState({ kind: 'illness' as (typeof KINDS)[number], startOn: today, endOn: addDays(today, 4), code: '', text: '', name: '', address: '', jobTitle: '', totp: '' });
  const [done, setDone] = useState<IssueSickLeaveResult>();
  const [routed, setRouted] = useState(false);
  const { problem, setProblem, busy, send } = useFormSubmit();
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const body = (): IssueSickLeaveBody => ({
    encounterId,
    kind: f.kind,
    capacity: 'gp',
    startOn: f.startOn,
    endOn: f.endOn,
    diagnosis: { code: f.code.trim().toUpperCase(), ...(f.text.trim() ? { text: f.text.trim() } : {}) },
    employers: [{ name: f.name, address: f.address, jobTitle: f.jobTitle }],
    code: f.totp.trim(),
  });
  const routing = problem?.meta?.['lkkRouting'] as Routing | undefined;
  const rule = typeof problem?.meta?.['rule'] === 'string' ? problem.meta['rule'] : undefined;
  // A refusal under a rule is explained in words below the form, not as a field error naming the rule.
  const fieldProblem = rule ? undefined : problem;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(undefined);
    setRouted(false);
    await send(IssueSickLeaveBodySchema, body(), async () => setDone(await api.sickLeave.issue(body())));
  }
  if (exams.state === 'loading') return <div className="page"><Skeleton lines={6} /></div>;
  if (exams.state === 'problem') return <div className="page"><ProblemAlert problem={exams.problem} /></div>;
  if (!exam) return <div className="page"><Callout tone="warn" title={t('sickLeave.issue.noExam')}><Link to="/sick-leave">{t('sickLeave.issue.back')}</Link></Callout></div>;
  const practitionerId = me?.role === 'specialist' ? me.practitionerId : null;
  return (
    <div className="page sl-page">
      <p><Link to="/sick-leave">{t('sickLeave.issue.back')}</Link></p>
      <ExamBanner exam={exam} />
      <h1>{t('sickLeave.issue.title')}</h1>
      <p className="lead">{t('sickLeave.issue.intro')}</p>
      {exam.kind === 'remote' && !exam.remoteAssessable ? <Callout tone="warn">{t('sickLeave.rule.R-SL-21')}</Callout> : null}
      {done ? (
        <Callout title={t('sickLeave.issued', { count: String(done.certificates.length) })}>
          <ul className="sl-list">
            {done.certificates.map((c) => (
              <li key={c.id}>
                {t('sickLeave.issuedLine', { from: day(c.startOn), to: day(c.endOn), days: String(c.days), employer: c.employer.name })}{' '}
                <a href={pdfUrl.sickLeave(c.id)} target="_blank" rel="noreferrer">{t('sickLeave.pdf')}</a>
              </li>
            ))}
          </ul>
          <p>{t('sickLeave.issuedNext')}</p>
        </Callout>
      ) : null}
      {routed ? <Callout title={t('sickLeave.routed')}>{t('sickLeave.routedNext')}</Callout> : null}
      <form onSubmit={(e) => void submit(e)} noValidate className="sl-form">
        <Field label={t('sickLeave.field.kind')} pointer="#/kind" problem={fieldProblem}>
          {(p) => (
            <select {...p} value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as (typeof KINDS)[number] })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>{t(`sickLeave.kind.${k}`)}</option>
              ))}
            </select>
          )}
        </Field>
        <div className="sl-row">
          <Field label={t('sickLeave.field.startOn')} pointer="#/startOn" problem={fieldProblem}>{(p) => <input {...p} type="date" value={f.startOn} onChange={set('startOn')} />}</Field>
          <Field label={t('sickLeave.field.endOn')} pointer="#/endOn" problem={fieldProblem}>{(p) => <input {...p} type="date" value={f.endOn} onChange={set('endOn')} />}</Field>
        </div>
        {practitionerId ? <CountersPanel patientId={exam.patient.id} practitionerId={practitionerId} kind={f.kind} startOn={f.startOn} endOn={f.endOn} /> : null}
        <div className="sl-row">
          <Field label={t('sickLeave.field.diagnosis')} pointer="#/diagnosis" problem={fieldProblem} hint={t('sickLeave.field.diagnosisHint')}>{(p) => <input {...p} value={f.code} onChange={set('code')} autoComplete="off" />}</Field>
          <Field label={t('sickLeave.field.diagnosisText')}>{(p) => <input {...p} value={f.text} onChange={set('text')} />}</Field>
        </div>
        <fieldset className="sl-fieldset">
          <legend>{t('sickLeave.field.employer')}</legend>
          <Field label={t('sickLeave.field.employerName')} pointer="#/employers" problem={fieldProblem}>{(p) => <input {...p} value={f.name} onChange={set('name')} />}</Field>
          <Field label={t('sickLeave.field.employerAddress')}>{(p) => <input {...p} value={f.address} onChange={set('address')} />}</Field>
          <Field label={t('sickLeave.field.jobTitle')}>{(p) => <input {...p} value={f.jobTitle} onChange={set('jobTitle')} />}</Field>
        </fieldset>
        <Field label={t('sickLeave.field.totp')} pointer="#/code" problem={fieldProblem} hint={t('sickLeave.field.totpHint')}>
          {(p) => <input {...p} value={f.totp} onChange={set('totp')} inputMode="numeric" autoComplete="one-time-code" maxLength={6} className="sl-code" />}
        </Field>
        <FormProblem problem={problem}>{rule ? <p data-rule={rule}>{slRuleText(t, rule)}</p> : null}</FormProblem>
        {routing ? (
          <LkkRouting
            routing={routing}
            exam={exam}
            request={{ startOn: f.startOn, endOn: f.endOn, kind: f.kind, diagnosisCode: body().diagnosis.code, employers: body().employers }}
            code={f.totp.trim()}
            onRouted={() => {
              setProblem(undefined);
              setRouted(true);
            }}
          />
        ) : null}
        <FormActions submit={t('sickLeave.submit')} busy={busy} />
      </form>
    </div>
  );
}
