import { describe, expect, it } from 'vitest';
import { figuresFromStats } from './call-engine.js';

// Art. 28(1) items 8-9 (docs/decisions.md#d16): what the browser reports from RTCPeerConnection.getStats().
const report = (entries: Record<string, unknown>[]) => new Map(entries.map((e) => [String(e.id), e]));

const base = [
  { id: 'T1', type: 'transport', selectedCandidatePairId: 'CP2' },
  { id: 'CP1', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.5 },
  { id: 'CP2', type: 'candidate-pair', nominated: true, state: 'succeeded', currentRoundTripTime: 0.012 },
];

describe('figuresFromStats', () => {
  it('takes the RTT of the selected pair and audio minus video playout as A/V sync', () => {
    const stats = report([
      ...base,
      { id: 'IA', type: 'inbound-rtp', kind: 'audio', estimatedPlayoutTimestamp: 3_900_000_100_040, jitter: 0.004, bytesReceived: 1000, packetsReceived: 100, packetsLost: 0 },
      { id: 'IV', type: 'inbound-rtp', kind: 'video', estimatedPlayoutTimestamp: 3_900_000_100_000, framesPerSecond: 20, bytesReceived: 9000, packetsReceived: 300, packetsLost: 0 },
    ]);
    const { report: r, totals } = figuresFromStats(stats, undefined, 1000);
    expect(r).toEqual({ rttMs: 12, avSyncMs: 40, jitterMs: 4, packetLossPct: null, framesPerSecond: 20, bitrateKbps: null });
    expect(totals).toEqual({ bytes: 10_000, lost: 0, received: 400, at: 1000 });
  });

  it('computes loss and bitrate against the previous report, and falls back to jitter-buffer delays before RTCP', () => {
    const stats = report([
      ...base,
      { id: 'IA', type: 'inbound-rtp', kind: 'audio', jitterBufferDelay: 6, jitterBufferEmittedCount: 100, bytesReceived: 11_000, packetsReceived: 190, packetsLost: 10 },
      { id: 'IV', type: 'inbound-rtp', kind: 'video', jitterBufferDelay: 2, jitterBufferEmittedCount: 100, bytesReceived: 9_000, packetsReceived: 100, packetsLost: 0 },
    ]);
    const { report: r } = figuresFromStats(stats, { bytes: 10_000, lost: 0, received: 200, at: 0 }, 2000);
    // 10 lost of 100 new packets; 10,000 bytes in 2 s = 40 kbit/s; (60 - 20) ms from the jitter buffers
    expect(r.packetLossPct).toBe(10);
    expect(r.bitrateKbps).toBe(40);
    expect(r.avSyncMs).toBe(40);
  });
});
