import type { QualityReport } from '../../../../src/contracts/consultation.js';

/** Running totals of the inbound streams, kept between two reports to compute rates. */
export interface StatsTotals {
  bytes: number;
  lost: number;
  received: number;
  at: number;
}

/** Picks the figures the ordinance asks for out of a getStats() report. Pure; exported for tests. */
export function figuresFromStats(
  stats: RTCStatsReport | Map<string, Record<string, unknown>>,
  previous: StatsTotals | undefined,
  at: number,
): { report: QualityReport; totals: StatsTotals } {
  let rttMs: number | null = null;
  let audioPlayout: number | null = null;
  let videoPlayout: number | null = null;
  let audioJbd: number | null = null;
  let videoJbd: number | null = null;
  let jitterMs: number | null = null;
  let fps: number | null = null;
  let bytes = 0;
  let lost = 0;
  let received = 0;
  let selectedPair: string | undefined;
  const all: Record<string, unknown>[] = [];
  stats.forEach((s: Record<string, unknown>) => all.push(s));
  for (const s of all) if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') selectedPair = s.selectedCandidatePairId;
  for (const s of all) {
    if (s.type === 'candidate-pair') {
      const chosen = selectedPair ? s.id === selectedPair : s.nominated === true && s.state === 'succeeded';
      if (chosen && typeof s.currentRoundTripTime === 'number') rttMs = s.currentRoundTripTime * 1000;
    }
    if (s.type === 'inbound-rtp') {
      const kind = s.kind ?? s.mediaType;
      if (typeof s.bytesReceived === 'number') bytes += s.bytesReceived;
      if (typeof s.packetsLost === 'number') lost += s.packetsLost;
      if (typeof s.packetsReceived === 'number') received += s.packetsReceived;
      const jbd = typeof s.jitterBufferDelay === 'number' && typeof s.jitterBufferEmittedCount === 'number' && s.jitterBufferEmittedCount > 0 ? (s.jitterBufferDelay / s.jitterBufferEmittedCount) * 1000 : null;
      const est = typeof s.estimatedPlayoutTimestamp === 'number' ? s.estimatedPlayoutTimestamp : null;
      if (kind === 'audio') {
        audioPlayout = est;
        audioJbd = jbd;
        if (typeof s.jitter === 'number') jitterMs = s.jitter * 1000;
      } else if (kind === 'video') {
        videoPlayout = est;
        videoJbd = jbd;
        if (typeof s.framesPerSecond === 'number') fps = s.framesPerSecond;
      }
    }
  }
  // docs/decisions.md#d16: A/V sync is audio minus video estimated playout time; before RTCP sender
  // reports arrive the jitter-buffer delays are the (rougher) estimate.
  let avSyncMs: number | null = null;
  if (audioPlayout !== null && videoPlayout !== null) avSyncMs = audioPlayout - videoPlayout;
  else if (audioJbd !== null && videoJbd !== null) avSyncMs = audioJbd - videoJbd;
  let packetLossPct: number | null = null;
  let bitrateKbps: number | null = null;
  if (previous) {
    const dLost = Math.max(0, lost - previous.lost);
    const dRecv = Math.max(0, received - previous.received);
    packetLossPct = dLost + dRecv > 0 ? (dLost / (dLost + dRecv)) * 100 : 0;
    const secs = (at - previous.at) / 1000;
    bitrateKbps = secs > 0 ? Math.max(0, ((bytes - previous.bytes) * 8) / 1000 / secs) : null;
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return {
    report: {
      rttMs: round(rttMs),
      avSyncMs: round(avSyncMs),
      jitterMs: round(jitterMs),
      packetLossPct: round(packetLossPct),
      framesPerSecond: round(fps),
      bitrateKbps: round(bitrateKbps),
    },
    totals: { bytes, lost, received, at },
  };
}
