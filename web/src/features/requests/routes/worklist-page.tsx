import { Link } from 'react-router';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { RequestWithAppointment, Worklist } from '../api.js';
import { RequestCard } from '../components.js';
import { RequestDetailLink } from '../components/detail-link.js';
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

/** The specialist's worklist: emergencies on top (colour, sound), planned requests by time, and a calendar. */
export function WorklistPage() {
  const t = useT();
  useDocumentTitle(t('requests.worklist.title'));
  const api = useApi();
  const fmt = useFormatDateTime();
  const [list, setList] = useState<Worklist>();
  const [problem, setProblem] = useState<Problem>();
  const seen = useRef(new Set<string>());

  const load = useCallback(async () => {
    try {
      const w = await api.requests.worklist();
      if (w.emergencies.some((e) => !seen.current.has(e.request.id))) beep();
      for (const e of w.emergencies) seen.current.add(e.request.id);
      setList(w);
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }, [api]);
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), 5000);
    return () => window.clearInterval(timer);
  }, [load]);

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
      await load();
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  // Regulatory: Art. 7, 9 — a planned request is decided on the review page, with the identity check and
  // the Art. 7 checklist answered one by one; only an emergency is acknowledged here at once.
  const actions = (i: RequestWithAppointment) => (
    <div className="request-actions">
      <RequestDetailLink requestId={i.request.id} />
      {i.request.urgency === 'planned' ? <Link to={`/requests/${i.request.id}/review`}>{t('requests.link.review')}</Link> : null}
      {['scheduled', 'in_progress'].includes(i.request.status) ? <Link to={`/requests/${i.request.id}/consultation`}>{t('requests.link.consultation')}</Link> : null}
      {['in_progress', 'completed'].includes(i.request.status) && i.request.viewerSide === 'provider' ? <Link to={`/requests/${i.request.id}/sheet`}>{t('records.link.sheet')}</Link> : null}
      {(['accept', 'decline', 'cancel'] as const)
        .filter((a) => i.request.allowedActions.includes(a) && (i.request.urgency === 'emergency' || a === 'cancel'))
        .map((a) => (
          <button key={a} type="button" onClick={() => void act(i, a)}>
            {t(`requests.action.${a}`)}
          </button>
        ))}
    </div>
  );

  const calendar = (list?.planned ?? []).filter((i) => i.appointment && i.request.status === 'scheduled');
  return (
    <section aria-labelledby="worklist-title">
      <h1 id="worklist-title">{t('requests.worklist.title')}</h1>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <h2>{t('requests.worklist.emergencies')}</h2>
      {list?.emergencies.length === 0 ? <p>{t('requests.worklist.noEmergencies')}</p> : null}
      <ul className="request-list" aria-live="assertive">
        {list?.emergencies.map((i) => (
          <li key={i.request.id}>
            <RequestCard item={i}>{actions(i)}</RequestCard>
          </li>
        ))}
      </ul>
      <h2>{t('requests.worklist.planned')}</h2>
      {list?.planned.length === 0 ? <p>{t('requests.mine.none')}</p> : null}
      <ul className="request-list">
        {list?.planned.map((i) => (
          <li key={i.request.id}>
            <RequestCard item={i}>{actions(i)}</RequestCard>
          </li>
        ))}
      </ul>
      <h2>{t('requests.worklist.calendar')}</h2>
      <ol>
        {calendar.map((i) => (
          <li key={i.request.id}>
            {i.appointment ? fmt(new Date(i.appointment.start)) : ''} — {i.request.provider.serviceName}
          </li>
        ))}
      </ol>
    </section>
  );
}
