import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useResource } from '../../../api/use-resource.js';
import { FormProblem, Notice } from '../../../components/form.js';
import { useAction } from '../../../components/use-action.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { LkkCase } from '../api.js';

/** The ЛКК's queue and session screen: open today's session, decide each case, sign the protocol. */
export function LkkPage() {
  const t = useT();
  useDocumentTitle(t('sickLeave.lkk.title'));
  const api = useApi();
  const lkks = useResource('lkks', (a) => a.sickLeave.lkks());
  const [lkkId, setLkkId] = useState<string>();
  const chosen = lkkId ?? (lkks.state === 'ready' ? lkks.value.items[0]?.id : undefined);
  const queue = useResource(chosen ? `lkk-queue:${chosen}` : null, (a) => a.sickLeave.queue(chosen as string));
  const [sessionId, setSessionId] = useState<string>();
  const [text, setText] = useState('');
  const { problem, notice, run } = useAction();
  const today = new Date().toISOString().slice(0, 10);

  const decide = (c: LkkCase, decision: 'extend' | 'refuse' | 'send_to_telk') =>
    void run(async () => {
      await api.sickLeave.decide(c.id, { sessionId: sessionId as string, decision, text: text || decision, ...(decision === 'extend' ? { startOn: c.request.startOn, endOn: c.request.endOn } : {}) });
      queue.reload();
      return t('sickLeave.lkk.protocolText');
    });
  return (
    <div className="page">
      <h1>{t('sickLeave.lkk.title')}</h1>
      {lkks.state === 'problem' ? <ProblemAlert problem={lkks.problem} /> : null}
      {lkks.state === 'ready' && lkks.value.items.length > 1 ? (
        <label>
          {t('sickLeave.lkk.choose')}{' '}
          <select value={chosen} onChange={(e) => setLkkId(e.target.value)}>
            {lkks.value.items.map((l) => (
              <option key={l.id} value={l.id}>{l.name}</option>
            ))}
          </select>
        </label>
      ) : null}
      {chosen ? (
        <button type="button" className="button" onClick={() => void run(async () => {
          const s = await api.sickLeave.openSession(chosen, today);
          setSessionId(s.id);
          return t('sickLeave.lkk.sessionOpen');
        })}>
          {t('sickLeave.lkk.session')}
        </button>
      ) : null}
      <FormProblem problem={problem} />
      <Notice text={notice} />
      <h2>{t('sickLeave.lkk.queue')}</h2>
      {queue.state === 'loading' ? <p>{t('sickLeave.loading')}</p> : null}
      {queue.state === 'problem' ? <ProblemAlert problem={queue.problem} /> : null}
      {queue.state === 'ready' && queue.value.items.length === 0 ? <p>{t('sickLeave.lkk.empty')}</p> : null}
      {queue.state === 'ready' ? (
        <ul className="lkk-queue">
          {queue.value.items.map((c) => (
            <li key={c.id} data-testid="lkk-case">
              <p>{t('sickLeave.lkk.case', { name: c.patientName, from: c.request.startOn, to: c.request.endOn, code: c.request.diagnosisCode, rule: c.ruleId, status: c.status })}</p>
              {c.status === 'queued' && sessionId ? (
                <>
                  <label>
                    {t('sickLeave.lkk.protocolText')} <textarea value={text} onChange={(e) => setText(e.target.value)} />
                  </label>
                  <button type="button" className="button" onClick={() => decide(c, 'extend')}>{t('sickLeave.lkk.extend')}</button>
                  <button type="button" className="button button--secondary" onClick={() => decide(c, 'refuse')}>{t('sickLeave.lkk.refuse')}</button>
                  <button type="button" className="button button--secondary" onClick={() => decide(c, 'send_to_telk')}>{t('sickLeave.lkk.telk')}</button>
                </>
              ) : null}
              {c.status === 'awaiting_signatures' ? (
                <button type="button" className="button" onClick={() => void run(async () => {
                  await api.sickLeave.sign(c.id);
                  queue.reload();
                  return t('sickLeave.lkk.sign');
                })}>
                  {t('sickLeave.lkk.sign')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
