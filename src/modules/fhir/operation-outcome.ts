import { errorCatalog, type ErrorCode } from '../../platform/errors/catalog.js';
import type { Lang } from '../../platform/errors/problem.js';

/**
 * Errors at `/fhir/R4` as OperationOutcome (FHIR R4 §3.1.0.4 "http"), with the HTTP status of the one
 * problem catalogue (STYLE C4): the same code gives the same status here and at `/api/v1`.
 */

/** FHIR IssueType for an HTTP status (http://hl7.org/fhir/issue-type). */
function issueType(status: number): string {
  if (status === 400 || status === 422) return 'invalid';
  if (status === 401) return 'login';
  if (status === 403) return 'forbidden';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 406 || status === 415) return 'not-supported';
  if (status === 409 || status === 412) return 'conflict';
  if (status === 413) return 'too-costly';
  if (status === 429) return 'throttled';
  if (status === 503) return 'transient';
  return 'exception';
}

/**
 * @param code - the catalogue code
 * @param lang - the language of the text
 * @param detail - the safe detail, if any
 * @param expression - FHIRPath-ish locations of field errors (e.g. the search parameter)
 * @returns the HTTP status and the OperationOutcome
 */
export function operationOutcomeOf(code: ErrorCode, lang: Lang, detail?: string, expression?: string[]): { status: number; body: Record<string, unknown> } {
  const entry = errorCatalog[code];
  return {
    status: entry.status,
    body: {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'error',
          code: issueType(entry.status),
          details: { coding: [{ system: 'https://errors.distansia.bg', code }], text: entry.title[lang] },
          ...(detail ? { diagnostics: detail } : {}),
          ...(expression?.length ? { expression } : {}),
        },
      ],
    },
  };
}
