import { describe, expect, it } from 'vitest';
import { camelRow, normaliseRow, parseTimestamptz, snakeRow } from './rows.js';

describe('raw row reading (one timestamptz parser)', () => {
  it("parses PostgreSQL's timestamptz text with hour, hour:minute and fractional offsets", () => {
    expect(parseTimestamptz('2026-12-01 07:00:00+00')?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
    expect(parseTimestamptz('2026-12-01 09:00:00.123+02')?.toISOString()).toBe('2026-12-01T07:00:00.123Z');
    expect(parseTimestamptz('2026-12-01 12:30:00+05:30')?.toISOString()).toBe('2026-12-01T07:00:00.000Z');
  });

  it('leaves every other string alone (dates, ISO text, names)', () => {
    expect(parseTimestamptz('2026-12-01')).toBeUndefined();
    expect(parseTimestamptz('2026-12-01T07:00:00Z')).toBeUndefined();
    const row = normaliseRow<Record<string, unknown>>({ name: 'Мария', valid_from: '2026-12-01', at: '2026-12-01 07:00:00+00', n: 3 });
    expect(row.at).toEqual(new Date('2026-12-01T07:00:00Z'));
    expect(row).toMatchObject({ name: 'Мария', valid_from: '2026-12-01', n: 3 });
  });

  it('maps snake_case columns to camelCase keys', () => {
    expect(camelRow({ provider_facility_id: 'f', created_at: 1, id: 'x', escalation_position_2: 2 })).toEqual({ providerFacilityId: 'f', createdAt: 1, id: 'x', escalationPosition2: 2 });
  });

  it('maps camelCase keys back to snake_case (the inverse for keys without digits)', () => {
    const row = { provider_facility_id: 'f', created_at: 1, id: 'x' };
    expect(snakeRow(camelRow(row))).toEqual(row);
  });
});
