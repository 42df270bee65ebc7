/** SQLSTATE codes Distansia reacts to. */
export const PgCode = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  exclusionViolation: '23P01',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
  adminShutdown: '57P01',
  cannotConnectNow: '57P03',
  insufficientPrivilege: '42501',
  raiseException: 'P0001',
} as const;

export interface PgErrorInfo {
  code: string;
  constraint?: string;
  table?: string;
  /** HINT of a RAISE in a trigger; Distansia triggers put an error catalogue code there (e.g. records.sheet_required). */
  hint?: string;
}

/**
 * Finds the PostgreSQL error inside whatever wrapped it (drizzle wraps driver errors in `cause`).
 * @param err - any thrown value
 * @returns the SQLSTATE and constraint, or undefined when it is not a database error
 */
export function pgErrorOf(err: unknown): PgErrorInfo | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth += 1) {
    const candidate = e as { code?: unknown; constraint?: unknown; table?: unknown; hint?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return {
        code: candidate.code,
        constraint: typeof candidate.constraint === 'string' ? candidate.constraint : undefined,
        table: typeof candidate.table === 'string' ? candidate.table : undefined,
        hint: typeof candidate.hint === 'string' ? candidate.hint : undefined,
      };
    }
    e = candidate.cause;
  }
  return undefined;
}

/** True for errors that a single retry of the whole transaction may cure. */
export function isRetryable(err: unknown): boolean {
  const code = pgErrorOf(err)?.code;
  return code === PgCode.serializationFailure || code === PgCode.deadlockDetected;
}

/** True when the database itself is unreachable (not a query error). */
export function isConnectionError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === PgCode.adminShutdown || code === PgCode.cannotConnectNow) {
      return true;
    }
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
