import { useLanguage, useT } from '../../../i18n/index.js';
import type { Problem } from '../../../api/problem.js';
import type { ReferenceData } from '../api.js';
import { Field } from '../../../components/form.js';

/** The specialties as `<option>`s, sorted by name in the interface language, each with its CL006 code. */
export function SpecialtyOptions({ reference }: { reference: ReferenceData | null }) {
  const { language } = useLanguage();
  const sorted = [...(reference?.specialties ?? [])].sort((a, b) => (language === 'bg' ? a.nameBg.localeCompare(b.nameBg, 'bg') : a.nameEn.localeCompare(b.nameEn, 'en')));
  return (
    <>
      {sorted.map((s) => (
        <option key={s.code} value={s.code}>
          {language === 'bg' ? s.nameBg : s.nameEn} ({s.code})
        </option>
      ))}
    </>
  );
}

/** A required choice of one or more specialties (`#/specialtyCodes` of the request body). */
export function SpecialtiesField({ label, reference, problem, codes, onChange }: { label: string; reference: ReferenceData | null; problem: Problem | undefined; codes: string[]; onChange: (codes: string[]) => void }) {
  const t = useT();
  return (
    <Field label={label} pointer="#/specialtyCodes" problem={problem} hint={t('registryAdmin.spec.specialtiesHint')}>
      {(c) => (
        <select {...c} multiple required size={6} value={codes} onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
          <SpecialtyOptions reference={reference} />
        </select>
      )}
    </Field>
  );
}
