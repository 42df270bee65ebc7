import { useEffect } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemOf, useResource, valueOf } from '../../../api/use-resource.js';
import { useDocumentTitle, useFormatDateTime, useT } from '../../../i18n/index.js';
import '../requests.css';

/** The development sink: e-mails and SMS the demo would have sent (DEV_MAIL_SINK). */
export function DevOutboxPage() {
  const t = useT();
  useDocumentTitle(t('requests.outbox.title'));
  const fmt = useFormatDateTime();
  const outbox = useResource('dev/outbox', (a) => a.requests.devOutbox());
  const items = valueOf(outbox)?.items;
  const problem = problemOf(outbox);
  // The sink fills as the demo sends: read it again every few seconds.
  const { reload } = outbox;
  useEffect(() => {
    const timer = window.setInterval(reload, 3000);
    return () => window.clearInterval(timer);
  }, [reload]);
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
