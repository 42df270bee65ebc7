import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useResource, valueOf } from '../../../api/use-resource.js';
import { useT } from '../../../i18n/index.js';
import { DocumentStatus } from './document-status.js';

/** The practice's open document requests by deadline; the GP or administrator issues or refuses each (E34, R-PC-19). */
export function DocumentRequestsDesk({ facilityId }: { facilityId: string }) {
  const t = useT();
  const api = useApi();
  const list = useResource(`document-requests:${facilityId}`, (a) => a.practice.documentRequests(facilityId));
  const [why, setWhy] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem>();
  const complete = async (id: string, outcome: 'issued' | 'refused') => {
    setProblem(undefined);
    try {
      const note = why[id]?.trim();
      await api.practice.completeDocumentRequest(facilityId, id, { outcome, ...(note ? { note } : {}) });
      list.reload();
    } catch (e) {
      setProblem(problemFromError(e));
    }
  };
  const items = valueOf(list)?.items ?? [];
  return (
    <section aria-labelledby="desk-documents">
      <h2 id="desk-documents">{t('practice.docs.desk')}</h2>
      {list.state === 'problem' ? <ProblemAlert problem={list.problem} /> : null}
      {problem ? <ProblemAlert problem={problem} /> : null}
      {list.state === 'ready' && items.length === 0 ? <p>{t('practice.docs.deskEmpty')}</p> : null}
      <ul>
        {items.map((r) => (
          <li key={r.id} className="card">
            <p>
              <strong>{r.what}</strong> · {t(`practice.docs.cat.${r.category}`)} · <DocumentStatus request={r} />
            </p>
            <label htmlFor={`doc-why-${r.id}`}>{t('practice.docs.note')}</label>
            <input id={`doc-why-${r.id}`} value={why[r.id] ?? ''} onChange={(e) => setWhy((w) => ({ ...w, [r.id]: e.target.value }))} />
            <button type="button" className="button" onClick={() => void complete(r.id, 'issued')}>
              {t('practice.docs.issue')}
            </button>{' '}
            <button type="button" className="button button--secondary" onClick={() => void complete(r.id, 'refused')}>
              {t('practice.docs.refuse')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
