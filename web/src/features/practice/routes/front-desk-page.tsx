import { DocumentRequestsDesk } from '../components/document-requests-desk.js';
import { useState, type FormEvent } from 'react';
import { z } from 'zod';
import { CreatePhoneConsultationBodySchema, CreateQueueEntryBodySchema } from '../../../../../src/contracts/practice.js';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { useAction } from '../../../components/use-action.js';
import { useDocumentTitle, useT, type MessageKey } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';
import type { QueueEntry } from '../api.js';

const PRIORITIES: QueueEntry['priority'][] = ['other', 'urgent', 'pregnant', 'infant', 'emergency'];

/** The practice's front desk (W17, W19): today's visits with their fees and payments, the queue, the phone register. */
export function FrontDeskPage() {
  const t = useT();
  useDocumentTitle(t('practice.desk.title'));
  const { me } = useAuth();
  const facilityId = me?.facilityIds[0] ?? null;
  return (
    <div className="page">
      <h1>{t('practice.desk.title')}</h1>
      {facilityId ? (
        <>
          <Visits facilityId={facilityId} />
          <Queue facilityId={facilityId} />
          <PhoneRegister facilityId={facilityId} />
          <DocumentRequestsDesk facilityId={facilityId} />
        </>
      ) : (
        <p>{t('practice.noPractice')}</p>
      )}
    </div>
  );
}

function Visits({ facilityId }: { facilityId: string }) {
  const t = useT();
  const api = useApi();
  const visits = useResource(`visits:${facilityId}`, (a) => a.practice.visits(facilityId));
  const action = useAction();
  const v = valueOf(visits);
  return (
    <section aria-labelledby="desk-visits">
      <h2 id="desk-visits">{t('practice.desk.visits')}</h2>
      {visits.state === 'loading' ? <p aria-live="polite">{t('practice.loading')}</p> : null}
      {visits.state === 'problem' ? <ProblemAlert problem={visits.problem} /> : null}
      <FormProblem problem={action.problem} />
      <Notice text={action.notice} />
      {v && v.items.length === 0 ? <p>{t('practice.desk.noVisits')}</p> : null}
      {v && v.items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('practice.desk.patientId')}</th>
              <th scope="col">{t('practice.desk.fee')}</th>
              <th scope="col">{t('practice.desk.paid')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {v.items.map((visit) => (
              <tr key={visit.encounterId} data-encounter={visit.encounterId}>
                <td>{visit.patientId.slice(0, 8)}</td>
                <td>{`${t(`practice.basis.${visit.fee.basis}` as MessageKey)}${visit.fee.due ? ` ${visit.fee.due.amount} ${visit.fee.due.currency}` : ''}`}</td>
                <td>{visit.paidEur}</td>
                <td>
                  {(() => {
                    const due = visit.fee.due;
                    if (!due || due.amount === '0.00' || visit.paidEur !== '0.00') return null;
                    return (
                    <button
                      type="button"
                      className="button"
                      onClick={() =>
                        void action
                          .run(async () => {
                            const paid = await api.practice.pay(visit.encounterId, { purpose: visit.fee.basis === 'price_list' ? 'price_list' : 'user_fee', amount: due.amount, method: 'cash' });
                            return t('practice.desk.paidNotice', { number: paid.receiptNumber });
                          })
                          .then((ok) => ok && visits.reload())
                      }
                    >
                      {t('practice.desk.payCash')}
                    </button>
                    );
                  })()}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function Queue({ facilityId }: { facilityId: string }) {
  const t = useT();
  const api = useApi();
  const queue = useResource(`queue:${facilityId}`, (a) => a.practice.queue(facilityId));
  const [patientId, setPatientId] = useState('');
  const [priority, setPriority] = useState<QueueEntry['priority']>('other');
  const form = useFormSubmit();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body = { patientId: patientId.trim(), priority };
    void form.send(CreateQueueEntryBodySchema, body, async () => {
      await api.practice.joinQueue(facilityId, body);
      setPatientId('');
      queue.reload();
    });
  };
  const q = valueOf(queue);
  return (
    <section aria-labelledby="desk-queue">
      <h2 id="desk-queue">{t('practice.desk.queue')}</h2>
      {q && q.items.length === 0 ? <p>{t('practice.desk.queueEmpty')}</p> : null}
      {q && q.items.length > 0 ? (
        <ol>
          {q.items.map((e) => (
            <li key={e.id} data-priority={e.priority}>
              {`${e.patientId.slice(0, 8)} · ${t(`practice.priority.${e.priority}` as MessageKey)} · ${t('practice.desk.dueBy', { time: new Date(e.dueBy).toLocaleString() })}`}
              {e.overdue ? <strong>{` ${t('practice.desk.overdue')}`}</strong> : null}
            </li>
          ))}
        </ol>
      ) : null}
      <form onSubmit={onSubmit} noValidate>
        <FormProblem problem={form.problem} />
        <Field label={t('practice.desk.patientId')} pointer="#/patientId" problem={form.problem}>
          {(c) => <input {...c} value={patientId} onChange={(e) => setPatientId(e.target.value)} />}
        </Field>
        <Field label={t('practice.desk.priority')} pointer="#/priority" problem={form.problem}>
          {(c) => (
            <select {...c} value={priority} onChange={(e) => setPriority(e.target.value as QueueEntry['priority'])}>
              {PRIORITIES.map((p) => (
                <option key={p} value={p}>
                  {t(`practice.priority.${p}` as MessageKey)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormActions submit={t('practice.desk.addToQueue')} busy={form.busy} />
      </form>
    </section>
  );
}

const AdminCallSchema = CreatePhoneConsultationBodySchema.extend({ kind: z.literal('administrative') });

function PhoneRegister({ facilityId }: { facilityId: string }) {
  const t = useT();
  const api = useApi();
  const calls = useResource(`phone:${facilityId}`, (a) => a.practice.phoneRegister(facilityId));
  const [topic, setTopic] = useState('');
  const form = useFormSubmit();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const body = { kind: 'administrative' as const, caller: 'other' as const, outcome: 'information' as const, topic: topic.trim() };
    void form.send(AdminCallSchema, body, async () => {
      await api.practice.registerCall(facilityId, body);
      setTopic('');
      calls.reload();
    });
  };
  const c = valueOf(calls);
  return (
    <section aria-labelledby="desk-phone">
      <h2 id="desk-phone">{t('practice.desk.phone')}</h2>
      {c && c.items.length === 0 ? <p>{t('practice.desk.phoneEmpty')}</p> : null}
      {c && c.items.length > 0 ? (
        <ul>
          {c.items.map((call) => (
            <li key={call.id}>{`${new Date(call.calledAt).toLocaleTimeString()} · ${call.kind} · ${call.topic} · ${call.outcome}`}</li>
          ))}
        </ul>
      ) : null}
      <form onSubmit={onSubmit} noValidate>
        <FormProblem problem={form.problem} />
        <Field label={t('practice.desk.topic')} pointer="#/topic" problem={form.problem}>
          {(ctl) => <input {...ctl} value={topic} onChange={(e) => setTopic(e.target.value)} />}
        </Field>
        <FormActions submit={t('practice.desk.registerCall')} busy={form.busy} />
      </form>
    </section>
  );
}
