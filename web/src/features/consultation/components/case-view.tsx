import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { RoomEvent } from '../../../../../src/contracts/consultation.js';
import type { Consultation, ConsultationFile, ConsultationMessage } from '../api.js';
import { mergeById, useLiveChat } from '../live-chat.js';
import { ChatPanel } from './chat-panel.js';
import { FilePanel } from './file-panel.js';

/**
 * A store-and-forward case (Art. 14(6)): the recipient submits a description with documents and
 * images, the specialist views them in the browser (DICOM downloads) and answers in writing, then
 * completes the service.
 */
export function CaseView(props: { consultation: Consultation; onChanged(c: Consultation): void }) {
  const t = useT();
  const api = useApi();
  const c = props.consultation;
  const isProvider = c.mySide === 'provider';
  const finished = c.status === 'finished';
  const [messages, setMessages] = useState<ConsultationMessage[]>([]);
  const [files, setFiles] = useState<ConsultationFile[]>([]);
  const [problem, setProblem] = useState<Problem>();

  const load = useCallback(async () => {
    try {
      const [m, f] = await Promise.all([api.consultation.messages(c.id), api.consultation.files(c.id)]);
      setMessages((held) => mergeById(m.items, held));
      setFiles((held) => mergeById(f.items, held));
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }, [api, c.id]);

  useEffect(() => {
    void load();
  }, [load]);

  const add = (m: ConsultationMessage) => setMessages((l) => (l.some((x) => x.id === m.id) ? l : [...l, m]));
  // New messages, files and the end are pushed on the live channel; polling is only its fallback.
  const onEvent = (ev: RoomEvent) => {
    if (ev.kind === 'message') add(ev.message);
    else if (ev.kind === 'file') setFiles((l) => (l.some((x) => x.id === ev.file.id) ? l : [...l, ev.file]));
    else if (ev.kind === 'finished') props.onChanged({ ...c, status: 'finished', completedAt: ev.completedAt });
  };
  const live = useLiveChat(c.id, !finished, onEvent, () => void load());
  useEffect(() => {
    if (finished || live) return;
    const timer = setInterval(() => void load(), 10_000);
    return () => clearInterval(timer);
  }, [load, finished, live]);

  async function complete() {
    try {
      const done = await api.consultation.complete(c.id);
      props.onChanged({ ...c, status: done.status, completedAt: done.completedAt });
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  const caseMessages = messages.filter((m) => m.kind === 'case');
  const answers = messages.filter((m) => m.kind === 'answer');
  const chat = messages.filter((m) => m.kind === 'chat');
  return (
    <div className="case">
      {problem ? <ProblemAlert problem={problem} /> : null}
      <div className="consultation-panels">
        <ChatPanel consultationId={c.id} messages={caseMessages} files={files} myAccountId={c.myAccountId} kind="case" disabled={finished || isProvider} title={t('consultation.case.title')} onPosted={add} />
        <FilePanel consultationId={c.id} files={files} disabled={finished} onUploaded={(f) => setFiles((l) => (l.some((x) => x.id === f.id) ? l : [...l, f]))} />
        <ChatPanel consultationId={c.id} messages={answers} files={files} myAccountId={c.myAccountId} kind="answer" disabled={finished || !isProvider} title={t('consultation.answer.title')} onPosted={add} />
        <ChatPanel consultationId={c.id} messages={chat} files={files} myAccountId={c.myAccountId} kind="chat" disabled={finished} title={t('consultation.chat.title')} onPosted={add} />
      </div>
      {isProvider && !finished ? (
        <button type="button" className="button" onClick={() => void complete()}>
          {t('consultation.complete')}
        </button>
      ) : null}
    </div>
  );
}
