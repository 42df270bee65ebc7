import { useEffect, useRef, useState } from 'react';
import { useT } from '../../../i18n/index.js';

/**
 * The camera and microphone check before joining: a preview and a live microphone level, so the person
 * knows they will be seen and heard. Hands the stream to the caller on "Join".
 */
export function DeviceCheck(props: { onJoin(stream: MediaStream): void; joinLabel: string }) {
  const t = useT();
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream>();
  const [level, setLevel] = useState(0);
  const [failed, setFailed] = useState<string>();

  useEffect(() => {
    let cancelled = false;
    let ctx: AudioContext | undefined;
    let raf = 0;
    let acquired: MediaStream | undefined;
    const start = async () => {
      try {
        acquired = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: { ideal: 640 }, height: { ideal: 480 } } });
      } catch {
        try {
          // No camera (or refused): an audio-only call is still possible.
          acquired = await navigator.mediaDevices.getUserMedia({ audio: true });
          setFailed('camera');
        } catch {
          setFailed('all');
          return;
        }
      }
      if (cancelled) return acquired.getTracks().forEach((tr) => tr.stop());
      setStream(acquired);
      if (video.current) video.current.srcObject = acquired;
      ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 256;
      ctx.createMediaStreamSource(acquired).connect(analyser);
      const data = new Uint8Array(analyser.frequencyBinCount);
      const tick = () => {
        analyser.getByteTimeDomainData(data);
        let peak = 0;
        for (const v of data) peak = Math.max(peak, Math.abs(v - 128));
        setLevel(Math.min(100, Math.round((peak / 128) * 100 * 2)));
        raf = requestAnimationFrame(tick);
      };
      tick();
    };
    void start();
    return () => {
      cancelled = true;
      cancelAnimationFrame(raf);
      void ctx?.close();
    };
  }, []);

  return (
    <section className="consultation-panel device-check" aria-labelledby="device-check-title">
      <h2 id="device-check-title">{t('consultation.check.title')}</h2>
      <video ref={video} className="device-check__preview" autoPlay playsInline muted aria-label={t('consultation.check.preview')} />
      <div className="field">
        <span id="mic-level-label">{t('consultation.check.microphone')}</span>
        <meter aria-labelledby="mic-level-label" min={0} max={100} value={level} className="device-check__meter" />
      </div>
      {failed === 'camera' ? <p role="status">{t('consultation.check.noCamera')}</p> : null}
      {failed === 'all' ? <p role="alert">{t('consultation.check.noDevices')}</p> : null}
      <button type="button" className="button" disabled={!stream} onClick={() => stream && props.onJoin(stream)}>
        {props.joinLabel}
      </button>
    </section>
  );
}
