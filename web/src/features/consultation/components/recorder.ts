import { useCallback, useMemo, useRef, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import type { CallEngine } from '../call-engine.js';

/**
 * Records the call in the browser (MediaRecorder: the other side's video with both voices mixed) and
 * uploads it in chunks, which the server encrypts. Regulatory: the server starts a recording only
 * under a valid recording consent (Art. 19), and a withdrawal stops it here at once: the recorder is
 * stopped and the chunk in flight is discarded (docs/decisions.md#d6).
 */
export function useRecorder(consultationId: string, engine: CallEngine | undefined, local: MediaStream | undefined) {
  const api = useApi();
  const [active, setActive] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const state = useRef<{ recorder: MediaRecorder; id: string; seq: number; chain: Promise<void>; ctx: AudioContext; halted: boolean } | undefined>(undefined);

  const halt = useCallback((discard: boolean) => {
    const s = state.current;
    if (!s) return;
    s.halted = discard;
    if (s.recorder.state !== 'inactive') s.recorder.stop();
    void s.ctx.close();
    setActive(false);
  }, []);

  const start = useCallback(async () => {
    if (!engine || state.current) return;
    setProblem(undefined);
    try {
      const rec = await api.consultation.startRecording(consultationId, 'video');
      const ctx = new AudioContext();
      const mix = ctx.createMediaStreamDestination();
      const sources = [...engine.remoteStreams(), ...(local ? [local] : [])];
      for (const s of sources) if (s.getAudioTracks().length > 0) ctx.createMediaStreamSource(s).connect(mix);
      const video = engine.remoteStreams().flatMap((s) => s.getVideoTracks())[0];
      const stream = new MediaStream([...(video ? [video] : []), ...mix.stream.getAudioTracks()]);
      const recorder = new MediaRecorder(stream, { mimeType: MediaRecorder.isTypeSupported('video/webm') ? 'video/webm' : '' });
      const s = { recorder, id: rec.id, seq: 0, chain: Promise.resolve(), ctx, halted: false };
      state.current = s;
      recorder.ondataavailable = (e) => {
        if (s.halted || e.data.size === 0) return;
        const seq = s.seq;
        s.seq += 1;
        s.chain = s.chain.then(async () => {
          if (s.halted) return;
          try {
            await api.consultation.uploadRecordingChunk(consultationId, s.id, seq, e.data);
          } catch (err) {
            // A refused chunk (stopped or withdrawn on the server) ends the recording here too.
            s.halted = true;
            if (recorder.state !== 'inactive') recorder.stop();
            setActive(false);
            setProblem(problemFromError(err));
          }
        });
      };
      recorder.start(2000);
      setActive(true);
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }, [api, consultationId, engine, local]);

  const stop = useCallback(async () => {
    const s = state.current;
    if (!s) return;
    const flushed = new Promise<void>((resolve) => s.recorder.addEventListener('stop', () => resolve(), { once: true }));
    halt(false);
    if (s.recorder.state !== 'inactive') await flushed;
    await s.chain;
    state.current = undefined;
    try {
      await api.consultation.stopRecording(consultationId, s.id);
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }, [api, consultationId, halt]);

  const onServerStatus = useCallback(
    (recordingId: string, status: 'recording' | 'stopped' | 'withdrawn') => {
      const s = state.current;
      if (!s || s.id !== recordingId || status === 'recording') return;
      halt(true);
      state.current = undefined;
    },
    [halt],
  );

  return useMemo(() => ({ active, problem, start, stop, onServerStatus }), [active, problem, start, stop, onServerStatus]);
}
