import { safeParse, type $ZodType } from 'zod/v4/core';
import { UNSAFE_TEXT_DETAIL, unsafeTextPointers } from '../../../src/contracts/text.js';
import { ApiError, clientProblemCodes, isProblemResponse, networkProblem, readProblem } from './problem.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** Prefix for every path; empty means the page's own origin, where the server serves the SPA. */
  baseUrl?: string;
  /** Defaults to the global `fetch`; tests pass a fake. */
  fetch?: FetchLike;
  /** The interface language, sent as `Accept-Language` so server titles come back localised. */
  acceptLanguage?: () => string;
  /**
   * Called when the server answers `auth.unauthenticated`: the session ended elsewhere (sign-out on another
   * device, expiry, deactivation), so the app can show itself signed out (docs/design-system.md).
   */
  onSessionEnded?: () => void;
}

export interface RequestOptions {
  /** Non-2xx statuses whose body is a valid answer rather than an error (e.g. 503 from a readiness probe). */
  acceptStatuses?: readonly number[];
  signal?: AbortSignal;
  /** Extra request headers, e.g. `If-Match` with the version the user edited (STYLE C9). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * A response contract: any zod schema, classic (`zod`) or `zod/mini` (the first load's contracts, for
 * size: bench/README.md). Every answer is checked against one.
 */
export type Contract<T> = $ZodType<T>;

/** The transport under the typed client: JSON in, zod-checked JSON out, `ApiError` on any failure. */
export interface Http {
  getJson<T>(path: string, schema: Contract<T>, options?: RequestOptions): Promise<T>;
  /**
   * POST/PUT/PATCH/DELETE with a JSON body; sends the double-submit CSRF token (the `csrf` cookie as
   * `x-csrf-token`). Pass `schema: null` for 204 answers.
   */
  sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: Contract<T> | null, options?: RequestOptions): Promise<T>;
  /** POST/PUT of raw bytes (a file, a recording chunk) with the CSRF token; the server checks the type from the bytes. */
  sendBlob<T>(method: 'POST' | 'PUT', path: string, body: Blob, contentType: string, schema: Contract<T>): Promise<T>;
  /**
   * POSTs JSON and reports upload progress (0-1) to `onProgress`. Tricky: `fetch` reports no upload
   * progress, so this one call uses XMLHttpRequest; failures are the same `ApiError`s as everywhere else.
   */
  postJsonWithProgress<T>(path: string, body: unknown, schema: Contract<T>, onProgress?: (sent: number) => void): Promise<T>;
}

/** The `csrf` cookie set at sign-in (readable by the page by design: double-submit token). */
export function csrfToken(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const match = /(?:^|;\s*)csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * True in a page without the session's readable twin (the `csrf` cookie, same lifetime): nobody is signed
 * in, so there is no account to ask the server about (asking would only log a 401 on every anonymous page).
 */
export function surelySignedOut(): boolean {
  return typeof document !== 'undefined' && csrfToken() === undefined;
}

function contractProblem(status: number, cause: unknown): ApiError {
  return new ApiError({ type: 'about:blank', title: 'Response does not match the contract', status, code: clientProblemCodes.responseInvalid }, { cause });
}

export function createHttp({ baseUrl = '', fetch: fetchImpl, acceptLanguage, onSessionEnded }: HttpOptions = {}): Http {
  // Tricky: call the global through a wrapper; a detached `window.fetch` throws "Illegal invocation".
  const doFetch: FetchLike = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));

  async function send(path: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('accept', 'application/json, application/problem+json');
    const language = acceptLanguage?.();
    if (language) headers.set('accept-language', language);
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, { ...init, headers, credentials: 'same-origin' });
    } catch (error) {
      // An abort is the caller's own decision, not a failure to report.
      if (init.signal?.aborted) throw error;
      throw new ApiError(networkProblem(), { cause: error });
    }
    // Only `auth.unauthenticated` means the session is gone; a wrong code or password is also a 401.
    if (response.status === 401 && onSessionEnded) {
      const problem = await readProblem(response.clone());
      if (problem.code === 'auth.unauthenticated') onSessionEnded();
    }
    return response;
  }

  async function parse<T>(response: Response, schema: Contract<T>, options: RequestOptions): Promise<T> {
    const accepted = response.ok || (options.acceptStatuses ?? []).includes(response.status);
    if (!accepted || isProblemResponse(response)) throw new ApiError(await readProblem(response));

    const body: unknown = await response.json().catch(() => undefined);
    const parsed = safeParse(schema, body);
    if (!parsed.success) throw contractProblem(response.status, parsed.error);
    return parsed.data;
  }

  function withCsrf(headers: Record<string, string>): Record<string, string> {
    const csrf = csrfToken();
    return csrf ? { ...headers, 'x-csrf-token': csrf } : headers;
  }

  return {
    async getJson<T>(path: string, schema: Contract<T>, options: RequestOptions = {}): Promise<T> {
      const init: RequestInit = { method: 'GET' };
      if (options.signal) init.signal = options.signal;
      return parse(await send(path, init), schema, options);
    },
    async sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: Contract<T> | null, options: RequestOptions = {}): Promise<T> {
      const headers = withCsrf({ ...options.headers });
      const init: RequestInit = { method, headers };
      if (body !== undefined) {
        // The server's text rule (no NUL, no unpaired surrogate; docs/security-input.md), checked before
        // sending, with the same pointers the server would give, so forms mark the same fields.
        const unsafe = unsafeTextPointers(body);
        if (unsafe.length > 0) {
          throw new ApiError({ type: 'about:blank', title: 'Request is invalid', status: 400, code: 'request.invalid', errors: unsafe.map((pointer) => ({ in: 'body' as const, pointer, detail: UNSAFE_TEXT_DETAIL })) });
        }
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
      if (options.signal) init.signal = options.signal;
      const response = await send(path, init);
      if (schema === null) {
        if (!response.ok) throw new ApiError(await readProblem(response));
        return undefined as T;
      }
      return parse(response, schema, options);
    },
    async sendBlob<T>(method: 'POST' | 'PUT', path: string, body: Blob, contentType: string, schema: Contract<T>): Promise<T> {
      return parse(await send(path, { method, headers: withCsrf({ 'content-type': contentType }), body }), schema, {});
    },
    postJsonWithProgress<T>(path: string, body: unknown, schema: Contract<T>, onProgress?: (sent: number) => void): Promise<T> {
      return new Promise<unknown>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${baseUrl}${path}`);
        xhr.withCredentials = true;
        const headers = withCsrf({ 'content-type': 'application/json', accept: 'application/json, application/problem+json' });
        const language = acceptLanguage?.();
        if (language) headers['accept-language'] = language;
        for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
        if (onProgress) {
          xhr.upload.onprogress = (e) => {
            if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
          };
        }
        xhr.onerror = () => reject(new ApiError(networkProblem()));
        xhr.onload = () => {
          if (xhr.status < 200 || xhr.status > 599) {
            reject(new ApiError(networkProblem()));
            return;
          }
          const contentType = xhr.getResponseHeader('content-type') ?? '';
          if (xhr.status < 300) {
            try {
              resolve(JSON.parse(xhr.responseText));
            } catch (error) {
              reject(new ApiError({ type: 'about:blank', title: 'Response is not JSON', status: xhr.status, code: clientProblemCodes.responseInvalid }, { cause: error }));
            }
            return;
          }
          void readProblem(new Response(xhr.responseText, { status: xhr.status, headers: { 'content-type': contentType } })).then((p) => reject(new ApiError(p)));
        };
        xhr.send(JSON.stringify(body));
      }).then((answer) => {
        const parsed = safeParse(schema, answer);
        if (!parsed.success) throw contractProblem(201, parsed.error);
        return parsed.data;
      });
    },
  };
}
