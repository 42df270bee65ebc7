import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { FormActions, FormProblem, Field, Notice, useFormSubmit } from '../../../components/form.js';
import { isMessageKey, useDocumentTitle, useT, type Translate } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import { IssueSickLeaveBodySchema } from '../../../../../src/contracts/sick-leave.js';
import type { Counters, IssueSickLeaveBody } from '../api.js';

const KINDS = ['illness', 'family_care', 'quarantine', 'exam_consultation', 'accompanying'] as const;

/** What a sick-leave rule means, in the interface language. */
export function slRuleText(t: Translate, rule: string): string {
  const key = `sickLeave.rule.${rule}`;
  return isMessageKey(key) ? t(key) : t('sickLeave.rule.other', { rule });
}

/** The doctor's sick-leave form on an examination: the 14/40 counters before issuing, refusals explained, ЛКК routing. */
export function SickLeaveFormPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.issue.title'));
  const api = useApi();
  const { me } = useAuth();
  const practitionerId = me?.role === 'specialist' ? me.practitionerId : undefined;
  const facilityId = me?.facilityIds[0];
  const [f, setF] = useState({ patientId: '', encounterId: '', requestId: '', kind: 'illness' as (typeof KINDS)[number], startOn: '', endOn: '', code: '', name: '', address: '', jobTitle: '' });
  const [counters, setCounters] = useState<Counters>();
  const [notice, setNotice] = useState<string>();
  const { problem, setProblem, busy, send } = useFormSubmit();
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const body = (): IssueSickLeaveBody => ({
    ...(f.encounterId ? { encounterId: f.encounterId } : {}),
    ...(f.requestId ? { requestId: f.requestId } : {}),
    kind: f.kind,
    capacity: 'gp',
    startOn: f.startOn,
    endOn: f.endOn,
    diagnosis: { code: f.code },
    employers: [{ name: f.name, address: f.address, jobTitle: f.jobTitle }],
  });
  const rule = typeof problem?.meta?.['rule'] === 'string' ? problem.meta['rule'] : undefined;
  const routing = problem?.meta?.['lkkRouting'] as { lkks: { id: string; name: string }[]; source: 'limit_14' | 'limit_40' } | undefined;

  async function check() {
    if (!practitionerId || !f.patientId || !f.startOn || !f.endOn) return;
    setCounters(await api.sickLeave.counters(f.patientId, { practitionerId, kind: f.kind, startOn: f.startOn, endOn: f.endOn }));
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(undefined);
    await send(IssueSickLeaveBodySchema, body(), async () => {
      const r = await api.sickLeave.issue(body());
      setNotice(t('sickLeave.issued', { count: String(r.certificates.length) }));
    });
  }
  async function route(lkkId: string) {
    if (!facilityId || !routing) return;
    try {
      await api.sickLeave.route({ lkkId, facilityId, patientId: f.patientId, source: routing.source, request: { startOn: f.startOn, endOn: f.endOn, kind: f.kind, diagnosisCode: f.code, employers: [{ name: f.name, address: f.address, jobTitle: f.jobTitle }] } });
      setProblem(undefined);
      setNotice(t('sickLeave.routed'));
    } catch {
      setNotice(undefined);
    }
  }
  const c = counters?.counters;
  return (
    <div className="page">
      <h1>{t('sickLeave.issue.title')}</h1>
      <p className="lead">{t('sickLeave.issue.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label={t('sickLeave.field.patientId')}>{(p) => <input {...p} value={f.patientId} onChange={set('patientId')} />}</Field>
        <Field label={t('sickLeave.field.encounterId')} pointer="#/encounterId" problem={problem}>{(p) => <input {...p} value={f.encounterId} onChange={set('encounterId')} />}</Field>
        <Field label={t('sickLeave.field.requestId')} pointer="#/requestId" problem={problem}>{(p) => <input {...p} value={f.requestId} onChange={set('requestId')} />}</Field>
        <Field label={t('sickLeave.field.kind')} pointer="#/kind" problem={problem}>
          {(p) => (
            <select {...p} value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as (typeof KINDS)[number] })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>{t(`sickLeave.kind.${k}`)}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('sickLeave.field.startOn')} pointer="#/startOn" problem={problem}>{(p) => <input {...p} type="date" value={f.startOn} onChange={set('startOn')} />}</Field>
        <Field label={t('sickLeave.field.endOn')} pointer="#/endOn" problem={problem}>{(p) => <input {...p} type="date" value={f.endOn} onChange={set('endOn')} />}</Field>
        <Field label={t('sickLeave.field.diagnosis')} pointer="#/diagnosis" problem={problem}>{(p) => <input {...p} value={f.code} onChange={set('code')} />}</Field>
        <Field label={t('sickLeave.field.employerName')} pointer="#/employers" problem={problem}>{(p) => <input {...p} value={f.name} onChange={set('name')} />}</Field>
        <Field label={t('sickLeave.field.employerAddress')}>{(p) => <input {...p} value={f.address} onChange={set('address')} />}</Field>
        <Field label={t('sickLeave.field.jobTitle')}>{(p) => <input {...p} value={f.jobTitle} onChange={set('jobTitle')} />}</Field>
        <button type="button" className="button button--secondary" onClick={() => void check()}>{t('sickLeave.counters')}</button>
        {c ? (
          <p role="status" data-testid="sl-counters">
            {t('sickLeave.counters.text', { episode: String(c.episodeDaysBefore), year: String(Object.values(c.yearDaysBefore)[0] ?? 0), request: String(c.requestDays), c: String(c.limits.consecutiveDays), y: String(c.limits.yearDays), all: String(c.allIssuersYearDays) })}
            {counters?.rule ? ` ${t('sickLeave.counters.over', { rule: counters.rule })}` : ''}
          </p>
        ) : null}
        <FormProblem problem={problem}>
          {rule ? <p data-rule={rule}><strong>{rule}:</strong> {slRuleText(t, rule)}</p> : null}
          {routing
            ? routing.lkks.map((l) => (
                <button key={l.id} type="button" className="button" onClick={() => void route(l.id)}>
                  {t('sickLeave.refused.route')}: {l.name}
                </button>
              ))
            : null}
        </FormProblem>
        <FormActions submit={t('sickLeave.submit')} busy={busy} />
        <Notice text={notice} />
      </form>
    </div>
  );
}
