import { useEffect, useId, type ReactNode } from 'react';
import { useApi } from '../../../api/api-context.js';
import { problemMessage } from '../../../api/problem-alert.js';
import type { Problem } from '../../../api/problem.js';
import { useResource } from '../../../api/use-resource.js';
import { FormProblem } from '../../../components/form.js';
import { Link } from 'react-router';
import { Badge, Callout, PageHeader } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import { isMessageKey, useT, type MessageKey } from '../../../i18n/index.js';
import type { Budget, Prescription, Referral } from '../api.js';
import type { Hint } from '../referral-form.js';
import { refusalsOf } from '../referral-form.js';

/** How often the status is asked again while the NHIS has not answered. */
export const STATUS_POLL_MS = 1500;

/** The rules that apply to what is typed so far (the server decides; these say it early). */
export function HintList({ hints }: { hints: readonly Hint[] }) {
  const t = useT();
  if (hints.length === 0) return null;
  return (
    <ul className="ref-hints" aria-live="polite">
      {hints.map((h) => (
        <li key={h.key} className={h.tone === 'warn' ? 'ref-hint ref-hint--warn' : 'ref-hint'} data-rule={h.rule}>
          {t(h.key, h.values)}
        </li>
      ))}
    </ul>
  );
}

/** the quarter's standard for the chosen form, warned from 80 %. */
export function BudgetNotice({ budget }: { budget: Budget | undefined }) {
  const t = useT();
  if (!budget || budget.limit === null) return null;
  const text = t('refIssue.budget.text', { used: String(budget.used), limit: String(budget.limit), remaining: String(budget.remaining ?? 0) });
  if (budget.level === 'ok') return <p className="ref-budget" data-testid="budget">{`${t('refIssue.budget.title')}: ${text}`}</p>;
  return (
    <div data-testid="budget" data-level={budget.level}>
      <Callout tone={budget.level === 'exhausted' ? 'danger' : 'warn'} title={t(budget.level === 'exhausted' ? 'refIssue.budget.exhausted' : 'refIssue.budget.warning')}>
        <p>{text}</p>
      </Callout>
    </div>
  );
}

/** The second factor that signs: a fresh TOTP code, as for a consent or a sheet. */
export function SignCodeField({ value, onChange, issue }: { value: string; onChange: (v: string) => void; issue: MessageKey | undefined }) {
  const t = useT();
  return (
    <CheckedField label={t('refIssue.field.code')} hint={t('refIssue.field.code.hint')} issue={issue}>
      {(p) => <input {...p} className="ref-code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={value} onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))} />}
    </CheckedField>
  );
}

/** A correction: the new version replaces the signed one, which is cancelled in the NHIS. */
export function CorrectionNotice({ nrn }: { nrn: string | null }) {
  const t = useT();
  return (
    <Callout tone="info" title={t('refIssue.correct.title')}>
      {nrn ? t('refIssue.correct.textNrn', { nrn }) : t('refIssue.correct.text')}
    </Callout>
  );
}

/** A refusal: the problem, and every rule it names in words. */
export function Refusal({ problem }: { problem: Problem | undefined }) {
  const t = useT();
  const refusals = refusalsOf(problem?.meta);
  return (
    <FormProblem problem={problem}>
      {refusals.length > 1 ? (
        <>
          <p>{t('refIssue.refusals')}</p>
          <ul className="ref-refusals">
            {refusals.map((r) => (
              <li key={r.code} data-rule={r.rule}>
                {isMessageKey(`problem.${r.code}`) ? problemMessage({ ...(problem as Problem), code: r.code }, t) : r.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </FormProblem>
  );
}

type Doc = { kind: 'referral'; doc: Referral } | { kind: 'prescription'; doc: Prescription };

/**
 * After signing: the document's NHIS state, asked again until the NHIS answers (pending → issued with
 * the НРН, or refused), and the printable PDF.
 */
export function IssuedStatus({ issued, onAnother }: { issued: Doc; onAnother: () => void }) {
  const t = useT();
  const api = useApi();
  const { kind, doc } = issued;
  const current = useResource<Referral | Prescription>(`${kind}-status:${doc.id}`, (a) => (kind === 'referral' ? a.referrals.referral(doc.id) : a.referrals.prescription(doc.id)));
  const now = current.state === 'ready' ? current.value : doc;
  const reload = current.reload;
  useEffect(() => {
    if (now.status !== 'pending') return undefined;
    const timer = window.setTimeout(reload, STATUS_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [now, reload]);
  const status = now.status;
  const tone = status === 'issued' ? 'ok' : status === 'rejected' ? 'danger' : 'info';
  return (
    <section className="ui-card ref-issued" aria-labelledby="ref-issued-title" data-testid="issued-status" data-status={status}>
      <h2 id="ref-issued-title" tabIndex={-1}>
        {t('refIssue.status.title')} <Badge tone={tone}>{t(`referrals.status.${status}` as MessageKey)}</Badge>
      </h2>
      <p role="status">
        {status === 'pending'
          ? t('refIssue.status.pending')
          : status === 'issued' && now.nrn
            ? t('refIssue.status.issued', { nrn: now.nrn })
            : status === 'rejected'
              ? t('refIssue.status.rejected', { error: now.nhisError ?? '' })
              : t('refIssue.status.other', { status: t(`referrals.status.${status}` as MessageKey) })}
      </p>
      {'usableAt' in now && status === 'issued' ? <p>{now.usableAt}</p> : null}
      <div className="button-row">
        <a className="button button--secondary" href={api.referrals.pdfHref(kind, doc.id)} download>
          {t('refIssue.pdf')}
        </a>
        <button type="button" className="button button--secondary" onClick={onAnother}>
          {t('refIssue.another')}
        </button>
      </div>
    </section>
  );
}

/** A labelled field with its hint and, once the doctor tried to sign, what it still needs. */
export function CheckedField({ label, hint, issue, children }: { label: string; hint?: string | undefined; issue?: MessageKey | undefined; children: (control: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode }) {
  const t = useT();
  const id = useId();
  const described = [hint ? `${id}-hint` : '', issue ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="ra-field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(issue ? { 'aria-invalid': true as const } : {}), ...(described ? { 'aria-describedby': described } : {}) })}
      {hint ? <p id={`${id}-hint`} className="ra-field__hint">{hint}</p> : null}
      {issue ? <p id={`${id}-error`} className="ra-field__error">{t(issue)}</p> : null}
    </div>
  );
}

/**
 * The frame of both issuing pages: the way back to the consultation, the title, the patient banner, and
 * either the form or, once signed, the document's status.
 */
export function IssueFrame({ kind, requestId, issued, onAnother, children }: { kind: 'referral' | 'prescription'; requestId: string | undefined; issued: Doc | undefined; onAnother: () => void; children: ReactNode }) {
  const t = useT();
  return (
    <div className="page ref-issue">
      {requestId ? (
        <p className="ref-back">
          <Link to={`/requests/${requestId}/consultation`}>{t('refIssue.back')}</Link>
        </p>
      ) : null}
      <PageHeader title={t(`refIssue.${kind}.title`)} lead={t(`refIssue.${kind}.lead`)} />
      {requestId ? <PatientBanner requestId={requestId} /> : null}
      {issued ? <IssuedStatus issued={issued} onAnother={onAnother} /> : children}
    </div>
  );
}
