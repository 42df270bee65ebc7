import { useEffect, useMemo, useRef, useState } from 'react';
import { problemFromError, type Problem } from '../../api/problem.js';
import { useResource } from '../../api/use-resource.js';
import type { RoomEvent } from '../../../../src/contracts/consultation.js';
import type { ConsultationFile, ConsultationMessage } from './api.js';
import { mergeById, useLiveChat } from './live-chat.js';

type Lists = { messages: ConsultationMessage[]; files: ConsultationFile[] };

export interface ConsultationLists extends Lists {
  /** Why the last load failed (the lists shown are the last ones loaded). */
  problem?: Problem;
  /** Whether the live chat channel is up. */
  live: boolean;
  /** Adds an item this page posted, or one pushed to it. */
  addMessage(m: ConsultationMessage): void;
  addFile(f: ConsultationFile): void;
  /** A pushed event from any channel: messages and files are added here, anything else goes to `onOther`. */
  onEvent(ev: RoomEvent): void;
}

/**
 * The messages and files of a consultation: loaded from the server, kept up to date by the live chat
 * channel while `listen` (reloaded whenever it comes up), polled every `pollMs` while it is down. An
 * item pushed or posted meanwhile is kept (mergeById: nothing is ever deleted), and a failed reload
 * keeps the last lists on screen beside its problem.
 * @param consultationId - the consultation
 * @param opts - whether to listen (false once it ended, or while a call's connection carries the
 *   events), the polling interval, and the handler of the other pushed events (latest one is used)
 * @returns the lists, the last load's problem, whether the channel is up, and how to add to the lists
 */
export function useConsultationLists(consultationId: string, opts: { listen: boolean; pollMs: number; onOther?(ev: RoomEvent): void }): ConsultationLists {
  const lastLoaded = useRef<Lists & { of: string }>(undefined);
  const loaded = useResource<Lists & { problem?: Problem }>(`consultation/${consultationId}/lists`, async (api) => {
    try {
      const [m, f] = await Promise.all([api.consultation.messages(consultationId), api.consultation.files(consultationId)]);
      lastLoaded.current = { of: consultationId, messages: m.items, files: f.items };
      return lastLoaded.current;
    } catch (err) {
      const last = lastLoaded.current;
      if (last?.of !== consultationId) throw err;
      return { messages: last.messages, files: last.files, problem: problemFromError(err) };
    }
  });
  const [added, setAdded] = useState<Lists>({ messages: [], files: [] });
  const value = loaded.state === 'ready' ? loaded.value : undefined;
  const messages = useMemo(() => mergeById(value?.messages ?? [], added.messages), [value, added.messages]);
  const files = useMemo(() => mergeById(value?.files ?? [], added.files), [value, added.files]);

  const addMessage = (m: ConsultationMessage) => setAdded((l) => (l.messages.some((x) => x.id === m.id) ? l : { ...l, messages: [...l.messages, m] }));
  const addFile = (f: ConsultationFile) => setAdded((l) => (l.files.some((x) => x.id === f.id) ? l : { ...l, files: [...l.files, f] }));
  const onOther = useRef(opts.onOther);
  onOther.current = opts.onOther;
  const onEvent = (ev: RoomEvent) => {
    if (ev.kind === 'message') addMessage(ev.message);
    else if (ev.kind === 'file') addFile(ev.file);
    else onOther.current?.(ev);
  };

  const { reload } = loaded;
  const live = useLiveChat(consultationId, opts.listen, onEvent, reload);
  const poll = opts.listen && !live;
  useEffect(() => {
    if (!poll) return;
    const timer = setInterval(reload, opts.pollMs);
    return () => clearInterval(timer);
  }, [poll, reload, opts.pollMs]);

  const problem = loaded.state === 'problem' ? loaded.problem : value?.problem;
  return { messages, files, ...(problem ? { problem } : {}), live, addMessage, addFile, onEvent };
}
