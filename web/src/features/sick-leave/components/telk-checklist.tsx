import { Badge } from '../../../components/ui.js';
import { useT, type MessageKey } from '../../../i18n/index.js';
import type { TelkCase } from '../api.js';
import { useFormatDay } from '../format.js';

export const CHECKLIST = ['identity_document', 'current_address_certificate', 'medical_documents', 'last_12_months_tests', 'previous_telk_decision', 'diseases_list', 'medications_list', 'parent_identity_document'] as const;

/** The TELK clock in words (R-TELK-01/02): requested, earliest and due days, and the June/December pause. */
export function TelkClock({ c }: { c: TelkCase }) {
  const t = useT();
  const day = useFormatDay();
  return (
    <div className="sl-clock" data-testid="telk-clock">
      <p>{t('sickLeave.telk.clock', { requested: day(c.requestedOn), earliest: day(c.earliestOn), due: day(c.dueOn) })}</p>
      {c.clockSuspended ? <p>{t('sickLeave.mine.telkSuspended')}</p> : null}
      {c.scheduledOn ? <p>{t('sickLeave.telk.scheduled', { day: day(c.scheduledOn) })}</p> : null}
      {c.completedOn ? <Badge tone="ok">{t('sickLeave.telk.completed')}</Badge> : <Badge tone="info">{t('sickLeave.telk.preparing')}</Badge>}
    </div>
  );
}

/** The document bundle (R-TELK-10): what is there and what is still missing; `onToggle` makes it editable. */
export function TelkChecklist({ c, onToggle }: { c: TelkCase; onToggle?: (key: string, value: boolean) => void }) {
  const t = useT();
  const items = CHECKLIST.filter((k) => c.checklist[k] !== undefined || c.missing.includes(k));
  return (
    <ul className="sl-checklist" aria-label={t('sickLeave.mine.checklist')}>
      {items.map((k) => {
        const done = !c.missing.includes(k);
        const label = t(`sickLeave.check.${k}` as MessageKey);
        return (
          <li key={k} className={done ? 'sl-checklist__done' : 'sl-checklist__missing'}>
            {onToggle ? (
              <label>
                <input type="checkbox" checked={c.checklist[k] === true} onChange={(e) => onToggle(k, e.target.checked)} /> {label}
              </label>
            ) : (
              <>
                <span aria-hidden="true">{done ? '✔' : '○'}</span> {label} <span className="visually-hidden">{done ? t('sickLeave.telk.have') : t('sickLeave.telk.missing')}</span>
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}
