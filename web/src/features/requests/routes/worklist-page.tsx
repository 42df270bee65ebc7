import { Link } from 'react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useLanguage, useT, type MessageKey } from '../../../i18n/index.js';
import { locales } from '../../../i18n/catalogue.js';
import { Badge, EmptyState, PageHeader, Skeleton, type Tone } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import type { RequestWithAppointment } from '../api.js';
import { RequestCard } from '../components.js';
import { RequestDetailLink } from '../components/detail-link.js';
import { WeekCalendar, type CalendarEntry } from '../../../components/week-calendar.js';
import { ART7_CHECKLIST_ALL_MET } from '../../../../../src/contracts/common.js';
import '../requests.css';

/** A short alert tone for a new emergency (Web Audio; no file to load). */
function beep(): void {
  try {
    const Ctx = window.AudioContext as typeof AudioContext | undefined;
    if (!Ctx) return;
    const ctx = new Ctx();
    const osc = ctx.createOscillator();
    osc.frequency.value = 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.4);
  } catch {
    // Sound is a help, not a requirement: the colour and the list order still show the emergency.
  }
}

const STATUS_TONE: Record<string, Tone> = { requested: 'warn', accepted: 'info', scheduled: 'info', in_progress: 'ok', completed: 'ok', documented: 'ok', declined: 'neutral', cancelled: 'neutral', noshow: 'neutral' };

/**
 * The specialist's day: emergencies on top (colour, sound), then a week calendar of appointments, and the
 * worklist as a table — time, patient and reason, service, state and the consent, identity and decision
 * gates at a glance.
 */
export function WorklistPage() {
  const t = useT();
  useDocumentTitle(t('requests.worklist.title'));
  const api = useApi();
  const list = useResource('worklist', (a) => a.requests.worklist());
  const [problem, setProblem] = useState<Problem>();
  const seen = useRef(new Set<string>());
  const { reload } = list;
  useEffect(() => {
    const timer = window.setInterval(reload, 5000);
    return () => window.clearInterval(timer);
  }, [reload]);
  const value = valueOf(list);
  useEffect(() => {
    if (!value) return;
    if (value.emergencies.some((e) => !seen.current.has(e.request.id))) beep();
    for (const e of value.emergencies) seen.current.add(e.request.id);
  }, [value]);

  async function act(item: RequestWithAppointment, action: 'accept' | 'decline' | 'start' | 'complete' | 'cancel') {
    setProblem(undefined);
    let reason: string | undefined;
    if (action === 'decline' || action === 'cancel') {
      reason = window.prompt(t('requests.cancel.reason')) ?? undefined;
      if (!reason) return;
    }
    try {
      await api.requests.transition(item.request.id, {
        action,
        version: item.request.version,
        ...(reason ? { reason } : {}),
        ...(action === 'accept' ? { checklist: ART7_CHECKLIST_ALL_MET } : action === 'decline' ? { checklist: { ...ART7_CHECKLIST_ALL_MET, noDirectContactNeeded: false } } : {}),
      });
      reload();
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  // Regulatory: Art. 7, 9 — a planned request is decided on the review page, with the identity check and
  // the Art. 7 checklist answered one by one; only an emergency is acknowledged here at once.
  const actions = (i: RequestWithAppointment) => (
    <div className="request-actions">
      <RequestDetailLink requestId={i.request.id} />
      {i.request.urgency === 'planned' && i.request.viewerSide === 'provider' ? <Link to={`/requests/${i.request.id}/review`}>{t('requests.link.review')}</Link> : null}
      {['scheduled', 'in_progress'].includes(i.request.status) ? <Link to={`/requests/${i.request.id}/consultation`}>{t('requests.link.consultation')}</Link> : null}
      {['in_progress', 'completed'].includes(i.request.status) && i.request.viewerSide === 'provider' ? <Link to={`/requests/${i.request.id}/sheet`}>{t('records.link.sheet')}</Link> : null}
      {(['accept', 'decline', 'cancel'] as const)
        .filter((a) => i.request.allowedActions.includes(a) && (i.request.urgency === 'emergency' || a === 'cancel'))
        .map((a) => (
          <button key={a} type="button" className={a === 'accept' ? 'button button--small' : 'button button--secondary button--small'} onClick={() => void act(i, a)}>
            {t(`requests.action.${a}`)}
          </button>
        ))}
    </div>
  );

  const planned = useMemo(() => [...(value?.planned ?? [])].sort((a, b) => startOf(a).localeCompare(startOf(b))), [value]);
  const entries: CalendarEntry[] = planned
    .filter((i) => i.appointment && !['cancelled', 'declined', 'noshow'].includes(i.request.status))
    .map((i) => ({ id: i.request.id, start: i.appointment?.start ?? '', end: i.appointment?.end ?? '', title: i.request.provider.serviceName ?? i.request.provider.specialtyName, href: `/requests/${i.request.id}`, patient: i.request.patientId ? <PatientBanner requestId={i.request.id} compact /> : null }));

  return (
    <div className="page worklist-page">
      <PageHeader title={<span id="worklist-title">{t('requests.worklist.title')}</span>} lead={t('worklist.lead')} />
      {problem ? <ProblemAlert problem={problem} /> : null}
      {list.state === 'problem' ? <ProblemAlert problem={list.problem} /> : null}
      {list.state === 'loading' ? <Skeleton lines={5} /> : null}
      {value ? (
        <>
          <section aria-labelledby="worklist-emergencies" className="worklist-section">
            <h2 id="worklist-emergencies">{t('requests.worklist.emergencies')}</h2>
            {value.emergencies.length === 0 ? <p className="request-hint">{t('requests.worklist.noEmergencies')}</p> : null}
            <ul className="request-list" aria-live="assertive">
              {value.emergencies.map((i) => (
                <li key={i.request.id}>
                  <RequestCard item={i}>{actions(i)}</RequestCard>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="worklist-calendar" className="worklist-section">
            <h2 id="worklist-calendar">{t('requests.worklist.calendar')}</h2>
            <WeekCalendar entries={entries} />
          </section>
          <section aria-labelledby="worklist-planned" className="worklist-section">
            <h2 id="worklist-planned">{t('requests.worklist.planned')}</h2>
            {planned.length === 0 ? (
              <EmptyState title={t('worklist.empty.title')}>{t('worklist.empty.body')}</EmptyState>
            ) : (
              <WorklistTable items={planned} actions={actions} />
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}

const startOf = (i: RequestWithAppointment) => i.appointment?.start ?? i.request.createdAt;

function WorklistTable({ items, actions }: { items: RequestWithAppointment[]; actions: (i: RequestWithAppointment) => React.ReactNode }) {
  const t = useT();
  const { language } = useLanguage();
  const time = useMemo(() => new Intl.DateTimeFormat(locales[language], { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Sofia' }), [language]);
  return (
    <div className="ui-table-wrap" role="region" aria-label={t('requests.worklist.planned')} tabIndex={0}>
      <table className="ui-table ui-table--stack worklist-table">
        <thead>
          <tr>
            <th scope="col">{t('worklist.col.time')}</th>
            <th scope="col">{t('worklist.col.patient')}</th>
            <th scope="col">{t('worklist.col.service')}</th>
            <th scope="col">{t('worklist.col.state')}</th>
            <th scope="col">{t('worklist.col.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.request.id} data-request-id={i.request.id} data-status={i.request.status}>
              <td data-label={t('worklist.col.time')}>
                {i.appointment ? <time dateTime={i.appointment.start}>{time.format(new Date(i.appointment.start))}</time> : t(`requests.mode.${i.request.mode}` as MessageKey)}
              </td>
              <td data-label={t('worklist.col.patient')}>{i.request.patientId ? <PatientBanner requestId={i.request.id} compact /> : (i.request.requester.practitionerName ?? '—')}</td>
              <td data-label={t('worklist.col.service')}>{i.request.provider.serviceName ?? i.request.provider.specialtyName}</td>
              <td data-label={t('worklist.col.state')}>
                <div className="worklist-state">
                  <Badge tone={STATUS_TONE[i.request.status] ?? 'neutral'}>{t(`requests.status.${i.request.status}` as MessageKey)}</Badge>
                  {i.request.viewerSide === 'provider' ? <GateBadges requestId={i.request.id} version={i.request.version} /> : null}
                </div>
              </td>
              <td data-label={t('worklist.col.actions')}>{actions(i)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Consent, identity and decision at a glance: each a word with a tick or a dash, never colour alone. */
function GateBadges({ requestId, version }: { requestId: string; version: number }) {
  const t = useT();
  const gates = useResource(`gates:${requestId}:${version}`, (api) => api.consent.gates(requestId));
  if (gates.state !== 'ready') return null;
  const g = gates.value;
  const consentOk = !g.consentRequired || g.treatmentConsent?.status === 'active';
  return (
    <>
      <Badge tone={consentOk ? 'ok' : 'warn'}>{consentOk ? `✓ ${t('worklist.gate.consent')}` : `– ${t('worklist.gate.consentMissing')}`}</Badge>
      <Badge tone={g.identity ? 'ok' : 'warn'}>{g.identity ? `✓ ${t('worklist.gate.identity')}` : `– ${t('worklist.gate.identityMissing')}`}</Badge>
      <Badge tone={g.decision ? (g.decision.outcome === 'accept' ? 'ok' : 'danger') : 'warn'}>
        {g.decision ? (g.decision.outcome === 'accept' ? `✓ ${t('worklist.gate.accepted')}` : `✗ ${t('worklist.gate.declined')}`) : `– ${t('worklist.gate.undecided')}`}
      </Badge>
    </>
  );
}
