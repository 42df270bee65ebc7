import { BannerView } from '../../patient/components/patient-banner.js';
import type { Examination } from '../api.js';

/** The patient banner of an examination (DESIGN: on every clinical screen); the reveal needs a request. */
export function ExamBanner({ exam, compact = false }: { exam: Examination; compact?: boolean }) {
  const p = exam.patient;
  const banner = {
    requestId: exam.requestId ?? exam.encounterId,
    patientId: p.id,
    givenName: p.givenName,
    middleName: p.middleName,
    familyName: p.familyName,
    sex: p.sex,
    birthDate: p.birthDate,
    ageYears: p.ageYears,
    identifierKind: p.identifierKind,
    identifierMasked: p.identifierMasked,
    representative: null,
    reason: null,
    medicines: null,
  };
  return <BannerView banner={banner} compact={compact} reveal={exam.requestId !== null} />;
}
