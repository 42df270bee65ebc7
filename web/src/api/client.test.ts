import { describe, expect, it } from 'vitest';
import { createApiClient, lazyGroup } from './client.js';
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

  // The directory's first load validates its answers with zod/mini contracts (bench/README.md): the
  // validation is the same as everywhere else, a wrong answer is refused, a right one passes.
  it('checks the directory search and facility answers against their contracts, like every other call', async () => {
    const summary = {
      id: '0190a8f0-0000-7000-8000-000000000001',
      name: 'МЦ Св. Лука',
      typeCode: 'MC',
      settlement: 'София',
      ekatte: '68134',
      regionCode: '22',
      address: 'ул. Пирин 1',
      specialtyCodes: ['1020'],
      modes: ['synchronous'],
      earliestFreeSlot: '2026-12-07T10:00:00+02:00',
    };
    const ok = createApiClient({ fetch: respond(200, { items: [summary], hasMore: false }, 'application/json') });
    expect((await ok.directory.search({ specialty: '1020' })).items[0]?.name).toBe('МЦ Св. Лука');

    const wrongMode = createApiClient({ fetch: respond(200, { items: [{ ...summary, modes: ['teleport'] }], hasMore: false }, 'application/json') });
    expect((await failureOf(wrongMode.directory.search({}))).problem.code).toBe('response.invalid');
    const noOffset = createApiClient({ fetch: respond(200, { items: [{ ...summary, earliestFreeSlot: '2026-12-07T10:00:00' }], hasMore: false }, 'application/json') });
    expect((await failureOf(noOffset.directory.search({}))).problem.code).toBe('response.invalid');
    const notAPage = createApiClient({ fetch: respond(200, { id: summary.id, name: 'x' }, 'application/json') });
    expect((await failureOf(notAPage.directory.facility(summary.id))).problem.code).toBe('response.invalid');
    const notReference = createApiClient({ fetch: respond(200, { specialties: 'all' }, 'application/json') });
    expect((await failureOf(notReference.directory.reference())).problem.code).toBe('response.invalid');
  });

  it('reads a problem whose fields break the problem contract as a problem derived from the status', async () => {
    const client = createApiClient({ fetch: respond(409, { title: 'Conflict', status: '409', code: 'x' }, 'application/problem+json') });

    expect((await failureOf(client.directory.search({}))).problem).toMatchObject({ status: 409, type: 'about:blank' });
  });

  it('answers me() with null without a request when no session cookie exists, and asks the server when one does', async () => {
    const me = {
      id: '0190a8f0-0000-7000-8000-000000000002',
      email: 'patient@demo.distansia.bg',
      role: 'patient',
      facilityIds: [],
      patientId: null,
      practitionerId: null,
      isGp: false,
      mfa: { totp: true, passkeys: 0, recoveryCodesLeft: 10 },
    };
    const calls: string[] = [];
    const fetchMe: FetchLike = async (url) => {
      calls.push(url);
      return new Response(JSON.stringify(me), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const documentBefore = (globalThis as { document?: unknown }).document;
    try {
      (globalThis as { document?: unknown }).document = { cookie: '' };
      expect(await createApiClient({ fetch: fetchMe }).auth.me()).toBeNull();
      expect(calls).toEqual([]);

      (globalThis as { document?: unknown }).document = { cookie: 'csrf=abc' };
      // The answer is checked against MeSchema: this one lacks `session`, so it is refused.
      expect((await failureOf(createApiClient({ fetch: fetchMe }).auth.me())).problem.code).toBe('response.invalid');
      expect(calls).toEqual(['/api/v1/me']);
    } finally {
      (globalThis as { document?: unknown }).document = documentBefore;
    }
  });

  it('a group whose module failed to load fails that call as a network problem and loads again on the next', async () => {
    let attempts = 0;
    const group = lazyGroup<{ ping(): Promise<string> }>(async () => {
      attempts += 1;
      if (attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return { ping: async () => 'pong' };
    }, {});

    expect((await failureOf(group.ping())).problem.code).toBe('network.unreachable');
    expect(await group.ping()).toBe('pong');
    expect(await group.ping()).toBe('pong');
    expect(attempts).toBe(2);
  });
});
