import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Problem } from '../../contracts/problem.js';
import { AppError, type FieldIssue } from './app-error.js';
import { errorCatalog, isErrorCode, type ErrorCode } from './catalog.js';
import { isConnectionError, pgErrorOf, PgCode } from '../db/pg-errors.js';

export const PROBLEM_TYPE_BASE = 'https://errors.distansia.bg/';

export type Lang = 'bg' | 'en';

/** Bulgarian unless the client prefers English (the product's default language is Bulgarian). */
export function negotiateLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'bg';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'bg';
}

/**
 * Builds the RFC 9457 body for a catalogue code.
 * @param code - the catalogue code
 * @param lang - the language of the title
 * @param extra - detail, field errors, request id, safe metadata
 * @returns the problem document; its `status` always equals the HTTP status sent
 */
export function problemOf(
  code: ErrorCode,
  lang: Lang,
  extra: { detail?: string; errors?: FieldIssue[]; requestId?: string; meta?: Record<string, unknown> } = {},
): Problem {
  const entry = errorCatalog[code];
  return {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: entry.title[lang],
    status: entry.status,
    code,
    ...(extra.detail ? { detail: extra.detail } : {}),
    ...(extra.requestId ? { instance: `urn:request:${extra.requestId}` } : {}),
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
    ...(extra.meta ? { meta: extra.meta } : {}),
  };
}

const validationPart: Record<string, FieldIssue['in']> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/** Maps anything thrown to a catalogue code; the single place that knows HTTP (STYLE C4). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const part = validationPart[(err as { validationContext?: string }).validationContext ?? 'body'] ?? 'body';
    return new AppError('request.invalid', {
      detail: 'The request does not match the contract',
      errors: err.validation.map((v) => ({ in: part, pointer: `#${v.instancePath}`, detail: v.message ?? 'invalid' })),
    });
  }
  const fe = err as Partial<FastifyError>;
  if (fe && typeof fe === 'object' && typeof fe.statusCode === 'number' && fe.statusCode < 500) {
    if (fe.statusCode === 413) return new AppError('request.too_large', { cause: err });
    if (fe.statusCode === 429) return new AppError('rate.limited', { cause: err });
    if (fe.statusCode === 404) return new AppError('resource.not_found', { cause: err });
    // Malformed JSON, unsupported media type, missing body: the client's fault, said plainly.
    return new AppError('request.invalid', { detail: fe.message, cause: err });
  }
  const pg = pgErrorOf(err);
  if (pg?.code === PgCode.exclusionViolation) return new AppError('appointment.slot_taken', { cause: err });
  if (pg?.code === PgCode.uniqueViolation) return new AppError('resource.conflict', { cause: err, meta: pg.constraint ? { constraint: pg.constraint } : undefined });
  // A trigger that refuses a change names the catalogue code in its HINT (migrations/0010_records.sql).
  if (pg?.code === PgCode.raiseException && pg.hint && isErrorCode(pg.hint)) return new AppError(pg.hint, { cause: err });
  if (isConnectionError(err)) return new AppError('dependency.unavailable', { cause: err, detail: 'The service is temporarily unavailable' });
  // STYLE C4: a serialization failure or deadlock that its one retry (withTransaction) did not cure is
  // contention, not a bug: the client may try again later.
  if (pg?.code === PgCode.serializationFailure || pg?.code === PgCode.deadlockDetected) return new AppError('dependency.unavailable', { cause: err, detail: 'The database is busy; try again' });
  return new AppError('internal', { cause: err });
}

/**
 * Installs the only error handler.
 * @param app - the Fastify instance
 */
export function registerProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler(async (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(err);
    const status = errorCatalog[appError.code].status;
    if (status >= 500) {
      // Security: 5xx bodies are generic; the cause is logged with the request id only.
      req.log.error({ err: isResponseSerializationError(err as Error) ? { message: 'response serialization failed' } : err, code: appError.code }, 'request failed');
    } else {
      req.log.info({ code: appError.code }, 'request refused');
    }
    const lang = negotiateLang(req.headers['accept-language']);
    const body = problemOf(appError.code, lang, {
      detail: status >= 500 ? (appError.code === 'internal' ? 'An unexpected error occurred' : appError.detail) : appError.detail,
      errors: appError.errors,
      requestId: req.id,
      meta: status >= 500 ? undefined : appError.meta,
    });
    for (const [k, v] of Object.entries(appError.headers ?? {})) void reply.header(k, v);
    return reply.code(status).type('application/problem+json').send(body);
  });

}

/** The 404 answer for unknown routes, as a problem document. */
export async function sendNotFound(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const lang = negotiateLang(req.headers['accept-language']);
  return reply
    .code(404)
    .type('application/problem+json')
    .send(problemOf('resource.not_found', lang, { detail: 'No such route', requestId: req.id }));
}
