import type { Budget, CreateReferralBody, Referral } from './api.js';

/*
 * The referral form's logic without React: which purposes each form takes, the rules explained while
 * the doctor types (the server decides; these only say early what it will say), and the request body.
 * Rule sources: R-REF-01..15 (§2.C), НРД 2006 R-35..48.
 */

export type Form = CreateReferralBody['form'];
export type Purpose = CreateReferralBody['purpose'];
export type Basis = CreateReferralBody['basis'];
export type EncounterKind = 'remote' | 'in_person' | 'phone' | 'home';

export const FORMS: readonly Form[] = ['3', '3A', '4', '6', '7', '119a'];
export const BASES: readonly Basis[] = ['clinical_need', 'patient_wish', 'ordered_elsewhere', 'relatives_or_media'];

/** The purposes a form is for: № 6 carries the TELK/ЛКК ones (R-REF-08), 119а the paid ones (R-REF-11). */
export const PURPOSES: Record<Form, readonly Purpose[]> = {
  '3': ['consultation', 'joint_treatment'],
  '3A': ['highly_specialised'],
  '4': ['tests'],
  '6': ['telk', 'sick_leave_extension', 'assistive_device_lkk'],
  '7': ['hospitalisation'],
  '119a': ['consultation', 'tests', 'noi_rehabilitation'],
};

/** The form's fields as typed (strings, as the inputs hold them). */
export interface ReferralDraft {
  form: Form;
  purpose: Purpose;
  basis: Basis;
  independentlyJudgedNecessary: boolean;
  diagnosisCode: string;
  request: string;
  specialtyCode: string;
  /** Comma- or space-separated activity or test codes. */
  activityCodes: string;
  hospitalFacilityId: string;
  clinicalPathway: string;
  code: string;
}

export const emptyDraft = (): ReferralDraft => ({ form: '3', purpose: 'consultation', basis: 'clinical_need', independentlyJudgedNecessary: false, diagnosisCode: '', request: '', specialtyCode: '', activityCodes: '', hospitalFacilityId: '', clinicalPathway: '', code: '' });

/** Which optional fields a form shows. */
export function fieldsOf(form: Form): { specialty: boolean; activities: boolean; hospital: boolean } {
  return { specialty: form === '3' || form === '3A', activities: form === '4' || form === '3A', hospital: form === '7' };
}

/** A hint shown while typing: its message key and the rule it explains (kept for tests, never shown). */
export interface Hint {
  key: 'refIssue.hint.phone' | 'refIssue.hint.basis' | 'refIssue.hint.validity' | 'refIssue.hint.form6' | 'refIssue.hint.noLimit' | 'refIssue.hint.paid' | 'refIssue.hint.specialty' | 'refIssue.hint.hospital';
  rule: string;
  tone: 'info' | 'warn';
  values?: Record<string, string>;
}

/**
 * The rules that apply to what is typed so far, in words.
 * @param d - the draft
 * @param encounterKind - how the patient was seen (null while unknown)
 * @param validUntil - the last valid day if issued today (null for forms without a limit)
 * @returns the hints, warnings first
 */
export function hintsFor(d: ReferralDraft, encounterKind: EncounterKind | null, validUntil: string | null): Hint[] {
  const out: Hint[] = [];
  const f = fieldsOf(d.form);
  // R-REF-15: no referral to another doctor or hospital after a phone consultation (№ 4 and 119а stay).
  if (encounterKind === 'phone' && ['3', '3A', '6', '7'].includes(d.form)) out.push({ key: 'refIssue.hint.phone', rule: 'R-REF-15', tone: 'warn' });
  // R-REF-10: the patient's wish, another doctor's order or the media are not reasons on their own.
  if (d.basis !== 'clinical_need' && !d.independentlyJudgedNecessary) out.push({ key: 'refIssue.hint.basis', rule: 'R-REF-10', tone: 'warn' });
  // R-REF-08: TELK and ЛКК consultations go on № 6.
  if (d.form === '6') out.push({ key: 'refIssue.hint.form6', rule: 'R-REF-08', tone: 'info' });
  if (d.form === '119a') out.push({ key: 'refIssue.hint.paid', rule: 'R-REF-11', tone: 'info' });
  if (f.specialty && !/^\d{4}$/.test(d.specialtyCode)) out.push({ key: 'refIssue.hint.specialty', rule: 'R-39', tone: 'info' });
  if (f.hospital) out.push({ key: 'refIssue.hint.hospital', rule: 'R-REF-07', tone: 'info' });
  // R-REF-01/03/04/05: 30 calendar days; day 31 is refused.
  if (validUntil) out.push({ key: 'refIssue.hint.validity', rule: 'R-REF-01', tone: 'info', values: { date: validUntil } });
  else out.push({ key: 'refIssue.hint.noLimit', rule: 'R-REF-01', tone: 'info' });
  return out;
}

/** The last valid day of a form issued on `today` (YYYY-MM-DD): 30 calendar days after, none for № 6 and 119а. */
export function validUntilOf(form: Form, today: string): string | null {
  if (form === '6' || form === '119a') return null;
  const d = new Date(`${today}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 30);
  return d.toISOString().slice(0, 10);
}

/** The budget line for a form: the 80 % warning is `warning`, `exhausted` refuses. */
export function budgetFor(budgets: readonly Budget[] | undefined, form: Form): Budget | undefined {
  return budgets?.find((b) => b.form === form && b.level !== 'none');
}

/**
 * The request body from the draft, for a remote consultation's request or a recorded visit.
 * @param from - `{ requestId }` or `{ encounterId }`
 * @returns the body (checked against the contract before it is sent)
 */
/** A correction starts from the signed version it replaces (everything but the basis and the code). */
export function draftFrom(r: Referral): ReferralDraft {
  return { ...emptyDraft(), form: r.form, purpose: r.purpose, diagnosisCode: r.diagnosisCode, request: r.request, specialtyCode: r.specialtyCode ?? '', activityCodes: r.activityCodes.join(', '), hospitalFacilityId: r.hospital?.facilityId ?? '', clinicalPathway: r.hospital?.clinicalPathway ?? '' };
}

export function referralBody(d: ReferralDraft, from: { requestId: string } | { encounterId: string }): CreateReferralBody {
  const f = fieldsOf(d.form);
  const codes = d.activityCodes.split(/[\s,;]+/).map((c) => c.trim()).filter(Boolean);
  return {
    ...from,
    form: d.form,
    purpose: d.purpose,
    basis: d.basis,
    independentlyJudgedNecessary: d.basis !== 'clinical_need' && d.independentlyJudgedNecessary,
    diagnosisCode: d.diagnosisCode.trim().toUpperCase(),
    request: d.request.trim(),
    ...(f.specialty ? { specialtyCode: d.specialtyCode.trim() } : {}),
    ...(f.activities && codes.length ? { activityCodes: codes } : {}),
    ...(f.hospital ? { hospitalFacilityId: d.hospitalFacilityId.trim(), clinicalPathway: d.clinicalPathway.trim() } : {}),
    code: d.code.trim(),
  };
}

/** The rules a refusal names (`meta.rules`), for explaining each one. */
export function refusalsOf(meta: Record<string, unknown> | undefined): { rule: string; code: string; detail: string }[] {
  const rules = meta?.['rules'];
  return Array.isArray(rules) ? (rules as { rule: string; code: string; detail: string }[]).filter((r) => typeof r.code === 'string') : [];
}

/** What a field needs, said before sending (the contract's limits, in words). */
export type FieldIssueKey = 'refIssue.error.diagnosis' | 'refIssue.error.request' | 'refIssue.error.specialty' | 'refIssue.error.activities' | 'refIssue.error.pathway' | 'refIssue.error.hospital' | 'refIssue.error.code' | 'refIssue.error.lines' | 'refIssue.error.line';

const ICD10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/;

/** The ICD-10 code and the signing code, shared by both documents. */
export function commonIssues(diagnosisCode: string, code: string): Partial<Record<'diagnosisCode' | 'code', FieldIssueKey>> {
  return {
    ...(ICD10.test(diagnosisCode.trim().toUpperCase()) ? {} : { diagnosisCode: 'refIssue.error.diagnosis' as const }),
    ...(/^\d{6}$/.test(code.trim()) ? {} : { code: 'refIssue.error.code' as const }),
  };
}

/**
 * The fields of a referral draft that cannot be sent yet, each with what it needs.
 * @returns field name → message key (empty when the draft can be signed)
 */
export function referralIssues(d: ReferralDraft): Partial<Record<keyof ReferralDraft, FieldIssueKey>> {
  const f = fieldsOf(d.form);
  const codes = d.activityCodes.split(/[\s,;]+/).filter(Boolean);
  return {
    ...commonIssues(d.diagnosisCode, d.code),
    ...(d.request.trim().length >= 3 ? {} : { request: 'refIssue.error.request' as const }),
    ...(f.specialty && !/^\d{4}$/.test(d.specialtyCode) ? { specialtyCode: 'refIssue.error.specialty' as const } : {}),
    ...(f.activities && codes.length > 10 ? { activityCodes: 'refIssue.error.activities' as const } : {}),
    ...(f.hospital && !d.clinicalPathway.trim() ? { clinicalPathway: 'refIssue.error.pathway' as const } : {}),
    ...(f.hospital && !d.hospitalFacilityId ? { hospitalFacilityId: 'refIssue.error.hospital' as const } : {}),
  };
}
