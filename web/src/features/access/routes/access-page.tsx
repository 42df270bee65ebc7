import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert, problemMessage } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { AccessGrant, ActingFor, Patient, SharedPatientList } from '../api.js';
import '../access.css';

/** The facility zone of the platform; dates typed by the patient are Sofia calendar dates (STYLE C11). */
const FACILITY_ZONE = 'Europe/Sofia';

/**
 * The last second of a calendar day in Sofia, as an ISO instant with offset.
 * Time zone: the offset is taken at noon of that day; Sofia's DST switches happen at 03:00-04:00, so the
 * evening has the same offset as noon.
 * @param date - `YYYY-MM-DD`
 * @returns e.g. `2026-12-31T23:59:59+02:00`
 */
export function endOfDayInSofia(date: string): string {
  const noon = new Date(`${date}T12:00:00Z`);
  const part = new Intl.DateTimeFormat('en-GB', { timeZone: FACILITY_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(noon)
    .find((p) => p.type === 'timeZoneName')?.value;
  const offset = part && part !== 'GMT' ? part.replace('GMT', '') : '+00:00';
  return `${date}T23:59:59${offset}`;
}

/** How a grantee is named to the patient: a specialist's public name with the account e-mail. */
const granteeLabel = (g: AccessGrant) => (g.grantee.displayName ? `${g.grantee.displayName} (${g.grantee.email})` : g.grantee.email);

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'problem'; problem: Problem };

/** "Access to my data": grants (Art. 28(4)) for the patient or a representative, and shared records for grantees. */
export function AccessPage() {
  const t = useT();
  useDocumentTitle(t('access.title'));
  const api = useApi();
  const [actingFor, setActingFor] = useState<Load<ActingFor[]>>({ state: 'loading' });
  const [selected, setSelected] = useState<string>();
  const [shared, setShared] = useState<Load<SharedPatientList['items']>>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    api.access.actingFor().then(
      (r) => {
        if (!live) return;
        setActingFor({ state: 'ready', value: r.items });
        setSelected((s) => s ?? r.items[0]?.patientId);
      },
      (e: unknown) => live && setActingFor({ state: 'problem', problem: problemFromError(e) }),
    );
    api.access.sharedWithMe().then(
      (r) => live && setShared({ state: 'ready', value: r.items }),
      (e: unknown) => live && setShared({ state: 'problem', problem: problemFromError(e) }),
    );
    return () => {
      live = false;
    };
  }, [api]);

  if (actingFor.state === 'problem') {
    return (
      <div className="page page--narrow">
        <h1>{t('access.title')}</h1>
        <ProblemAlert problem={actingFor.problem} />
      </div>
    );
  }

  const patients = actingFor.state === 'ready' ? actingFor.value : [];
  const current = patients.find((p) => p.patientId === selected);

  return (
    <div className="page page--narrow access-page">
      <h1>{t('access.title')}</h1>
      <p className="lead">{t('access.intro')}</p>
      {actingFor.state === 'loading' ? <p aria-live="polite">{t('access.loading')}</p> : null}

      {patients.length > 1 ? (
        <div className="field">
          <label htmlFor="access-patient">{t('access.actingFor.label')}</label>
          <select id="access-patient" value={selected ?? ''} onChange={(e) => setSelected(e.target.value)}>
            {patients.map((p) => (
              <option key={p.patientId} value={p.patientId}>
                {`${p.givenName} ${p.familyName}`}
                {p.basis === 'self' ? ` (${t('access.actingFor.self')})` : ''}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {patients.length === 1 && current?.basis === 'representative' ? (
        <p>{t('access.actingFor.one', { name: `${current.givenName} ${current.familyName}` })}</p>
      ) : null}

      {current ? <GrantsSection key={current.patientId} patientId={current.patientId} /> : null}
      {actingFor.state === 'ready' && patients.length === 0 ? <p>{t('access.noPatients')}</p> : null}

      <SharedWithMe shared={shared} />
    </div>
  );
}

function GrantsSection({ patientId }: { patientId: string }) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const [grants, setGrants] = useState<Load<AccessGrant[]>>({ state: 'loading' });
  const [confirming, setConfirming] = useState<string>();
  const [actionProblem, setActionProblem] = useState<Problem>();
  const [notice, setNotice] = useState<string>();

  const reload = useCallback(async () => {
    try {
      setGrants({ state: 'ready', value: (await api.access.listGrants(patientId)).items });
    } catch (e) {
      setGrants({ state: 'problem', problem: problemFromError(e) });
    }
  }, [api, patientId]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function revoke(grant: AccessGrant) {
    setActionProblem(undefined);
    try {
      await api.access.revokeGrant(grant.id);
      setConfirming(undefined);
      setNotice(t('access.revoked', { who: granteeLabel(grant) }));
      await reload();
    } catch (e) {
      setActionProblem(problemFromError(e));
    }
  }

  return (
    <>
      <section aria-labelledby="grants-heading" className="access-section">
        <h2 id="grants-heading">{t('access.grants.title')}</h2>
        {notice ? (
          <p role="status" className="access-notice">
            {notice}
          </p>
        ) : null}
        {actionProblem ? <ProblemAlert problem={actionProblem} /> : null}
        {grants.state === 'problem' ? <ProblemAlert problem={grants.problem} /> : null}
        {grants.state === 'ready' && grants.value.length === 0 ? <p>{t('access.grants.empty')}</p> : null}
        {grants.state === 'ready' && grants.value.length > 0 ? (
          <ul className="grant-list" role="list">
            {grants.value.map((g) => {
              const who = granteeLabel(g);
              return (
                <li key={g.id} className={`grant grant--${g.status}`} aria-label={who}>
                  <p className="grant__who">{who}</p>
                  <p className="grant__purpose">{g.purpose}</p>
                  <p className="grant__meta">
                    {t(`access.status.${g.status}`)}
                    {' · '}
                    {g.validUntil
                      ? t('access.grants.until', { time: formatDateTime(new Date(g.validUntil)) })
                      : t('access.grants.untilRevoked')}
                  </p>
                  {g.status === 'active' && confirming !== g.id ? (
                    <button type="button" className="button button--secondary" onClick={() => setConfirming(g.id)}>
                      {t('access.revoke')}
                    </button>
                  ) : null}
                  {confirming === g.id ? (
                    <div className="grant__confirm" role="group" aria-label={t('access.revoke.confirmLabel')}>
                      <p>{t('access.revoke.confirm', { who })}</p>
                      <button type="button" className="button button--danger" onClick={() => void revoke(g)} autoFocus>
                        {t('access.revoke.yes')}
                      </button>
                      <button type="button" className="button button--secondary" onClick={() => setConfirming(undefined)}>
                        {t('access.revoke.no')}
                      </button>
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        ) : null}
      </section>
      <GrantForm
        patientId={patientId}
        onGranted={async (g) => {
          setNotice(t('access.granted', { who: granteeLabel(g) }));
          await reload();
        }}
      />
    </>
  );
}

function GrantForm({ patientId, onGranted }: { patientId: string; onGranted: (g: AccessGrant) => Promise<void> }) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const [email, setEmail] = useState('');
  const [purpose, setPurpose] = useState('');
  const [until, setUntil] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem>();

  const fieldError = (pointer: string) => problem?.errors?.find((e) => e.pointer === pointer);
  const emailError = fieldError('#/granteeEmail') ? (problem ? problemMessage(problem, t) : undefined) : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      const grant = await api.access.grantAccess(patientId, {
        granteeEmail: email.trim(),
        purpose: purpose.trim(),
        ...(until ? { validUntil: endOfDayInSofia(until) } : {}),
      });
      setEmail('');
      setPurpose('');
      setUntil('');
      await onGranted(grant);
    } catch (e) {
      setProblem(problemFromError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="grant-form-heading" className="access-section">
      <h2 id="grant-form-heading">{t('access.form.title')}</h2>
      <p>{t('access.form.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate={false}>
        <div className="field">
          <label htmlFor={`${ids}-email`}>{t('access.form.email')}</label>
          <input
            id={`${ids}-email`}
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={emailError ? true : undefined}
            aria-describedby={emailError ? `${ids}-email-error` : undefined}
          />
          {emailError ? (
            <p id={`${ids}-email-error`} className="field__error">
              {emailError}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-purpose`}>{t('access.form.purpose')}</label>
          <input id={`${ids}-purpose`} type="text" required maxLength={300} value={purpose} onChange={(e) => setPurpose(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-until`}>{t('access.form.until')}</label>
          <input id={`${ids}-until`} type="date" value={until} onChange={(e) => setUntil(e.target.value)} aria-describedby={`${ids}-until-hint`} />
          <p id={`${ids}-until-hint`} className="field__hint">
            {t('access.form.untilHint')}
          </p>
        </div>
        {problem && !emailError ? <ProblemAlert problem={problem} /> : null}
        <button type="submit" className="button" aria-disabled={busy}>
          {t('access.form.submit')}
        </button>
      </form>
    </section>
  );
}

function SharedWithMe({ shared }: { shared: Load<SharedPatientList['items']> }) {
  const t = useT();
  const api = useApi();
  const [open, setOpen] = useState<Record<string, Load<Patient>>>({});
  if (shared.state !== 'ready' || shared.value.length === 0) return null;

  async function show(patientId: string) {
    setOpen((o) => ({ ...o, [patientId]: { state: 'loading' } }));
    try {
      const p = await api.access.getPatient(patientId);
      setOpen((o) => ({ ...o, [patientId]: { state: 'ready', value: p } }));
    } catch (e) {
      setOpen((o) => ({ ...o, [patientId]: { state: 'problem', problem: problemFromError(e) } }));
    }
  }

  return (
    <section aria-labelledby="shared-heading" className="access-section">
      <h2 id="shared-heading">{t('access.shared.title')}</h2>
      <ul className="grant-list" role="list">
        {shared.value.map((s) => {
          const state = open[s.patientId];
          return (
            <li key={s.grantId} className="grant">
              <p className="grant__purpose">{s.purpose}</p>
              <button type="button" className="button button--secondary" onClick={() => void show(s.patientId)}>
                {t('access.shared.show')}
              </button>
              {state?.state === 'problem' ? <ProblemAlert problem={state.problem} /> : null}
              {state?.state === 'ready' ? (
                <dl className="patient-card" aria-label={t('access.shared.record')}>
                  <dt>{t('access.patient.name')}</dt>
                  <dd>{[state.value.givenName, state.value.middleName, state.value.familyName].filter(Boolean).join(' ')}</dd>
                  <dt>{t('access.patient.birthDate')}</dt>
                  <dd>{state.value.birthDate}</dd>
                  <dt>{t('access.patient.identifier')}</dt>
                  <dd>{state.value.identifier}</dd>
                </dl>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
