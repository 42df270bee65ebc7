import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { RequestWithAppointment } from '../../requests/api.js';
import type { Deadline, MarkComplexBody } from '../api.js';
import { DeadlineSummary } from '../components/deadline-summary.js';
import { Skeleton } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import '../records.css';

const COMPLEX_KINDS: readonly MarkComplexBody['kind'][] = ['complex_case', 'image_processing', 'mutual_consultation'];
/** The list is read again this often (the countdown itself runs in the browser in between). */
const REFRESH_MS = 60_000;

/**
 * R-TM-43: the providing specialist may extend the deadline as a complex case, with a reason, only
 * before the base deadline; the server decides, this only hides the action where it would be refused.
 */
function mayMarkComplex(d: Deadline, secondsSinceFetch: number, now: string): boolean {
  if (d.status !== 'open' || d.complex) return false;
  return new Date(d.baseDueAt).getTime() > new Date(now).getTime() + secondsSinceFetch * 1000;
}

/** The complexity extension form of one service: the kind and a reason (at least 5 characters). */
function MarkComplexForm(props: { requestId: string; onDone(d: Deadline): void; onCancel(): void }) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const [kind, setKind] = useState<MarkComplexBody['kind']>('complex_case');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const tooShort = reason.trim().length < 5;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (tooShort) return;
    setBusy(true);
    setProblem(undefined);
    try {
      props.onDone(await api.records.markComplex(props.requestId, { kind, reason: reason.trim() }));
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="records-complex" onSubmit={(e) => void submit(e)} aria-label={t('records.complex.title')}>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <fieldset>
        <legend>{t('records.complex.kind')}</legend>
        {COMPLEX_KINDS.map((k) => (
          <label key={k} className="records-radio">
            <input type="radio" name={`${ids}-kind`} value={k} checked={kind === k} onChange={() => setKind(k)} />
            <span>{t(`records.complex.kind.${k}`)}</span>
          </label>
        ))}
      </fieldset>
      <div className="records-field">
        <label htmlFor={`${ids}-reason`}>{t('records.complex.reason')}</label>
        <textarea id={`${ids}-reason`} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={5} maxLength={1000} aria-describedby={`${ids}-hint`} autoFocus />
        <p id={`${ids}-hint`} className="records-hint">
          {t('records.complex.reasonHint')}
        </p>
      </div>
      <div className="records-actions">
        <button type="submit" className="button" disabled={busy || tooShort}>
          {t('records.complex.submit')}
        </button>
        <button type="button" className="records-secondary" onClick={props.onCancel}>
          {t('records.action.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * `/records/worklist`: the specialist's completed services awaiting documentation, with the Art. 17
 * deadline and the time left in Europe/Sofia, escalation and breaches, the complexity extension and a
 * link to the editor; recently recorded ones below.
 */
export function RecordsWorklistPage() {
  const t = useT();
  useDocumentTitle(t('records.worklist.title'));
  const worklist = useResource('records/worklist', async (api) => ({ value: await api.records.worklist(), fetchedAt: Date.now() }));
  // The service names come from the requests worklist (completed services are on it); optional.
  const named = useResource('records/worklist/services', async (api) => {
    const w = await api.requests.worklist();
    return new Map([...w.emergencies, ...w.planned].map((i) => [i.request.id, i]));
  });
  const list = valueOf(worklist);
  const problem = problemOf(worklist);
  const services = valueOf(named) ?? new Map<string, RequestWithAppointment>();
  const [marking, setMarking] = useState<string>();
  const [announcement, setAnnouncement] = useState('');

  const { reload: reloadList } = worklist;
  const { reload: reloadNames } = named;
  useEffect(() => {
    const timer = window.setInterval(() => {
      reloadList();
      reloadNames();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reloadList, reloadNames]);

  const items = list?.value.items ?? [];
  const pending = items.filter((d) => d.status === 'open' || (d.status === 'missed' && !d.recordedAt));
  const recorded = items.filter((d) => !pending.includes(d));
  const since = list ? (Date.now() - list.fetchedAt) / 1000 : 0;

  const card = (d: Deadline) => {
    const svc = services.get(d.requestId)?.request;
    return (
      <li key={d.requestId}>
        <article className="card card--flat records-card" data-request-id={d.requestId} data-status={d.status} aria-labelledby={`wl-${d.requestId}`}>
          <h3 id={`wl-${d.requestId}`}>
            {t(`records.kind.${d.documentKind}`)} · {t(d.urgency === 'emergency' ? 'records.urgency.emergency' : 'records.urgency.planned')}
          </h3>
          <div className="records-patient">
            <PatientBanner requestId={d.requestId} compact />
          </div>
          {svc ? <p>{[svc.provider.serviceName, svc.provider.specialtyName].filter(Boolean).join(' · ')}</p> : null}
          <DeadlineSummary deadline={d} fetchedAt={list?.fetchedAt ?? 0} />
          <p className="records-hint">{t(`records.documentStatus.${d.documentStatus}`)}</p>
          <div className="records-actions">
            <Link className="button" to={`/requests/${d.requestId}/sheet`}>
              {t(d.documentStatus === 'signed' ? 'records.worklist.open' : 'records.worklist.write')}
            </Link>
            {list && mayMarkComplex(d, since, list.value.now) && marking !== d.requestId ? (
              <button type="button" className="records-secondary" onClick={() => setMarking(d.requestId)}>
                {t('records.complex.title')}
              </button>
            ) : null}
          </div>
          {marking === d.requestId ? (
            <MarkComplexForm
              requestId={d.requestId}
              onCancel={() => setMarking(undefined)}
              onDone={(updated) => {
                setMarking(undefined);
                if (worklist.state === 'ready') worklist.set({ value: { ...worklist.value.value, items: worklist.value.value.items.map((x) => (x.requestId === updated.requestId ? updated : x)) }, fetchedAt: Date.now() });
                setAnnouncement(t('records.complex.done'));
              }}
            />
          ) : null}
        </article>
      </li>
    );
  };

  return (
    <div className="page records-worklist">
      <h1>{t('records.worklist.title')}</h1>
      <p className="lead">{t('records.worklist.lead')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {!list && !problem ? <Skeleton lines={4} label={t('records.loading')} /> : null}
      {list ? (
        <>
          <h2>{t('records.worklist.pending')}</h2>
          {pending.length === 0 ? <p>{t('records.worklist.empty')}</p> : <ul className="records-cards">{pending.map(card)}</ul>}
          {recorded.length > 0 ? (
            <>
              <h2>{t('records.worklist.recent')}</h2>
              <ul className="records-cards">{recorded.map(card)}</ul>
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
