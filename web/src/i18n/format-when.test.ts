import { describe, expect, it } from 'vitest';
import { whenFormatter } from './format-when.js';

const now = new Date('2026-12-06T08:00:00Z');

describe('whenFormatter (dates without seconds, weekday first)', () => {
  it('writes a Bulgarian date and time as "пн, 7 декември, 10:00" in Europe/Sofia', () => {
    expect(whenFormatter('bg-BG', now)(new Date('2026-12-07T08:00:00Z'))).toBe('пн, 7 декември, 10:00');
  });

  it('adds the year only outside the current year, and never seconds', () => {
    const text = whenFormatter('bg-BG', now)(new Date('2025-03-02T10:05:59Z'));
    expect(text).toBe('нд, 2 март 2025 г., 12:05');
  });

  it('writes English the same way', () => {
    expect(whenFormatter('en-GB', now)(new Date('2026-12-07T08:00:00Z'))).toBe('Mon 7 December, 10:00');
  });
});
