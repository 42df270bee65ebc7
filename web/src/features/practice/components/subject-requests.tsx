import { useState, type FormEvent } from 'react';
import { HandleSubjectRequestBodySchema } from '../../../../../src/contracts/practice-records.js';
import { useApi } from '../../../api/api-context.js';
import { useResource } from '../../../api/use-resource.js';
import { Field, FormActions, FormProblem, Notice, useFormSubmit } from '../../../components/form.js';
import { Badge, Card, EmptyState, Facts, ResourceView } from '../../../components/ui.js';
import { useLanguage, useT, type MessageKey } from '../../../i18n/index.js';
import { formatDate } from '../../registry-admin/format.js';
import type { SubjectRequest } from '../api.js';

type Action = 'complete' | 'extend' | 'refuse';

/** Data-subject requests (GDPR Art. 12(3), 15-21): each with its deadline; the GP or administrator answers. */
export function SubjectRequests({ facilityId }: { facilityId: string }) {
  const t = useT();
  const { language } = useLanguage();
  const list = useResource(`subject-requests:${facilityId}`, (a) => a.practice.subjectRequests(facilityId));
  return (
    <section aria-labelledby="pdata-requests" className="stack">
      <h2 id="pdata-requests">{t('pdata.requests.title')}</h2>
      <p>{t('pdata.requests.lead')}</p>
      <ResourceView resource={list}>
        {(v) =>
          v.items.length === 0 ? (
            <EmptyState title={t('pdata.requests.empty')} />
          ) : (
            <ul className="pdata-list" aria-label={t('pdata.requests.title')}>
              {v.items.map((r) => (
                <li key={r.id} data-request={r.status}>
                  <Card title={t(`pdata.right.${r.right}` as MessageKey)} headingLevel={3}>
                    <p>
                      <Badge tone={r.overdue ? 'danger' : r.status === 'completed' ? 'ok' : r.status === 'refused' ? 'neutral' : 'warn'}>{r.overdue ? t('pdata.requests.overdue') : t(`pdata.status.${r.status}` as MessageKey)}</Badge>
                    </p>
                    <Facts
                      items={[
                        { label: t('pdata.requests.asked'), value: r.details },
                        { label: t('pdata.requests.received'), value: formatDate(r.receivedOn, language) },
                        { label: t('pdata.requests.due'), value: `${formatDate(r.dueOn, language)}${r.extended ? ` (${t('pdata.requests.extended')})` : ''}` },
                        ...(r.answer ? [{ label: t('pdata.requests.answerGiven'), value: r.answer }] : []),
                      ]}
                    />
                    {r.status === 'received' || r.status === 'extended' ? <Answer facilityId={facilityId} request={r} onDone={() => list.reload()} /> : null}
                  </Card>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
    </section>
  );
}

function Answer({ facilityId, request, onDone }: { facilityId: string; request: SubjectRequest; onDone: () => void }) {
  const t = useT();
  const api = useApi();
  const form = useFormSubmit();
  const [action, setAction] = useState<Action>('complete');
  const [answer, setAnswer] = useState('');
  const [notice, setNotice] = useState<string>();
  // Art. 12(3): the extension is offered once, and only while the first month runs (the server decides).
  const actions: Action[] = request.extended ? ['complete', 'refuse'] : ['complete', 'extend', 'refuse'];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    const body = { action, answer };
    void form.send(HandleSubjectRequestBodySchema, body, async () => {
      await api.practice.handleSubjectRequest(facilityId, request.id, HandleSubjectRequestBodySchema.parse(body));
      setNotice(t('pdata.requests.handled'));
      onDone();
    });
  };
  return (
    <form onSubmit={submit} noValidate className="stack pdata-form">
      <FormProblem problem={form.problem} />
      <Field label={t('pdata.requests.action')} pointer="#/action" problem={form.problem}>
        {(c) => (
          <select {...c} value={action} onChange={(e) => setAction(e.target.value as Action)}>
            {actions.map((a) => (
              <option key={a} value={a}>
                {t(`pdata.requests.${a}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('pdata.requests.answer')} pointer="#/answer" problem={form.problem}>
        {(c) => <textarea {...c} rows={3} value={answer} onChange={(e) => setAnswer(e.target.value)} />}
      </Field>
      <FormActions submit={t('pdata.requests.send')} busy={form.busy} />
      <Notice text={notice} />
    </form>
  );
}
