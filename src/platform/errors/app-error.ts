import type { ErrorCode } from './catalog.js';

/** One field-level problem, in RFC 9457's errors/pointer shape. */
export interface FieldIssue {
  in: 'body' | 'query' | 'params' | 'headers';
  pointer: string;
  detail: string;
}

export interface AppErrorOptions {
  detail?: string;
  cause?: unknown;
  errors?: FieldIssue[];
  /** Safe, non-personal data for the client (e.g. `retryAfterSeconds`). */
  meta?: Record<string, unknown>;
  /** HTTP headers the transport should add (e.g. Retry-After). */
  headers?: Record<string, string>;
}

/**
 * The only error type domain code throws. It carries a catalogue code, never an HTTP status (STYLE C4).
 */
export class AppError extends Error {
  readonly detail: string | undefined;
  readonly errors: FieldIssue[] | undefined;
  readonly meta: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ErrorCode,
    opts: AppErrorOptions = {},
  ) {
    super(opts.detail ?? code, { cause: opts.cause });
    this.name = 'AppError';
    this.detail = opts.detail;
    this.errors = opts.errors;
    this.meta = opts.meta;
    this.headers = opts.headers;
  }
}

export class NotFoundError extends AppError {
  constructor(
    readonly kind: string,
    readonly id: string,
  ) {
    super('resource.not_found', { detail: `${kind} not found`, meta: { kind } });
  }
}

export class InvalidTransitionError extends AppError {
  constructor(
    readonly from: string,
    readonly to: string,
  ) {
    super('state.bad_transition', { detail: `Cannot go from ${from} to ${to}`, meta: { from, to } });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'Not allowed') {
    super('auth.forbidden', { detail });
  }
}

export class RuleViolation extends AppError {
  constructor(
    readonly rule: string,
    detail: string,
    errors?: FieldIssue[],
  ) {
    super('rule.violated', { detail, errors, meta: { rule } });
  }
}
