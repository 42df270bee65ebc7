import { describe, expect, it } from 'vitest';
import { sofiaDayStart } from './format.js';

describe('sofiaDayStart (STYLE C19: days are Europe/Sofia days)', () => {
  it('winter +02:00, summer +03:00, and the day the clocks go forward still starts at +02:00', () => {
    expect(sofiaDayStart('2026-12-01')).toBe('2026-11-30T22:00:00Z');
    expect(sofiaDayStart('2026-07-01')).toBe('2026-06-30T21:00:00Z');
    expect(sofiaDayStart('2026-03-29')).toBe('2026-03-28T22:00:00Z');
    expect(sofiaDayStart('2026-10-26')).toBe('2026-10-25T22:00:00Z');
  });
});
