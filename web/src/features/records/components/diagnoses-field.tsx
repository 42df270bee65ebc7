import { useId, useState } from 'react';
import { useT } from '../../../i18n/index.js';
import type { Diagnosis } from '../api.js';
import { addDiagnosis, makePrimary, removeDiagnosis } from '../sheet-form.js';
import { Icd10Combobox } from './icd10-combobox.js';

/**
 * The diagnoses of a sheet: picked from ICD-10 with the combobox, exactly one primary (a radio group:
 * the first picked is primary until another is chosen), any number of additional ones.
 */
export function DiagnosesField(props: { value: Diagnosis[]; onChange(update: (list: Diagnosis[]) => Diagnosis[]): void; error?: string; inputRef?: React.Ref<HTMLInputElement> }) {
  const t = useT();
  const ids = useId();
  const [announcement, setAnnouncement] = useState('');
  const errorId = props.error ? `${ids}-error` : undefined;

  return (
    <fieldset className="records-diagnoses" aria-describedby={errorId} aria-invalid={props.error ? true : undefined}>
      <legend>{t('records.field.diagnoses')}</legend>
      <Icd10Combobox
        inputRef={props.inputRef}
        invalid={Boolean(props.error)}
        describedBy={errorId}
        onPick={(entry) => {
          // A code already on the list is announced, not added twice.
          const duplicate = props.value.some((d) => d.code === entry.code);
          props.onChange((list) => addDiagnosis(list, entry) ?? list);
          setAnnouncement(duplicate ? t('records.diagnoses.duplicate', { code: entry.code }) : t('records.diagnoses.added', { code: entry.code, title: entry.titleBg }));
        }}
      />
      {props.error ? (
        <p id={errorId} className="field-error">
          {props.error}
        </p>
      ) : null}
      {props.value.length === 0 ? <p className="records-hint">{t('records.diagnoses.empty')}</p> : null}
      <ul className="records-diagnoses__list" aria-label={t('records.diagnoses.chosen')}>
        {props.value.map((d) => (
          <li key={d.code} className="records-diagnoses__item" data-rank={d.rank}>
            <span className="records-diagnoses__code">{d.code}</span>
            <span className="records-diagnoses__title">{d.title}</span>
            <label className="records-diagnoses__primary">
              <input
                type="radio"
                name={`${ids}-primary`}
                checked={d.rank === 'primary'}
                onChange={() => props.onChange((list) => makePrimary(list, d.code))}
                aria-label={t('records.diagnoses.primaryOf', { code: d.code })}
              />
              <span aria-hidden="true">{t('records.diagnoses.primary')}</span>
            </label>
            {d.rank === 'additional' ? <span className="records-diagnoses__rank">{t('records.diagnoses.additional')}</span> : null}
            <button type="button" className="records-link-button" onClick={() => props.onChange((list) => removeDiagnosis(list, d.code))} aria-label={t('records.diagnoses.remove', { code: d.code })}>
              {t('records.action.remove')}
            </button>
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </fieldset>
  );
}
