import type { ReactNode } from 'react';
import { useT, type MessageKey } from '../../../i18n/index.js';
import type { ClinicalDocument, DocumentBody } from '../api.js';
import { TEXT_FIELDS, type TextField } from '../sheet-form.js';
import './document-view.css';

/** The label of a text field; the summary is the conclusion of a written consultation. */
export function textFieldLabel(field: TextField, kind: ClinicalDocument['kind']): MessageKey {
  if (field === 'summary') return kind === 'consultation_report' ? 'records.field.conclusion' : 'records.field.summary';
  return `records.field.${field}`;
}

/**
 * A clinical document's content, read-only, the one way every screen shows it: the review step before
 * signing, the signed document in the editor, and the patient's health record. The screen puts what it
 * knows about the document around it (`children` come first: the patient, performer and times that a
 * signature covers).
 * @param doc - the document (its kind names the fields)
 * @param body - the content to show: the draft's or the signed one
 */
export function DocumentView({ doc, body, children }: { doc: ClinicalDocument; body: DocumentBody; children?: ReactNode }) {
  const t = useT();
  return (
    <div className="document-view">
      {children}
      <dl className="document-view__body">
        {doc.kind === 'patient_information' ? null : (
          <>
            <dt>{t('records.field.purpose')}</dt>
            <dd>{t(`records.purpose.${body.purpose}`)}</dd>
          </>
        )}
        {body.diagnoses.length > 0 ? (
          <>
            <dt>{t('records.field.diagnoses')}</dt>
            <dd>
              <ul className="document-view__list">
                {body.diagnoses.map((d) => (
                  <li key={d.code}>
                    <strong>{d.code}</strong> {d.title} ({t(d.rank === 'primary' ? 'records.diagnoses.primary' : 'records.diagnoses.additional')})
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {TEXT_FIELDS.filter((f) => body[f]).map((f) => (
          <div key={f} className="document-view__row">
            <dt>{t(textFieldLabel(f, doc.kind))}</dt>
            <dd className="document-view__text">{body[f]}</dd>
          </div>
        ))}
        {body.medications.length > 0 ? (
          <>
            <dt>{t('records.field.medications')}</dt>
            <dd>
              <ul className="document-view__list">
                {body.medications.map((m, i) => (
                  <li key={i}>
                    {m.name}
                    {m.dosage ? ` — ${m.dosage}` : ''}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}
