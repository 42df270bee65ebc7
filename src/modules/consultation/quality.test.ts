import { describe, expect, it } from 'vitest';
import { AV_SYNC_LIMIT_MS, LATENCY_LIMIT_MS, judgeSample } from './quality.js';

const figures = { rttMs: null, avSyncMs: null, jitterMs: null, packetLossPct: null, framesPerSecond: null, bitrateKbps: null };

describe('quality judgement, Art. 28(1) items 8-9 (docs/decisions.md#d16)', () => {
  it('takes latency as half the round-trip time and flags only above 50 ms', () => {
    expect(LATENCY_LIMIT_MS).toBe(50);
    expect(judgeSample({ ...figures, rttMs: 100 })).toMatchObject({ latencyMs: 50, latencyBreach: false });
    expect(judgeSample({ ...figures, rttMs: 100.2 })).toMatchObject({ latencyMs: 50.1, latencyBreach: true });
  });

  it('flags A/V sync above 150 ms in either direction', () => {
    expect(AV_SYNC_LIMIT_MS).toBe(150);
    expect(judgeSample({ ...figures, avSyncMs: 150 })).toMatchObject({ avSyncMs: 150, avSyncBreach: false });
    expect(judgeSample({ ...figures, avSyncMs: -151 })).toMatchObject({ avSyncMs: 151, avSyncBreach: true });
  });

  it('does not flag figures that could not be measured yet', () => {
    expect(judgeSample(figures)).toMatchObject({ latencyMs: null, avSyncMs: null, latencyBreach: false, avSyncBreach: false });
  });
});
