import type { DocumentBody, DocumentKind } from '../../contracts/records.js';
import type { FieldIssue } from '../../platform/errors/app-error.js';

/**
 * What a document needs before it can be signed, and which document closes which service. Pure.
 */

/**
 * R-TM-40: the document that closes a service — an ambulatory sheet when the patient (or their
 * representative) requested it, a written consultation when a specialist did.
 * @param requesterKind - who requested the service
 * @returns the closing document kind
 */
export function closingKind(requesterKind: 'patient' | 'representative' | 'specialist'): 'ambulatory_sheet' | 'consultation_report' {
  return requesterKind === 'specialist' ? 'consultation_report' : 'ambulatory_sheet';
}

const need = (field: string, detail: string): FieldIssue => ({ in: 'body', pointer: `#/body/${field}`, detail });

/**
 * The problems that stop signing (empty when the document may be signed).
 * Regulatory: Art. 20(1) — the sheet carries the results recorded in the NHIS (X003 needs at least one
 * ICD-10 diagnosis, §2.4); exactly one diagnosis is primary.
 * @param kind - the document kind
 * @param body - the content
 * @returns field issues with JSON pointers into the body
 */
export function signingIssues(kind: DocumentKind, body: DocumentBody): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const primaries = body.diagnoses.filter((d) => d.rank === 'primary').length;
  const codes = body.diagnoses.map((d) => d.code);
  if (new Set(codes).size !== codes.length) issues.push(need('diagnoses', 'each diagnosis once'));
  switch (kind) {
    case 'ambulatory_sheet':
      if (primaries !== 1) issues.push(need('diagnoses', 'exactly one primary diagnosis'));
      if (!body.anamnesis) issues.push(need('anamnesis', 'required'));
      if (!body.objectiveFindings && !body.testsReviewed) issues.push(need('objectiveFindings', 'findings or the tests reviewed are required'));
      if (!body.recommendations && !body.therapy) issues.push(need('recommendations', 'recommendations or therapy are required'));
      break;
    case 'consultation_report':
      if (primaries !== 1) issues.push(need('diagnoses', 'exactly one primary diagnosis'));
      if (!body.summary) issues.push(need('summary', 'the conclusion of the consultation is required'));
      break;
    case 'patient_information':
      if (primaries > 1) issues.push(need('diagnoses', 'at most one primary diagnosis'));
      if (!body.summary) issues.push(need('summary', 'the information for the patient is required'));
      break;
    default: {
      const never: never = kind;
      return never;
    }
  }
  return issues;
}
