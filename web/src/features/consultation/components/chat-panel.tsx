import { useState, type FormEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { ConsultationFile, ConsultationMessage, MessageKind } from '../api.js';

/**
 * Messages of a consultation: chat during and outside calls, or the case and the written answer of a
 * store-and-forward consultation. New messages arrive from the parent (live events or polling).
 */
export function ChatPanel(props: {
  consultationId: string;
  messages: ConsultationMessage[];
  files: ConsultationFile[];
  myAccountId: string;
  kind: MessageKind;
  disabled?: boolean;
  title: string;
  onPosted(m: ConsultationMessage): void;
}) {
  const t = useT();
  const api = useApi();
  const formatDateTime = useFormatDateTime();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const [sending, setSending] = useState(false);
  const fileName = (id: string | null) => (id ? (props.files.find((f) => f.id === id)?.name ?? '') : '');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim()) return;
    setSending(true);
    setProblem(undefined);
    try {
      props.onPosted(await api.consultation.postMessage(props.consultationId, { kind: props.kind, text }));
      setText('');
    } catch (err) {
      setProblem(problemFromError(err));
    } finally {
      setSending(false);
    }
  }

  const inputId = `chat-input-${props.kind}`;
  return (
    <section className="consultation-panel chat-panel" aria-labelledby={`${inputId}-title`}>
      <h2 id={`${inputId}-title`}>{props.title}</h2>
      <ol className="chat-panel__list" aria-live="polite" data-testid="chat-messages">
        {props.messages.length === 0 ? <li className="chat-panel__empty">{t('consultation.chat.empty')}</li> : null}
        {props.messages.map((m) => (
          <li key={m.id} className={m.senderAccountId === props.myAccountId ? 'chat-panel__msg chat-panel__msg--mine' : 'chat-panel__msg'}>
            <span className="chat-panel__who">
              {m.senderAccountId === props.myAccountId ? t('consultation.chat.me') : t(`consultation.side.${m.senderSide}`)}
              {m.kind !== 'chat' ? ` · ${t(`consultation.kind.${m.kind}`)}` : ''}
            </span>
            <span className="chat-panel__text">{m.text}</span>
            {m.fileId ? <span className="chat-panel__file">📎 {fileName(m.fileId)}</span> : null}
            <time dateTime={m.createdAt}>{formatDateTime(new Date(m.createdAt))}</time>
          </li>
        ))}
      </ol>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {props.disabled ? null : (
        <form className="chat-panel__form" onSubmit={(e) => void submit(e)}>
          <label htmlFor={inputId}>{t(`consultation.chat.label.${props.kind}`)}</label>
          <textarea id={inputId} value={text} rows={props.kind === 'chat' ? 2 : 5} maxLength={8000} onChange={(e) => setText(e.target.value)} />
          <button type="submit" disabled={sending || !text.trim()}>
            {t('consultation.chat.send')}
          </button>
        </form>
      )}
    </section>
  );
}
