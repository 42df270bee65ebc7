import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import type { Problem } from '../../../api/problem.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { Skeleton } from '../../../components/ui.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';
import { isMessageKey, useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { RequestDetail, RequestWithAppointment } from '../api.js';
import { RequestCard } from '../components.js';
import { AttachmentPanel } from '../components/attachment-panel.js';
import { CancelForm } from '../components/cancel-form.js';
import { changeRuleText, useInstantPassed } from '../components/change-window.js';
import { requestRef } from '../components/detail-link.js';
import { RescheduleForm } from '../components/reschedule-form.js';
import '../requests.css';

/** Statuses after which nothing more is attached (the server refuses them too). */
const NO_MORE_ATTACHMENTS = new Set(['completed', 'documented', 'cancelled', 'declined', 'noshow']);

const INTAKE_FIELDS = ['anamnesis', 'careSoFar', 'dispensary', 'medicines', 'riskFactors'] as const;

/**
 * One request: summary, appointment, the Art. 18 form, status history, attachments, and the actions the
 * caller may take now (the server's `allowedActions`): cancel with a reason and reschedule to another free
 * time, until the deadline the facility's rules give the caller's side (`changeableUntil`, shown in
 * Europe/Sofia time; once it passes the buttons go and the page says why). Both sides use it: the patient or the representative of a linked patient, and the providing
 * specialist; the server decides who sees it (others get 404) and audits the read.
 */
export function RequestDetailPage() {
  const t = useT();
  const fmt = useFormatDateTime();
  const { requestId = '' } = useParams();
  const resource = useResource<RequestDetail>(`request:${requestId}`, (a) => a.requests.get(requestId));
  const detail = valueOf(resource);
  const [problem, setProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();
  const [open, setOpen] = useState<'cancel' | 'reschedule'>();
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const changeableUntil = detail?.request.changeableUntil ?? null;
  const windowPassed = useInstantPassed(changeableUntil);
  useDocumentTitle(t('requests.detail.title', { ref: requestRef(requestId) }));

  const load = resource.reload;
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  function changed(updated: RequestWithAppointment, message: string) {
    setOpen(undefined);
    setProblem(undefined);
    setNotice(message);
    if (resource.state === 'ready') resource.set({ ...resource.value, request: updated.request, appointment: updated.appointment });
    load();
    return Promise.resolve();
  }

  if (!detail) {
    return (
      <section aria-labelledby="request-detail-title" className="page request-detail">
        <h1 id="request-detail-title">{t('requests.detail.title', { ref: requestRef(requestId) })}</h1>
        {resource.state === 'problem' ? <ProblemAlert problem={resource.problem} /> : <Skeleton lines={5} label={t('requests.detail.loading')} />}
      </section>
    );
  }

  const r = detail.request;
  const appt = detail.appointment;
  const provider = r.viewerSide === 'provider';
  const mayCancel = r.allowedActions.includes('cancel');
  const mayReschedule = r.allowedActions.includes('reschedule') && appt !== null && r.provider.practitionerId !== null && r.provider.serviceId !== null;
  // The facility's change window closed: offer neither (the server would refuse with request.change_window_closed).
  const canCancel = mayCancel && !windowPassed;
  const canReschedule = mayReschedule && !windowPassed;
  const windowClosed = (mayCancel || mayReschedule) && windowPassed;
  const item: RequestWithAppointment = { request: r, appointment: appt };
  const label = (key: string) => (isMessageKey(key) ? t(key) : key);
  const form = detail.form;

  return (
    <section aria-labelledby="request-detail-title" className="page request-detail">
      <p>
        <Link to={provider ? '/worklist' : '/requests'}>{provider ? t('requests.detail.backWorklist') : t('requests.detail.backMine')}</Link>
      </p>
      <h1 id="request-detail-title">{t('requests.detail.title', { ref: requestRef(r.id) })}</h1>
      {provider && r.patientId ? <PatientBanner requestId={r.id} /> : null}
      {notice ? (
        <p ref={noticeRef} tabIndex={-1} role="status" className="request-notice">
          {notice}
        </p>
      ) : null}
      {problem ? <ProblemAlert problem={problem} /> : null}

      <RequestCard item={item}>
        <div className="request-actions">
          {/* Regulatory: Art. 10-11 — the consent is read and signed before the service starts. */}
          {!provider && r.urgency === 'planned' ? <Link to={`/requests/${r.id}/consent`}>{t('requests.link.consent')}</Link> : null}
          {provider && r.urgency === 'planned' ? <Link to={`/requests/${r.id}/review`}>{t('requests.link.review')}</Link> : null}
          {['scheduled', 'in_progress'].includes(r.status) ? <Link to={`/requests/${r.id}/consultation`}>{t('requests.link.consultation')}</Link> : null}
        </div>
      </RequestCard>

      <section className="request-section" aria-labelledby="request-appointment-title">
        <h2 id="request-appointment-title">{t('requests.detail.appointment.title')}</h2>
        {appt ? (
          <>
            <dl className="request-facts" data-testid="appointment">
              <dt>{t('requests.detail.appointment.start')}</dt>
              <dd data-testid="appointment-start" data-start={appt.start}>
                {fmt(new Date(appt.start))}
              </dd>
              <dt>{t('requests.detail.appointment.end')}</dt>
              <dd>{fmt(new Date(appt.end))}</dd>
              <dt>{t('requests.detail.appointment.status')}</dt>
              <dd>{label(`requests.detail.appointment.status.${appt.status}`)}</dd>
            </dl>
            <p className="request-hint">{t('requests.detail.appointment.zone')}</p>
          </>
        ) : (
          <p>{t('requests.detail.appointment.none')}</p>
        )}
      </section>

      <section className="request-section" aria-labelledby="request-actions-title">
        <h2 id="request-actions-title">{t('requests.detail.actions.title')}</h2>
        {changeableUntil && appt && windowClosed ? (
          <div role="note" className="request-change__closed" data-testid="change-deadline" data-state="passed">
            <p>{t('requests.detail.window.passed', { time: fmt(new Date(changeableUntil)) })}</p>
            <p>{changeRuleText(Math.round((Date.parse(appt.start) - Date.parse(changeableUntil)) / 60_000), t)}</p>
          </div>
        ) : null}
        {changeableUntil && (canCancel || canReschedule) ? (
          <p className="request-hint" data-testid="change-deadline" data-state="open" data-until={changeableUntil}>
            {t('requests.detail.window.until', { time: fmt(new Date(changeableUntil)) })}
          </p>
        ) : null}
        {!canCancel && !canReschedule && !windowClosed ? <p>{t('requests.detail.actions.none')}</p> : null}
        <div className="request-actions">
          {canReschedule ? (
            <button type="button" aria-expanded={open === 'reschedule'} onClick={() => setOpen(open === 'reschedule' ? undefined : 'reschedule')}>
              {t('requests.detail.reschedule.open')}
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" aria-expanded={open === 'cancel'} onClick={() => setOpen(open === 'cancel' ? undefined : 'cancel')}>
              {t('requests.detail.cancel.open')}
            </button>
          ) : null}
        </div>
        {open === 'reschedule' && canReschedule ? (
          <RescheduleForm
            item={item}
            onStale={load}
            onClose={() => setOpen(undefined)}
            onDone={(u) => changed(u, t('requests.detail.reschedule.done', { time: u.appointment ? fmt(new Date(u.appointment.start)) : '' }))}
          />
        ) : null}
        {open === 'cancel' && canCancel ? (
          <CancelForm item={item} onStale={load} onClose={() => setOpen(undefined)} onDone={(u) => changed(u, t('requests.detail.cancel.done'))} />
        ) : null}
      </section>

      <section className="request-section" aria-labelledby="request-form-title">
        <h2 id="request-form-title">{t('requests.detail.form.title')}</h2>
        <dl className="request-facts">
          {[
            { key: 'phone', label: t('requests.form.phone'), value: form.phone },
            { key: 'circumstances', label: t('requests.form.circumstances'), value: form.circumstances },
            ...INTAKE_FIELDS.map((k) => ({ key: k, label: t(`requests.form.${k}`), value: form.intake[k] })),
          ].map((f) => (
            <div key={f.key} className="request-facts__row">
              <dt>{f.label}</dt>
              <dd>{f.value ?? t('requests.detail.form.empty')}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="request-section" aria-labelledby="request-history-title">
        <h2 id="request-history-title">{t('requests.detail.history.title')}</h2>
        {detail.events.length === 0 ? <p>{t('requests.detail.history.empty')}</p> : null}
        <ol className="request-history" data-testid="history">
          {detail.events.map((e) => (
            <li key={e.id} data-action={e.action}>
              <time dateTime={e.at}>{fmt(new Date(e.at))}</time> — <strong>{label(`requests.detail.history.action.${e.action}`)}</strong> ({label(`requests.detail.history.side.${e.side}`)})
              {e.fromStatus && e.fromStatus !== e.toStatus ? (
                <span>
                  {' · '}
                  {t('requests.detail.history.change', { from: label(`requests.status.${e.fromStatus}`), to: label(`requests.status.${e.toStatus}`) })}
                </span>
              ) : null}
              {e.reason ? <p className="request-history__reason">{t('requests.detail.history.reason', { reason: e.reason })}</p> : null}
            </li>
          ))}
        </ol>
      </section>

      <AttachmentPanel
        requestId={r.id}
        attachments={detail.attachments}
        canUpload={!NO_MORE_ATTACHMENTS.has(r.status)}
        onUploaded={(meta) => (resource.state === 'ready' ? resource.set({ ...resource.value, attachments: [...resource.value.attachments, meta] }) : undefined)}
      />
    </section>
  );
}
