import { fromDate } from '../../platform/clock.js';
import type { Prescription, Referral, Budget } from '../../contracts/referrals.js';
import type { Dispensation } from '../nhis/index.js';
import type { PrescriptionContent, ReferralContent } from './referrals.deps.js';
import type { PrescriptionRow, ReferralRow } from './referrals.repo.js';

const iso = (d: Date | string | null): string | null => (d === null ? null : fromDate(d instanceof Date ? d : new Date(d)).toString());

/**
 * W14: where and until when the patient can use the referral, in the reader's language.
 * @returns one sentence
 */
export function usableAtText(c: Pick<ReferralContent, 'form' | 'validUntil' | 'hospital'>, lang: 'bg' | 'en'): string {
  const until = c.validUntil ?? '';
  const bg: Record<ReferralContent['form'], string> = {
    '3': `При всеки специалист с договор с РЗОК в страната, до ${until} включително.`,
    '3A': `Изберете изпълнител с договор с РЗОК и запазете ден и час до ${until} включително.`,
    '4': `В лаборатория или диагностичен център с договор с РЗОК, до ${until} включително.`,
    '6': 'При всеки специалист от извънболничната помощ; консултацията по искане на ТЕЛК/ЛКК не може да бъде отказана.',
    '7': `В болница с договор с РЗОК за клинична пътека ${c.hospital?.clinicalPathway ?? ''}; прегледът в приемния блок до ${until} включително.`,
    '119a': 'Платено направление (МЗ 119а), при всеки изпълнител.',
  };
  const en: Record<ReferralContent['form'], string> = {
    '3': `With any specialist contracted with the RHIF, nationwide, until ${until} inclusive.`,
    '3A': `Choose a contracted provider and book a day and time until ${until} inclusive.`,
    '4': `At a contracted laboratory or diagnostic centre, until ${until} inclusive.`,
    '6': 'With any outpatient specialist; a consultation requested by TELK/LKK cannot be refused.',
    '7': `At a hospital contracted for clinical pathway ${c.hospital?.clinicalPathway ?? ''}; the admission exam until ${until} inclusive.`,
    '119a': 'Paid referral (form 119a), with any provider.',
  };
  return (lang === 'bg' ? bg : en)[c.form];
}

export function referralView(row: ReferralRow, c: ReferralContent, lang: 'bg' | 'en', budget?: Budget): Referral {
  return {
    id: row.id,
    revision: row.revision,
    replacesId: row.replaces_id,
    patientId: row.patient_id,
    encounterId: row.encounter_id,
    consultationId: c.encounter.consultationId,
    form: row.form,
    purpose: c.purpose,
    status: row.status,
    issuedOn: row.issued_on,
    validUntil: row.valid_until,
    nrn: row.nrn?.trim() ?? null,
    diagnosisCode: c.diagnosisCode,
    request: c.request,
    specialtyCode: c.specialtyCode,
    activityCodes: c.activityCodes,
    hospital: c.hospital ? { facilityId: c.hospital.facilityId, clinicalPathway: c.hospital.clinicalPathway } : null,
    issuer: { practitionerId: c.issuer.practitionerId, name: `${c.issuer.givenName} ${c.issuer.familyName}`, uin: c.issuer.uin, facilityId: c.issuer.facilityId, facilityName: c.issuer.facilityName },
    usableAt: usableAtText(c, lang),
    signature: { keyId: row.signing_key_id, signedAt: iso(row.signed_at) ?? '', contentSha256: row.content_sha256, jws: row.signature },
    nhisError: row.nhis_error,
    usedAt: iso(row.used_at),
    ...(budget ? { budget } : {}),
  };
}

export function prescriptionView(row: PrescriptionRow, c: PrescriptionContent, dispensations: Dispensation[]): Prescription {
  return {
    id: row.id,
    revision: row.revision,
    replacesId: row.replaces_id,
    patientId: row.patient_id,
    encounterId: row.encounter_id,
    kind: row.kind,
    status: row.status,
    issuedOn: row.issued_on,
    nrn: row.nrn?.trim() ?? null,
    diagnosisCode: c.diagnosisCode,
    lines: c.lines,
    protocolNumber: c.protocolNumber,
    issuer: { practitionerId: c.issuer.practitionerId, name: `${c.issuer.givenName} ${c.issuer.familyName}`, uin: c.issuer.uin, facilityId: c.issuer.facilityId, facilityName: c.issuer.facilityName },
    signature: { keyId: row.signing_key_id, signedAt: iso(row.signed_at) ?? '', contentSha256: row.content_sha256, jws: row.signature },
    nhisError: row.nhis_error,
    dispensations,
  };
}
