import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerProblemHandler, toAppError } from './problem.js';

// STYLE C4: 40001 (serialization failure) and 40P01 (deadlock) are retried once inside
// withTransaction; when the retry fails too, the client gets 503 dependency.unavailable, not 500.

const pgError = (code: string) => Object.assign(new Error('could not serialize access'), { code });
// drizzle wraps the driver's error in `cause`.
const wrapped = (code: string) => Object.assign(new Error('Failed query: UPDATE ...'), { cause: pgError(code) });

describe('exhausted serialization retries', () => {
  it.each(['40001', '40P01'])('map %s, bare or wrapped by drizzle, to dependency.unavailable', (code) => {
    expect(toAppError(pgError(code)).code).toBe('dependency.unavailable');
    expect(toAppError(wrapped(code)).code).toBe('dependency.unavailable');
  });

  it('leave other database errors to their own mapping', () => {
    expect(toAppError(pgError('23P01')).code).toBe('appointment.slot_taken');
    expect(toAppError(pgError('42P01')).code).toBe('internal');
  });

  it('answer 503 as a problem document with a generic detail', async () => {
    const app = Fastify({ logger: false });
    registerProblemHandler(app);
    app.get('/busy', async () => {
      throw wrapped('40001');
    });
    const res = await app.inject({ method: 'GET', url: '/busy' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 503, code: 'dependency.unavailable' });
    expect(JSON.stringify(res.json())).not.toContain('UPDATE');
    await app.close();
  });
});
