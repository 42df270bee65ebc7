import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../test/access-world.js';
import { loggerOptions } from './logger.js';

// Trust first, finding 7: NUL bytes in registry text fields gave 500 with the SQL at error level; the
// text rule now refuses them in the shared validator compiler for every route (docs/security-input.md).

describe('text rule in the validator compiler (trust first, finding 7)', () => {
  let t: TestApp;
  let w: AccessWorld;
  const logged: { level: number; msg?: string }[] = [];

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logged.push(JSON.parse(line) as { level: number; msg?: string });
        done();
      },
    });
    t = await createTestApp({ log: pino(loggerOptions('info'), sink) });
    w = await buildAccessWorld(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  const patch = (payload: string | Buffer) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/admin/facilities/${w.facilityId}`, headers: { ...w.sessions.facilityAdmin.headers, 'content-type': 'application/json' }, payload });

  it('answers 400 request.invalid with the pointer for NUL in a registry text field, logs nothing at error level and stores nothing', async () => {
    const before = logged.length;
    const version = (await w.as('facilityAdmin', { method: 'GET', url: `/api/v1/admin/facilities/${w.facilityId}` })).json<{ version: number }>().version;
    const res = await patch(JSON.stringify({ version, address: 'ул. Витоша\u0000 1' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ in: 'body', pointer: '#/address' }] });
    expect(logged.slice(before).filter((l) => l.level >= 50)).toEqual([]);
    // Nested values are found too, with RFC 6901 pointers.
    const nested = await t.app.inject({ method: 'POST', url: '/api/v1/admin/facilities', headers: { ...w.sessions.coordinator.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x', 'a/b': ['ok', 'bad\u0000'] }) });
    expect(nested.json()).toMatchObject({ code: 'request.invalid', errors: [{ pointer: '#/a~1b/1' }] });
    const stored = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM facility WHERE id = ${w.facilityId} AND version = ${version}`);
    expect(stored.rows[0]?.n).toBe(1);
  });

  it('refuses a lone surrogate and a body that is not UTF-8, and accepts the same change when clean', async () => {
    const version = (await w.as('facilityAdmin', { method: 'GET', url: `/api/v1/admin/facilities/${w.facilityId}` })).json<{ version: number }>().version;
    const lone = await patch(`{"version":${version},"settlement":"\\udc00София"}`);
    expect(lone.json()).toMatchObject({ code: 'request.invalid', errors: [{ pointer: '#/settlement' }] });
    const latin1 = await patch(Buffer.from(`{"version":${version},"settlement":"S\xf3fia"}`, 'latin1'));
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json<{ code: string }>().code).toBe('request.invalid');
    const ok = await patch(JSON.stringify({ version, settlement: 'София' }));
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ settlement: string }>().settlement).toBe('София');
  });

  it('applies to query strings and params as well', async () => {
    // The public directory's free-text search, anonymous: a NUL reached the SQL before.
    const res = await w.as('anonymous', { method: 'GET', url: `/api/v1/directory/facilities?q=${encodeURIComponent('Соф\u0000ия')}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'request.invalid', errors: [{ in: 'query', pointer: '#/q' }] });
  });
});
