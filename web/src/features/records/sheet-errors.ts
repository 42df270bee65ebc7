import type { Problem } from '../../api/problem.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import type { RequestWithAppointment } from '../requests/api.js';
import type { ClosingKind } from './api.js';
import { fieldOfPointer, type SheetForm } from './sheet-form.js';

/**
 * Before completion there is no deadline to name the document kind yet; the rule is the server's
 * R-TM-40 (a patient's or representative's request closes with an ambulatory sheet, a specialist's
 * with a written consultation), which the server enforces again on every write.
 */
export function closingKindOf(requesterKind: RequestWithAppointment['request']['requester']['kind']): ClosingKind {
  return requesterKind === 'specialist' ? 'consultation_report' : 'ambulatory_sheet';
}

/** Field issues of a refused save or signature, keyed `anamnesis`, `diagnoses`, `medications.0.name`. */
export function fieldErrors(problem: Problem | undefined, sent: SheetForm | undefined, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  if (!problem || !sent) return out;
  for (const issue of problem.errors ?? []) {
    const ref = fieldOfPointer(issue.pointer, sent);
    if (!ref) continue;
    const key = ref.field === 'medications' ? `medications.${ref.row}.${ref.part ?? 'name'}` : ref.field;
    const incomplete = problem.code === 'records.incomplete' && ref.field !== 'medications';
    out[key] ??= incomplete ? t(`records.incomplete.${ref.field}` as MessageKey) : t('records.field.invalid');
  }
  return out;
}
