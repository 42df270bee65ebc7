import { ProblemSchema, type FieldIssue, type Problem } from '../../../src/contracts/problem.js';

export { ProblemSchema };
export type { FieldIssue, Problem };

/**
 * Codes the web client assigns itself when there is no problem document from the server. They share
 * the `problem.code` namespace so `<ProblemAlert>` can localise them like server codes.
 */
export const clientProblemCodes = {
  /** The request never got an HTTP response (offline, DNS, connection refused). */
  networkUnreachable: 'network.unreachable',
  /** A response arrived but did not match the contract. */
  responseInvalid: 'response.invalid',
} as const;

/** Thrown by the API client for every failed call; carries the problem to show or map onto fields. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly problem: Problem,
    options?: { cause?: unknown },
  ) {
    super(`${problem.code}: ${problem.title}`, options);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** True when the response declares an RFC 9457 problem document (any parameters ignored). */
export function isProblemResponse(response: Response): boolean {
  const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/problem+json';
}

/**
 * Reads a failed response as a `Problem`. A valid `application/problem+json` body is used as sent;
 * anything else (an HTML page from a proxy, a malformed body) becomes a problem derived from the
 * HTTP status, so callers always get the same shape.
 */
export async function readProblem(response: Response): Promise<Problem> {
  if (isProblemResponse(response)) {
    const body: unknown = await response.json().catch(() => undefined);
    const parsed = ProblemSchema.safeParse(body);
    if (parsed.success) return parsed.data;
  }
  return problemFromStatus(response.status, response.statusText);
}

/** A problem for a response that carried no usable problem document. */
export function problemFromStatus(status: number, statusText = ''): Problem {
  return {
    // RFC 9457 §4.2.1: with "about:blank" the title is the HTTP status phrase.
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    status,
    code: codeForStatus(status),
  };
}

function codeForStatus(status: number): string {
  switch (status) {
    case 401:
      return 'auth.unauthenticated';
    case 403:
      return 'auth.forbidden';
    case 404:
      return 'resource.not_found';
    case 413:
      return 'request.too_large';
    case 429:
      return 'rate.limited';
    case 502:
    case 503:
    case 504:
      return 'dependency.unavailable';
    default:
      return status >= 500 ? 'internal' : clientProblemCodes.responseInvalid;
  }
}

/** A problem for a call that got no HTTP response at all. */
export function networkProblem(): Problem {
  return { type: 'about:blank', title: 'Network error', status: 0, code: clientProblemCodes.networkUnreachable };
}

/** Turns anything a call may throw into a problem to display. */
export function problemFromError(error: unknown): Problem {
  if (isApiError(error)) return error.problem;
  return { type: 'about:blank', title: 'Unexpected error', status: 0, code: 'internal' };
}
