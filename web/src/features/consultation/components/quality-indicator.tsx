import { useT } from '../../../i18n/index.js';
import type { QualityReport, QualitySummary } from '../../../../../src/contracts/consultation.js';

const fmt = (v: number | null | undefined, unit: string) => (v === null || v === undefined ? '—' : `${Math.round(v)} ${unit}`);

/**
 * The live quality indicator (Art. 28(1) items 8-9, docs/decisions.md#d16): network latency (half the
 * RTT) against 50 ms and A/V sync against 150 ms, for this browser and the other side, plus jitter,
 * loss, frame rate and bitrate; and the breaches recorded on the consultation so far.
 */
export function QualityIndicator(props: { mine: QualityReport | undefined; theirs: QualityReport | undefined; summary: QualitySummary }) {
  const t = useT();
  const row = (label: string, r: QualityReport | undefined) => {
    const latency = r?.rttMs === null || r?.rttMs === undefined ? null : r.rttMs / 2;
    const sync = r?.avSyncMs === null || r?.avSyncMs === undefined ? null : Math.abs(r.avSyncMs);
    const latencyBad = latency !== null && latency > props.summary.latencyLimitMs;
    const syncBad = sync !== null && sync > props.summary.avSyncLimitMs;
    return (
      <tr>
        <th scope="row">{label}</th>
        <td className={latencyBad ? 'quality--bad' : 'quality--ok'} data-testid={`latency-${label}`}>{fmt(latency, 'ms')}</td>
        <td className={syncBad ? 'quality--bad' : 'quality--ok'}>{fmt(sync, 'ms')}</td>
        <td>{fmt(r?.jitterMs, 'ms')}</td>
        <td>{r?.packetLossPct === null || r?.packetLossPct === undefined ? '—' : `${r.packetLossPct.toFixed(1)} %`}</td>
        <td>{fmt(r?.framesPerSecond, 'fps')}</td>
        <td>{fmt(r?.bitrateKbps, 'kbit/s')}</td>
      </tr>
    );
  };
  const breaches = props.summary.latencyBreachCount + props.summary.avSyncBreachCount;
  // No "within limits" before anything was measured: an empty table is not a good result.
  const measured = props.summary.sampleCount > 0 || props.mine !== undefined || props.theirs !== undefined;
  const badge = breaches > 0 ? 'quality--bad' : measured ? 'quality--ok' : 'quality--pending';
  return (
    <section className="consultation-panel quality-indicator" aria-labelledby="quality-title" data-testid="quality-indicator">
      <h2 id="quality-title">
        {t('consultation.quality.title')}{' '}
        <span className={`quality-badge ${badge}`} role="status">
          {breaches > 0 ? t('consultation.quality.breaches', { count: breaches }) : measured ? t('consultation.quality.ok') : t('consultation.quality.pending')}
        </span>
      </h2>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">{t('consultation.quality.side')}</th>
              <th scope="col">{t('consultation.quality.latency', { limit: props.summary.latencyLimitMs })}</th>
              <th scope="col">{t('consultation.quality.avSync', { limit: props.summary.avSyncLimitMs })}</th>
              <th scope="col">{t('consultation.quality.jitter')}</th>
              <th scope="col">{t('consultation.quality.loss')}</th>
              <th scope="col">{t('consultation.quality.fps')}</th>
              <th scope="col">{t('consultation.quality.bitrate')}</th>
            </tr>
          </thead>
          <tbody>
            {row(t('consultation.quality.mine'), props.mine)}
            {row(t('consultation.quality.theirs'), props.theirs)}
          </tbody>
        </table>
      </div>
      <p className="hint">{t('consultation.quality.samples', { count: props.summary.sampleCount })}</p>
    </section>
  );
}
