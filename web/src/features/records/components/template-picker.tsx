import { useId, useState } from 'react';
import { useLanguage, useT } from '../../../i18n/index.js';
import type { SheetTemplate } from '../api.js';
import { applyTemplate, type SheetForm } from '../sheet-form.js';

/**
 * Templates of the service's specialty (and general ones): the specialist picks one and fills the empty
 * fields from it; what is already written stays. Nothing is shown when there are none.
 * @param templates - the templates offered
 * @param specialtyCode - the service's specialty; its own template is chosen first
 * @param form - the form on the screen
 * @param update - applies a change to the form (so it autosaves like typing)
 */
export function TemplatePicker({ templates, specialtyCode, form, update }: { templates: SheetTemplate[]; specialtyCode: string | undefined; form: SheetForm; update: (fn: (f: SheetForm) => SheetForm) => void }) {
  const t = useT();
  const ids = useId();
  const { language } = useLanguage();
  const [chosen, setChosen] = useState<string>();
  const [note, setNote] = useState('');
  if (templates.length === 0) return null;
  const templateId = chosen ?? (templates.find((x) => x.specialtyCode === specialtyCode) ?? templates[0])?.id ?? '';

  function apply() {
    const tpl = templates.find((x) => x.id === templateId);
    if (!tpl) return;
    const result = applyTemplate(form, tpl);
    if (result.filled.length > 0) update(() => result.form);
    setNote(t('records.template.applied', { filled: result.filled.length, kept: result.kept.length }));
  }

  return (
    <div className="records-template">
      <div className="records-field">
        <label htmlFor={`${ids}-template`}>{t('records.template.label')}</label>
        <select id={`${ids}-template`} value={templateId} onChange={(e) => setChosen(e.target.value)}>
          {templates.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name[language]}
            </option>
          ))}
        </select>
      </div>
      <button type="button" className="records-secondary" onClick={apply}>
        {t('records.template.apply')}
      </button>
      <p className="records-hint" role="status">
        {note}
      </p>
    </div>
  );
}
