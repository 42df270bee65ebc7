import { ProblemAlert } from '../../../api/problem-alert.js';
import { useT } from '../../../i18n/index.js';
import type { useFacilityOptions } from '../use-facility-options.js';

/**
 * The facility choice of the supervision screens: a name search over the directory (supervisors), the
 * list to choose from, and what to say when it is empty.
 */
export function FacilityPicker({ idPrefix, options, search, selected, onSelect, empty }: { idPrefix: string; options: ReturnType<typeof useFacilityOptions>; search: boolean; selected: string | undefined; onSelect: (id: string) => void; empty: string }) {
  const t = useT();
  return (
    <>
      {search ? (
        <div className="field">
          <label htmlFor={`${idPrefix}-search`}>{t('compliance.facilitySearch')}</label>
          <div className="compliance-search">
            <input id={`${idPrefix}-search`} type="search" value={options.query} onChange={(e) => options.setQuery(e.target.value)} />
            <button type="button" className="button button--secondary" onClick={() => options.search()}>
              {t('compliance.search')}
            </button>
          </div>
        </div>
      ) : null}
      {options.items.length > 0 ? (
        <div className="field">
          <label htmlFor={`${idPrefix}-facility`}>{t('compliance.facility')}</label>
          <select id={`${idPrefix}-facility`} value={selected ?? ''} onChange={(e) => onSelect(e.target.value)}>
            {options.items.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {options.loaded && options.items.length === 0 ? <p>{empty}</p> : null}
      {options.problem ? <ProblemAlert problem={options.problem} /> : null}
    </>
  );
}
