import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test/app-harness.js';

describe('platform HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t.close());

  it('answers liveness and readiness as JSON once migrations are applied', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    // PGlite has no replication: readiness says so rather than inventing a lag (docs/operations.md).
    expect(ready.json()).toMatchObject({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('is not ready when a migration is pending', async () => {
    await t.deps.database.pool.query("DELETE FROM schema_migration WHERE version = '0001'");
    try {
      const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.migrations).toBe('pending');
    } finally {
      const { readMigrations } = await import('./platform/db/migrate.js');
      const first = (await readMigrations())[0]!;
      await t.deps.database.pool.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [first.version, first.name, first.checksum]);
    }
  });

  it('publishes an OpenAPI 3 document generated from the contracts', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/health/ready');
  });

  it('serves a browsable API reference', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect([200, 302]).toContain(res.statusCode);
  });

  it('answers unknown API routes with RFC 9457 problem+json whose status equals the HTTP status', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ status: 404, code: 'resource.not_found', title: 'Not found' });
    expect(body.instance).toMatch(/^urn:request:/);
  });

  it('titles problems in Bulgarian by default', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(res.json().title).toBe('Не е намерено');
  });

  it('sets security headers and echoes a request id', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-request-id']).toBeTruthy();
    // Error answers carry them too (the headers are set before routing).
    const missing = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(missing.headers['strict-transport-security']).toContain('max-age=');
  });
});
