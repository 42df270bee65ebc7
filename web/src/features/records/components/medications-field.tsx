import { useT } from '../../../i18n/index.js';
import type { SheetForm } from '../sheet-form.js';

/**
 * The medication rows of a sheet: a name and a dosage each, added and removed by the specialist.
 * @param ids - the prefix of the inputs' ids (`${ids}-medications-${i}-name`), so a refusal can focus them
 * @param errors - field errors keyed `medications.${i}.name` / `.dosage`
 */
export function MedicationsField({ ids, form, errors, update }: { ids: string; form: SheetForm; errors: Record<string, string>; update: (fn: (f: SheetForm) => SheetForm) => void }) {
  const t = useT();
  const setRow = (i: number, part: 'name' | 'dosage', value: string) => update((f) => ({ ...f, medications: f.medications.map((x, k) => (k === i ? { ...x, [part]: value } : x)) }));
  return (
    <fieldset className="records-medications">
      <legend>{t('records.field.medications')}</legend>
      {form.medications.map((m, i) => {
        const nameErr = errors[`medications.${i}.name`];
        const dosageErr = errors[`medications.${i}.dosage`];
        return (
          <div key={i} className="records-medication">
            <div className="records-field">
              <label htmlFor={`${ids}-medications-${i}-name`}>{t('records.medication.name', { n: i + 1 })}</label>
              <input
                id={`${ids}-medications-${i}-name`}
                value={m.name}
                onChange={(e) => setRow(i, 'name', e.target.value)}
                aria-invalid={nameErr ? true : undefined}
                aria-describedby={nameErr ? `${ids}-medications-${i}-name-error` : undefined}
              />
              {nameErr ? (
                <p id={`${ids}-medications-${i}-name-error`} className="field-error">
                  {nameErr}
                </p>
              ) : null}
            </div>
            <div className="records-field">
              <label htmlFor={`${ids}-medications-${i}-dosage`}>{t('records.medication.dosage', { n: i + 1 })}</label>
              <input id={`${ids}-medications-${i}-dosage`} value={m.dosage} onChange={(e) => setRow(i, 'dosage', e.target.value)} aria-invalid={dosageErr ? true : undefined} />
              {dosageErr ? <p className="field-error">{dosageErr}</p> : null}
            </div>
            <button type="button" className="records-link-button" onClick={() => update((f) => ({ ...f, medications: f.medications.filter((_, k) => k !== i) }))}>
              {t('records.medication.remove', { n: i + 1 })}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="records-secondary"
        onClick={() => {
          update((f) => ({ ...f, medications: [...f.medications, { name: '', dosage: '' }] }));
          // Fast entry: the new row's name field takes the focus once it is rendered.
          const next = form.medications.length;
          window.setTimeout(() => document.getElementById(`${ids}-medications-${next}-name`)?.focus(), 0);
        }}
      >
        {t('records.medication.add')}
      </button>
    </fieldset>
  );
}
