import { useEffect, useRef, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { problemFromError, type Problem } from '../../../api/problem.js';
import { useT } from '../../../i18n/index.js';
import type { Peer, QualityReport } from '../../../../../src/contracts/consultation.js';
import type { Consultation } from '../api.js';
import { CallEngine, type CallTimings, type EngineStatus } from '../call-engine.js';
import { useConsultationLists } from '../use-consultation-lists.js';
import { ChatPanel } from './chat-panel.js';
import { DeviceCheck } from './device-check.js';
import { RecordingConsentPanel } from './recording-consent.js';
import { FilePanel } from './file-panel.js';
import { QualityIndicator } from './quality-indicator.js';
import { useRecorder } from './recorder.js';
import { PatientBanner } from '../../patient/components/patient-banner.js';

declare global {
  interface Window {
    /** Join → remote video timings, read by the e2e journey. */
    __distansiaCall?: CallTimings;
    /** Connection states of the current call (support diagnostics). */
    __distansiaCallDiagnostics?: () => unknown;
  }
}

function RemoteVideo({ stream, onPlaying, label }: { stream: MediaStream; onPlaying(): void; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className="call__remote" autoPlay playsInline aria-label={label} data-testid="remote-video" onPlaying={onPlaying} />;
}

/** The call page of a real-time consultation: device check, waiting room, the call, chat, files, quality. */
export function CallView(props: { consultation: Consultation; onChanged(c: Consultation): void }) {
  const t = useT();
  const api = useApi();
  const c = props.consultation;
  const isProvider = c.mySide === 'provider';
  const [engine, setEngine] = useState<CallEngine>();
  const [status, setStatus] = useState<EngineStatus | 'check'>('check');
  const [peers, setPeers] = useState<Peer[]>([]);
  const [remote, setRemote] = useState<Record<string, MediaStream>>({});
  const [mine, setMine] = useState<QualityReport>();
  const [theirs, setTheirs] = useState<QualityReport>();
  const [summary, setSummary] = useState(c.quality);
  const [mic, setMic] = useState(true);
  const [cam, setCam] = useState(true);
  const [audioOnly, setAudioOnly] = useState(false);
  const [sharing, setSharing] = useState(false);
  const [problem, setProblem] = useState<Problem>();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const localVideo = useRef<HTMLVideoElement>(null);
  const localStream = useRef<MediaStream>(undefined);
  const finished = c.status === 'finished' || status === 'finished';
  const recorder = useRecorder(c.id, engine, localStream.current);

  // In the call (or its waiting room) the call's connection carries the events. Outside it the live
  // chat channel does: it stays open until the call's connection is in (the two overlap; the lists
  // drop duplicates by id) and reloads the lists whenever it comes up, so nothing posted meanwhile is
  // lost. Polling is only the fallback while neither is connected.
  const callCarriesEvents = status === 'in-call' || status === 'waiting';
  const lists = useConsultationLists(c.id, {
    listen: !finished && !callCarriesEvents,
    pollMs: 5000,
    onOther: (ev) => {
      switch (ev.kind) {
        case 'quality':
          if (ev.accountId !== c.myAccountId) setTheirs(ev.sample);
          setSummary((s) => ({
            ...s,
            sampleCount: s.sampleCount + 1,
            latencyBreachCount: s.latencyBreachCount + (ev.sample.latencyBreach ? 1 : 0),
            avSyncBreachCount: s.avSyncBreachCount + (ev.sample.avSyncBreach ? 1 : 0),
          }));
          return;
        case 'recording':
          recorder.onServerStatus(ev.recordingId, ev.status);
          return;
        case 'finished':
          props.onChanged({ ...c, status: 'finished', completedAt: ev.completedAt });
          return;
        case 'message': // taken by the lists
        case 'file':
        case 'admitted':
        case 'media':
          return;
        default:
          return;
      }
    },
  });
  const { messages, files } = lists;
  const onEventRef = useRef(lists.onEvent);
  onEventRef.current = lists.onEvent;
  const shownProblem = problem ?? lists.problem;

  function join(stream: MediaStream) {
    localStream.current = stream;
    const e = new CallEngine({
      consultationId: c.id,
      localStream: stream,
      fetchIceServers: async () => (await api.consultation.iceServers(c.id)).iceServers.map((s) => ({ urls: s.urls, ...(s.username ? { username: s.username, credential: s.credential } : {}) })),
      onStatus: (s) => setStatus(s),
      onPeers: setPeers,
      onRemoteStream: (id, s) =>
        setRemote((r) => {
          const next = Object.fromEntries(Object.entries(r).filter(([k]) => k !== id));
          if (s) next[id] = s;
          return next;
        }),
      onEvent: (ev) => onEventRef.current(ev),
      onLocalStats: setMine,
    });
    window.__distansiaCall = e.timings;
    window.__distansiaCallDiagnostics = () => e.diagnostics();
    setEngine(e);
    void e.start();
  }

  useEffect(() => {
    if (localVideo.current && localStream.current && localVideo.current.srcObject !== localStream.current) localVideo.current.srcObject = localStream.current;
  });

  // Leaving the page ends the call and releases the camera and microphone (only on unmount).
  const engineRef = useRef<CallEngine>(undefined);
  engineRef.current = engine;
  useEffect(
    () => () => {
      engineRef.current?.leave();
      localStream.current?.getTracks().forEach((tr) => tr.stop());
    },
    [],
  );

  async function admit(accountId: string) {
    setProblem(undefined);
    try {
      props.onChanged(await api.consultation.admit(c.id, accountId));
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  async function complete() {
    setProblem(undefined);
    try {
      await recorder.stop();
      const done = await api.consultation.complete(c.id);
      engine?.leave();
      props.onChanged({ ...c, status: done.status, completedAt: done.completedAt });
    } catch (err) {
      setProblem(problemFromError(err));
    }
  }

  const waiting = peers.filter((p) => p.state === 'waiting');
  const remoteEntries = Object.entries(remote);
  const statusText: Record<EngineStatus | 'check', string> = {
    check: t('consultation.status.check'),
    connecting: t('consultation.status.connecting'),
    waiting: t('consultation.status.waiting'),
    'in-call': remoteEntries.length > 0 ? t('consultation.status.inCall') : t('consultation.status.alone'),
    reconnecting: t('consultation.status.reconnecting'),
    finished: t('consultation.status.finished'),
    refused: t('consultation.status.refused'),
    left: t('consultation.status.left'),
  };

  return (
    <div className="call">
      <p className="call__status" role="status" data-testid="call-status" data-status={finished ? 'finished' : status}>
        {finished ? t('consultation.status.finished') : statusText[status]}
      </p>
      {shownProblem ? <ProblemAlert problem={shownProblem} /> : null}
      {status === 'check' && !finished && c.mode === 'synchronous' ? <RecordingConsentPanel requestId={c.requestId} consultationId={c.id} isProvider={isProvider} /> : null}
      {status === 'check' && !finished ? <DeviceCheck onJoin={join} joinLabel={t('consultation.join')} /> : null}

      {status !== 'check' && !finished ? (
        <section className="call__stage" aria-label={t('consultation.stage')}>
          <div className="call__videos">
            {remoteEntries.map(([id, s]) => (
              <RemoteVideo key={id} stream={s} label={t('consultation.remoteVideo')} onPlaying={() => engine?.markRemotePlaying()} />
            ))}
            <video ref={localVideo} className="call__local" autoPlay playsInline muted aria-label={t('consultation.localVideo')} />
          </div>
          <div className="call__controls" role="toolbar" aria-label={t('consultation.controls')}>
            <button type="button" aria-pressed={!mic} onClick={() => { engine?.setMicrophone(!mic); setMic(!mic); }}>
              {mic ? t('consultation.mute') : t('consultation.unmute')}
            </button>
            <button type="button" aria-pressed={!cam} disabled={audioOnly} onClick={() => { engine?.setCamera(!cam); setCam(!cam); }}>
              {cam ? t('consultation.cameraOff') : t('consultation.cameraOn')}
            </button>
            <button type="button" aria-pressed={audioOnly} onClick={() => { void engine?.setAudioOnly(!audioOnly); setAudioOnly(!audioOnly); }}>
              {audioOnly ? t('consultation.videoBack') : t('consultation.audioOnly')}
            </button>
            {'getDisplayMedia' in navigator.mediaDevices ? (
              <button
                type="button"
                aria-pressed={sharing}
                disabled={status !== 'in-call'}
                onClick={() => {
                  const p = sharing ? engine?.stopScreenShare() : engine?.startScreenShare();
                  void p?.then(() => setSharing(Boolean(engine?.sharingScreen)), (err: unknown) => setProblem(problemFromError(err)));
                }}
              >
                {sharing ? t('consultation.stopShare') : t('consultation.share')}
              </button>
            ) : null}
            {c.recordingAllowed && status === 'in-call' ? (
              <button type="button" aria-pressed={recorder.active} onClick={() => void (recorder.active ? recorder.stop() : recorder.start())}>
                {recorder.active ? t('consultation.record.stop') : t('consultation.record.start')}
              </button>
            ) : null}
            <button type="button" onClick={() => { engine?.leave(); setStatus('check'); setEngine(undefined); setRemote({}); setPeers([]); }}>
              {t('consultation.leave')}
            </button>
          </div>
          {recorder.active ? <p role="status" className="call__recording">● {t('consultation.record.on')}</p> : null}
          {recorder.problem ? <ProblemAlert problem={recorder.problem} /> : null}
        </section>
      ) : null}

      {isProvider && !finished && status !== 'check' ? (
        <section className="consultation-panel" aria-labelledby="waiting-title">
          <h2 id="waiting-title">{t('consultation.waitingRoom')}</h2>
          {waiting.length === 0 ? <p>{t('consultation.waitingRoom.empty')}</p> : null}
          <ul>
            {waiting.map((p) => (
              <li key={p.connId}>
                {t(`consultation.side.${p.side}`)}
                {p.side === 'recipient' ? (
                  <>
                    {': '}
                    <PatientBanner requestId={props.consultation.requestId} compact />
                  </>
                ) : null}{' '}
                <button type="button" className="button" onClick={() => void admit(p.accountId)}>
                  {t('consultation.admit')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {isProvider ? <QualityIndicator mine={mine} theirs={theirs} summary={summary} /> : null}

      <div className="consultation-panels">
        <ChatPanel consultationId={c.id} messages={messages} files={files} myAccountId={c.myAccountId} kind="chat" disabled={finished} title={t('consultation.chat.title')} onPosted={lists.addMessage} />
        <FilePanel consultationId={c.id} files={files} disabled={finished} onUploaded={lists.addFile} />
      </div>

      {isProvider && !finished ? (
        <section className="consultation-panel" aria-labelledby="complete-title">
          <h2 id="complete-title">{t('consultation.complete.title')}</h2>
          <p>{t('consultation.complete.explain')}</p>
          {confirmEnd ? (
            <div className="button-row">
              <button type="button" className="button" onClick={() => void complete()}>
                {t('consultation.complete.yes')}
              </button>
              <button type="button" onClick={() => setConfirmEnd(false)}>
                {t('consultation.complete.no')}
              </button>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirmEnd(true)}>
              {t('consultation.complete')}
            </button>
          )}
        </section>
      ) : null}
    </div>
  );
}
