// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../../../i18n/index.js';
import { messages } from '../../../i18n/messages.js';
import { QualityIndicator } from './quality-indicator.js';

const noStorage = { getItem: () => null, setItem: () => undefined };
const bg = messages.bg;
const summary = { latencyLimitMs: 50, avSyncLimitMs: 150, sampleCount: 3, latencyBreachCount: 0, avSyncBreachCount: 0, maxLatencyMs: 2, maxAvSyncMs: 40 };
const figures = { rttMs: 4, avSyncMs: -40, jitterMs: 2, packetLossPct: 0, framesPerSecond: 20, bitrateKbps: 900 };

function renderIt(props: Parameters<typeof QualityIndicator>[0]) {
  return render(
    <I18nProvider storage={noStorage}>
      <QualityIndicator {...props} />
    </I18nProvider>,
  );
}

describe('QualityIndicator (Art. 28(1) items 8-9)', () => {
  afterEach(cleanup);

  it('shows half the RTT as latency and marks the figures within the limits', () => {
    renderIt({ mine: figures, theirs: undefined, summary });
    const cell = screen.getByTestId(`latency-${bg['consultation.quality.mine']}`);
    expect(cell.textContent).toBe('2 ms');
    expect(cell.className).toBe('quality--ok');
    expect(screen.getByRole('status').textContent).toBe(bg['consultation.quality.ok']);
  });

  it('marks a breach of 50 ms and counts the recorded breaches', () => {
    renderIt({ mine: figures, theirs: { ...figures, rttMs: 140, avSyncMs: 200 }, summary: { ...summary, latencyBreachCount: 1, avSyncBreachCount: 1 } });
    const cell = screen.getByTestId(`latency-${bg['consultation.quality.theirs']}`);
    expect(cell.textContent).toBe('70 ms');
    expect(cell.className).toBe('quality--bad');
    expect(screen.getByRole('status').textContent).toBe(bg['consultation.quality.breaches'].replace('{count}', '2'));
  });

  it('Art. 28(1) items 8-9: says "not measured yet" rather than "within limits" before any measurement', () => {
    renderIt({ mine: undefined, theirs: undefined, summary: { ...summary, sampleCount: 0 } });
    expect(screen.getByRole('status').textContent).toBe(bg['consultation.quality.pending']);
  });
});
