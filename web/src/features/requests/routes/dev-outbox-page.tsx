import { useEffect, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import type { DevMessageList } from '../api.js';
import '../requests.css';

/** The development sink: e-mails and SMS the demo would have sent (DEV_MAIL_SINK). */
export function DevOutboxPage() {
  const t = useT();
  useDocumentTitle(t('requests.outbox.title'));
  const api = useApi();
  const fmt = useFormatDateTime();
  const [items, setItems] = useState<DevMessageList['items']>();
  const [problem, setProblem] = useState<Problem>();
  useEffect(() => {
    const load = () =>
      api.requests.devOutbox().then(
        (r) => setItems(r.items),
        (err: unknown) => setProblem(problemFromError(err)),
      );
    void load();
    const timer = window.setInterval(() => void load(), 3000);
    return () => window.clearInterval(timer);
  }, [api]);
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title">{t('requests.outbox.title')}</h1>
      <p>{t('requests.outbox.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      <table className="dev-outbox">
        <thead>
          <tr>
            <th scope="col">{t('requests.outbox.when')}</th>
            <th scope="col">{t('requests.outbox.channel')}</th>
            <th scope="col">{t('requests.outbox.to')}</th>
            <th scope="col">{t('requests.outbox.message')}</th>
          </tr>
        </thead>
        <tbody>
          {items?.map((m) => (
            <tr key={m.id}>
              <td>{fmt(new Date(m.createdAt))}</td>
              <td>{m.channel}</td>
              <td>{m.to}</td>
              <td>
                {m.subject ? <strong>{m.subject}</strong> : null}
                <div>{m.body}</div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
