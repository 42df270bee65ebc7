import { useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { Consultation } from '../api.js';
import { useConsultationLists } from '../use-consultation-lists.js';
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
  const [problem, setProblem] = useState<Problem>();
  // New messages, files and the end are pushed on the live channel; polling is only its fallback.
  const lists = useConsultationLists(c.id, {
    listen: !finished,
    pollMs: 10_000,
    onOther: (ev) => {
      if (ev.kind === 'finished') props.onChanged({ ...c, status: 'finished', completedAt: ev.completedAt });
    },
  });
  const { messages, files, addMessage: add } = lists;
  const shownProblem = problem ?? lists.problem;

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
      {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
      <div className="consultation-panels">
        <ChatPanel consultationId={c.id} messages={caseMessages} files={files} myAccountId={c.myAccountId} kind="case" disabled={finished || isProvider} title={t('consultation.case.title')} onPosted={add} />
        <FilePanel consultationId={c.id} files={files} disabled={finished} onUploaded={lists.addFile} />
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
