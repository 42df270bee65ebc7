/**
 * The quality limits of Art. 28(1) items 8-9 and how a browser's report is judged (docs/decisions.md#d16).
 * Pure: no I/O.
 */

/** Art. 28(1) item 9: network data delay; we measure half the selected candidate pair's RTT. */
export const LATENCY_LIMIT_MS = 50;
/** Art. 28(1) item 8: delay between sound and image; we measure audio minus video playout time. */
export const AV_SYNC_LIMIT_MS = 150;

/** One report from a browser (figures it could not measure yet are null). */
export interface QualityFigures {
  rttMs: number | null;
  avSyncMs: number | null;
  jitterMs: number | null;
  packetLossPct: number | null;
  framesPerSecond: number | null;
  bitrateKbps: number | null;
}

export interface JudgedSample extends QualityFigures {
  latencyMs: number | null;
  latencyBreach: boolean;
  avSyncBreach: boolean;
}

/**
 * Derives latency and the breach flags. A figure that is missing is not a breach (it is stored as
 * missing, and the report counts samples with figures).
 * @param f - the reported figures
 * @returns the figures with latency and flags
 */
export function judgeSample(f: QualityFigures): JudgedSample {
  const latencyMs = f.rttMs === null ? null : f.rttMs / 2;
  const avSyncMs = f.avSyncMs === null ? null : Math.abs(f.avSyncMs);
  return {
    ...f,
    avSyncMs,
    latencyMs,
    latencyBreach: latencyMs !== null && latencyMs > LATENCY_LIMIT_MS,
    avSyncBreach: avSyncMs !== null && avSyncMs > AV_SYNC_LIMIT_MS,
  };
}
