import type { DocumentBody, DocumentKind } from './records.js';
import type { FieldIssue } from './problem.js';

/*
 * What a clinical document needs before it is signed. Pure, shared by the server (which refuses to sign)
 * and the web editor (which warns on the check-your-answers step before the second factor is asked).
 */

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

/** The text sections a template fills with prompts ("ЕКГ: "), in the order the editor shows them. */
const TEXT_SECTIONS = ['question', 'anamnesis', 'objectiveFindings', 'testsReviewed', 'therapy', 'recommendations', 'followUp', 'summary'] as const;
export type TextSection = (typeof TEXT_SECTIONS)[number];

/** A template prompt left unanswered: the section and the prompt as written ("ЕКГ:"). */
export interface EmptyTemplateLine {
  section: TextSection;
  line: string;
}

/**
 * Template prompts with nothing after them ("ЕКГ: ", "Давност:"): signed as they are, they say the
 * doctor looked and found nothing, which the doctor did not write (docs/records.md). Not an error: the
 * editor warns, and the author removes the line or fills it in.
 * @param body - the draft's content
 * @returns the unanswered prompts, section by section
 */
export function emptyTemplateLines(body: Partial<Pick<DocumentBody, TextSection>>): EmptyTemplateLine[] {
  const out: EmptyTemplateLine[] = [];
  for (const section of TEXT_SECTIONS) {
    for (const raw of (body[section] ?? '').split('\n')) {
      const line = raw.trim();
      // A short label ending in a colon, with nothing after it.
      if (/^[^:]{1,80}:$/u.test(line)) out.push({ section, line });
    }
  }
  return out;
}
