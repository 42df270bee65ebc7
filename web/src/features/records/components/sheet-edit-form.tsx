import { useEffect, useId, useRef } from 'react';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { ClosingKind, SheetTemplate } from '../api.js';
import { PURPOSES, type TextField } from '../sheet-form.js';
import type { SheetDraft } from '../use-sheet-draft.js';
import { ConflictPanel } from './conflict-panel.js';
import { DiagnosesField } from './diagnoses-field.js';
import { textFieldLabel } from './document-view.js';
import { MedicationsField } from './medications-field.js';
import { TemplatePicker } from './template-picker.js';

/**
 * The draft being written: the fields of the document in the NHIS order, the save state, and the way on
 * to the review. After a refused signature the first field to fix takes the focus.
 */
export function SheetEditForm({ draft, kind, title, templates, specialtyCode }: { draft: SheetDraft; kind: ClosingKind; title: string; templates: SheetTemplate[]; specialtyCode: string | undefined }) {
  const t = useT();
  const fmt = useFormatDateTime();
  const ids = useId();
  const diagnosisInput = useRef<HTMLInputElement>(null);
  const { doc, form, errors, update, focusError, errorFocused } = draft;

  useEffect(() => {
    if (!focusError) return;
    errorFocused();
    const first = Object.keys(errors)[0];
    if (!first) return;
    if (first === 'diagnoses') diagnosisInput.current?.focus();
    else document.getElementById(`${ids}-${first.replace(/\./g, '-')}`)?.focus();
  }, [focusError, errorFocused, errors, ids]);

  if (!doc || !form) return null;

  const textArea = (field: TextField, rows = 4) => {
    const id = `${ids}-${field}`;
    const err = errors[field];
    return (
      <div className="records-field">
        <label htmlFor={id}>{t(textFieldLabel(field, kind))}</label>
        <textarea
          id={id}
          rows={rows}
          value={form.text[field]}
          onChange={(e) => {
            const value = e.target.value;
            update((f) => ({ ...f, text: { ...f.text, [field]: value } }));
          }}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? `${id}-error` : undefined}
        />
        {err ? (
          <p id={`${id}-error`} className="field-error">
            {err}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form className="records-form" onSubmit={(e) => e.preventDefault()} noValidate aria-label={title}>
      {doc.replacesId ? <p className="records-note">{t('records.correction.editing', { revision: doc.revision - 1 })}</p> : null}
      {draft.problem ? <ProblemAlert problem={draft.problem} /> : null}
      {draft.conflict ? <ConflictPanel busy={draft.busy} onResolve={(keep) => void draft.resolveConflict(keep)} /> : null}
      <TemplatePicker templates={templates} specialtyCode={specialtyCode} form={form} update={update} />

      <div className="records-field">
        <label htmlFor={`${ids}-purpose`}>{t('records.field.purpose')}</label>
        <select id={`${ids}-purpose`} value={form.purpose} onChange={(e) => update((f) => ({ ...f, purpose: PURPOSES.find((p) => p === e.target.value) ?? f.purpose }))}>
          {PURPOSES.map((p) => (
            <option key={p} value={p}>
              {t(`records.purpose.${p}`)}
            </option>
          ))}
        </select>
      </div>
      {kind === 'consultation_report' ? textArea('question', 3) : null}
      {textArea('anamnesis', 5)}
      {textArea('objectiveFindings', 4)}
      <DiagnosesField value={form.diagnoses} onChange={(fn) => update((f) => ({ ...f, diagnoses: fn(f.diagnoses) }))} error={errors.diagnoses} inputRef={diagnosisInput} />
      {textArea('testsReviewed', 3)}
      {textArea('therapy', 3)}
      <MedicationsField ids={ids} form={form} errors={errors} update={update} />
      {textArea('recommendations', 3)}
      {textArea('followUp', 2)}
      {textArea('summary', kind === 'consultation_report' ? 5 : 3)}

      <div className="records-actions records-actions--sticky">
        <button type="button" className="records-secondary" onClick={() => void draft.save(true)} disabled={draft.saveState === 'saving'} aria-keyshortcuts="Control+S Meta+S">
          {t('records.editor.save')}
        </button>
        <button type="button" className="button" onClick={() => void draft.toReview()} disabled={draft.busy || draft.conflict}>
          {t('records.editor.review')}
        </button>
        {doc.replacesId ? (
          <button type="button" className="records-link-button" onClick={() => void draft.discardCorrection()}>
            {t('records.correction.discard')}
          </button>
        ) : null}
        <span className="records-save-state" role="status" data-testid="save-state" data-state={draft.dirty ? 'dirty' : draft.saveState}>
          {draft.saveState === 'saving'
            ? t('records.editor.saving')
            : draft.dirty
              ? t('records.editor.unsaved')
              : draft.saveState === 'saved'
                ? t('records.editor.savedAt', { at: fmt(new Date(doc.updatedAt)) })
                : ''}
        </span>
      </div>
      <p className="records-hint">{t('records.editor.keys')}</p>
    </form>
  );
}
