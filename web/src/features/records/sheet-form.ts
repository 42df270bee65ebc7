import type { Diagnosis, DocumentBody, DocumentBodyInput, Icd10Entry, SheetTemplate } from './api.js';

/**
 * The sheet editor's form state and its mapping to and from the document body (pure, no React). Text
 * fields are kept as typed strings so nothing the specialist wrote is lost when the server refuses a save.
 */

export type Purpose = DocumentBody['purpose'];
export const PURPOSES: readonly Purpose[] = ['consultation', 'prophylaxis', 'dispensary', 'expertise', 'other'];

/** The free-text fields of DocumentBodySchema, in the editor's (and the NHIS X003's) order. */
export const TEXT_FIELDS = ['question', 'anamnesis', 'objectiveFindings', 'testsReviewed', 'therapy', 'recommendations', 'followUp', 'summary'] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface MedicationRow {
  name: string;
  dosage: string;
}

export interface SheetForm {
  purpose: Purpose;
  text: Record<TextField, string>;
  diagnoses: Diagnosis[];
  medications: MedicationRow[];
}

export function formFromBody(body: DocumentBody): SheetForm {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, body[f] ?? ''])) as Record<TextField, string>;
  return {
    purpose: body.purpose,
    text,
    diagnoses: body.diagnoses.map((d) => ({ ...d })),
    medications: body.medications.map((m) => ({ name: m.name, dosage: m.dosage ?? '' })),
  };
}

const filled = (s: string) => s.trim() !== '';

/** Indexes (in the form) of the medication rows that are sent: rows with anything typed in them. */
export function sentMedicationRows(form: SheetForm): number[] {
  return form.medications.flatMap((m, i) => (filled(m.name) || filled(m.dosage) ? [i] : []));
}

/**
 * The body to save: empty text fields are left out, and medication rows with nothing typed are dropped.
 * A row with a dosage but no name is sent as it is, so the server names the field to fix.
 */
export function bodyFromForm(form: SheetForm): DocumentBodyInput {
  const body: DocumentBodyInput = { purpose: form.purpose, diagnoses: form.diagnoses, medications: [] };
  for (const f of TEXT_FIELDS) if (filled(form.text[f])) body[f] = form.text[f];
  body.medications = sentMedicationRows(form).map((i) => {
    const m = form.medications[i] as MedicationRow;
    return filled(m.dosage) ? { name: m.name, dosage: m.dosage } : { name: m.name };
  });
  return body;
}

/**
 * Applies a template into the fields that are still empty; text already written is never overwritten.
 * The purpose is taken from the template only while the sheet is still blank.
 * @returns the new form and which fields were filled or kept
 */
export function applyTemplate(form: SheetForm, template: SheetTemplate): { form: SheetForm; filled: TextField[]; kept: TextField[] } {
  const blank = TEXT_FIELDS.every((f) => !filled(form.text[f]));
  const text = { ...form.text };
  const done: TextField[] = [];
  const kept: TextField[] = [];
  for (const f of TEXT_FIELDS) {
    const value = template.body[f];
    if (typeof value !== 'string' || !filled(value)) continue;
    if (filled(text[f])) kept.push(f);
    else {
      text[f] = value;
      done.push(f);
    }
  }
  const purpose = blank && template.body.purpose ? template.body.purpose : form.purpose;
  return { form: { ...form, purpose, text }, filled: done, kept };
}

/**
 * Adds a diagnosis picked from the ICD-10 list: the first becomes the primary one, later ones
 * additional. The Bulgarian title is kept, as the signed document is in Bulgarian.
 * @returns the new list, or null when the code is already there
 */
export function addDiagnosis(list: readonly Diagnosis[], entry: Icd10Entry): Diagnosis[] | null {
  if (list.some((d) => d.code === entry.code)) return null;
  const rank = list.some((d) => d.rank === 'primary') ? 'additional' : 'primary';
  return [...list, { code: entry.code, title: entry.titleBg, rank, clinicalStatus: 'active', verificationStatus: 'confirmed' }];
}

/** Makes one diagnosis the primary one; every other becomes additional (exactly one primary). */
export function makePrimary(list: readonly Diagnosis[], code: string): Diagnosis[] {
  return list.map((d) => ({ ...d, rank: d.code === code ? 'primary' : 'additional' }));
}

/** Removes a diagnosis; when it was the primary one, the first remaining becomes primary. */
export function removeDiagnosis(list: readonly Diagnosis[], code: string): Diagnosis[] {
  const rest = list.filter((d) => d.code !== code);
  if (rest.length > 0 && !rest.some((d) => d.rank === 'primary')) return makePrimary(rest, (rest[0] as Diagnosis).code);
  return rest;
}

/** Where a problem's field issue points in the form. */
export type FieldRef = { field: TextField | 'purpose' | 'diagnoses' } | { field: 'medications'; row: number; part: 'name' | 'dosage' | null };

/**
 * Maps a JSON pointer from the server (`#/body/anamnesis`, `#/body/medications/0/name`) to a form field.
 * @param pointer - the problem's `errors[].pointer`
 * @param form - the form that was sent (medication indexes refer to the rows sent)
 * @returns the field, or null for pointers outside the body
 */
export function fieldOfPointer(pointer: string, form: SheetForm): FieldRef | null {
  const m = /^#\/body\/(\w+)(?:\/(\d+)(?:\/(\w+))?)?/.exec(pointer);
  if (!m?.[1]) return null;
  const field = m[1];
  if (field === 'medications') {
    const sent = m[2] === undefined ? undefined : sentMedicationRows(form)[Number(m[2])];
    return { field: 'medications', row: sent ?? -1, part: m[3] === 'name' || m[3] === 'dosage' ? m[3] : null };
  }
  if (field === 'purpose' || field === 'diagnoses' || (TEXT_FIELDS as readonly string[]).includes(field)) return { field: field as TextField | 'purpose' | 'diagnoses' };
  return null;
}
