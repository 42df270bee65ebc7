import { describe, expect, it } from 'vitest';
import { createApiClient } from './client.js';
import { createHttp, type FetchLike } from './http.js';
import { ApiError } from './problem.js';

function respond(status: number, body: unknown, contentType: string): FetchLike {
  return async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': contentType },
    });
}

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(error)}`);
  return error;
}

describe('API client', () => {
  it('refuses to send NUL or an unpaired surrogate, with the pointers the server would give (trust first, finding 7)', async () => {
    let sent = 0;
    const http = createHttp({
      fetch: async () => {
        sent += 1;
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const error = await failureOf(http.sendJson('POST', '/api/v1/x', { name: 'a\u0000', items: [{ note: 'ok' }, { note: 'x\ud800' }] }, null));
    expect(error.problem).toMatchObject({ status: 400, code: 'request.invalid', errors: [{ pointer: '#/name' }, { pointer: '#/items/1/note' }] });
    expect(sent).toBe(0);
    await http.sendJson('POST', '/api/v1/x', { name: 'ok \ud83d\ude00' }, null);
    expect(sent).toBe(1);
  });

  it('parses an application/problem+json error into a Problem, field errors included', async () => {
    const problem = {
      type: 'https://errors.distansia.bg/request.invalid',
      title: 'Request is invalid',
      status: 400,
      detail: 'start must be an ISO date-time',
      instance: 'urn:request:abc',
      code: 'request.invalid',
      errors: [{ in: 'body', pointer: '#/start', detail: 'Invalid ISO datetime' }],
    };
    const client = createApiClient({ fetch: respond(400, problem, 'application/problem+json; charset=utf-8') });

    const error = await failureOf(client.ops.getReadiness());

    expect(error.problem).toEqual(problem);
  });

  it('treats a problem+json 503 as an error even where 503 is an accepted status', async () => {
    const problem = { type: 'about:blank', title: 'A dependency is unavailable', status: 503, code: 'dependency.unavailable' };
    const client = createApiClient({ fetch: respond(503, problem, 'application/problem+json') });

    expect((await failureOf(client.ops.getReadiness())).problem.code).toBe('dependency.unavailable');
  });

  it('returns the readiness body for a 503 that is not a problem', async () => {
    const body = { status: 'unavailable', checks: { database: 'down', migrations: 'pending' } };
    const client = createApiClient({ fetch: respond(503, body, 'application/json') });

    expect(await client.ops.getReadiness()).toEqual(body);
  });

  it('derives a problem from the status when the error body is not problem+json', async () => {
    const client = createApiClient({ fetch: respond(502, '<html>Bad Gateway</html>', 'text/html') });

    const { problem } = await failureOf(client.ops.getReadiness());

    expect(problem).toMatchObject({ status: 502, code: 'dependency.unavailable', type: 'about:blank' });
  });

  it('reports a body that breaks the contract as response.invalid', async () => {
    const client = createApiClient({ fetch: respond(200, { status: 'great' }, 'application/json') });

    expect((await failureOf(client.ops.getReadiness())).problem.code).toBe('response.invalid');
  });

  it('reports a failed connection as network.unreachable', async () => {
    const client = createApiClient({
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });

    expect((await failureOf(client.ops.getReadiness())).problem).toMatchObject({ code: 'network.unreachable', status: 0 });
  });

  it('sends the interface language and asks for JSON or problem+json', async () => {
    let seen: Headers | undefined;
    const client = createApiClient({
      acceptLanguage: () => 'en',
      fetch: async (_url, init) => {
        seen = new Headers(init.headers);
        return new Response(JSON.stringify({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      },
    });

    await client.ops.getReadiness();

    expect(seen?.get('accept-language')).toBe('en');
    expect(seen?.get('accept')).toContain('application/problem+json');
  });
});
