import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Instant } from './common.js';
import { InstantMini } from './directory-public.js';
import { ServiceModeSchema } from './registry.js';
import { SERVICE_MODES } from './registry-reference.js';

// The first load's contracts are written with zod/mini (bench/README.md); where they repeat a shape of
// the classic contracts, the two must not drift.
describe('zod/mini contracts of the directory', () => {
  it('InstantMini is the same instant as common.ts Instant (ISO 8601 with an offset, STYLE C11)', () => {
    expect(z.toJSONSchema(InstantMini)).toEqual(z.toJSONSchema(Instant));
    for (const value of ['2026-12-07T10:00:00+02:00', '2026-12-07T08:00:00Z', '2026-12-07T10:00:00', '2026-12-07', 'x']) {
      expect(InstantMini.safeParse(value).success, value).toBe(Instant.safeParse(value).success);
    }
  });

  it('the service modes are one list for both forms', () => {
    expect(ServiceModeSchema.options).toEqual([...SERVICE_MODES]);
  });
});
