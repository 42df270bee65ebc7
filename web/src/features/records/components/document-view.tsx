import { useFormatDateTime, useT, type MessageKey } from '../../../i18n/index.js';
import type { ClinicalDocument, DocumentBody } from '../api.js';
import { TEXT_FIELDS, type TextField } from '../sheet-form.js';

/** The label of a text field; the summary is the conclusion of a written consultation. */
export function textFieldLabel(field: TextField, kind: ClinicalDocument['kind']): MessageKey {
  if (field === 'summary') return kind === 'consultation_report' ? 'records.field.conclusion' : 'records.field.summary';
  return `records.field.${field}`;
}

/**
 * A document's content, read-only: what the review step shows before signing and what the signed
 * document shows after. With `content` (signed) it also shows the patient, performer and times that
 * the signature covers.
 */
export function DocumentView({ doc, body }: { doc: ClinicalDocument; body: DocumentBody }) {
  const t = useT();
  const fmt = useFormatDateTime();
  const c = doc.content;
  return (
    <div className="document-view">
      {c ? (
        <dl className="document-view__facts">
          {c.subject ? (
            <>
              <dt>{t('records.view.patient')}</dt>
              <dd>
                {[c.subject.givenName, c.subject.middleName, c.subject.familyName].filter(Boolean).join(' ')} · {t(`records.view.identifier.${c.subject.identifierType}`)} {c.subject.identifier}
              </dd>
            </>
          ) : null}
          <dt>{t('records.view.performer')}</dt>
          <dd>
            {c.performer.givenName} {c.performer.familyName} · {t('records.view.uin', { uin: c.performer.uin })} · {c.performer.qualificationName} · {c.performer.facilityName}
          </dd>
          {c.examination.completedAt ? (
            <>
              <dt>{t('records.view.completedAt')}</dt>
              <dd>{fmt(new Date(c.examination.completedAt))}</dd>
            </>
          ) : null}
          <dt>{t('records.view.signedAt')}</dt>
          <dd>{fmt(new Date(c.signedAt))}</dd>
        </dl>
      ) : null}
      <dl className="document-view__body">
        <dt>{t('records.field.purpose')}</dt>
        <dd>{t(`records.purpose.${body.purpose}`)}</dd>
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
