import { useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useDocumentTitle, useLanguage, useT } from '../../../i18n/index.js';
import type { DirectoryFacilitySummary, DirectorySearchQuery, ReferenceData } from '../api.js';
import { Price, SlotTime } from '../components/slot-time.js';
import { browserTimeZone, SLOT_WINDOW_DAYS, windowFrom } from '../format.js';
import { useResource } from '../../../api/use-resource.js';
import { useReference } from '../hooks.js';
import { regionName, specialistName, specialtyName } from '../names.js';
import '../directory.css';

const PAGE_SIZE = 10;
const MAX_LIMIT = 50;

type Mode = 'synchronous' | 'asynchronous';
type Sort = 'name' | 'earliest';

/** The search form's values, as kept in the URL (so Back and shared links keep the search). */
interface Filters {
  specialty: string;
  region: string;
  ekatte: string;
  q: string;
  mode: '' | Mode;
  soon: boolean;
  sort: Sort;
}

function readFilters(params: URLSearchParams): Filters {
  const mode = params.get('mode');
  return {
    specialty: params.get('specialty') ?? '',
    region: params.get('region') ?? '',
    ekatte: params.get('ekatte') ?? '',
    q: params.get('q') ?? '',
    mode: mode === 'synchronous' || mode === 'asynchronous' ? mode : '',
    soon: params.get('soon') === '1',
    sort: params.get('sort') === 'earliest' ? 'earliest' : 'name',
  };
}

function writeFilters(f: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (f.specialty) params.set('specialty', f.specialty);
  if (f.region) params.set('region', f.region);
  if (/^\d{5}$/.test(f.ekatte.trim())) params.set('ekatte', f.ekatte.trim());
  if (f.q.trim().length >= 2) params.set('q', f.q.trim());
  if (f.mode) params.set('mode', f.mode);
  if (f.soon) params.set('soon', '1');
  if (f.sort === 'earliest') params.set('sort', 'earliest');
  return params;
}

/** The API query for the filters; `freeBefore` is the end of the 7-day window from `now`. */
export function toSearchQuery(f: Filters, now: Date, limit: number): DirectorySearchQuery {
  return {
    ...(f.specialty ? { specialty: f.specialty } : {}),
    ...(f.region ? { region: f.region } : {}),
    ...(/^\d{5}$/.test(f.ekatte) ? { ekatte: f.ekatte } : {}),
    ...(f.q.length >= 2 ? { q: f.q } : {}),
    ...(f.mode ? { mode: f.mode } : {}),
    ...(f.soon ? { freeBefore: windowFrom(now).to } : {}),
    limit,
  };
}

/** Earliest free slot first; facilities without one last, then by name (the server's order). */
export function sortFacilities(items: readonly DirectoryFacilitySummary[], sort: Sort): DirectoryFacilitySummary[] {
  if (sort === 'name') return [...items];
  return [...items].sort((a, b) => {
    if (a.earliestFreeSlot === b.earliestFreeSlot) return 0;
    if (a.earliestFreeSlot === null) return 1;
    if (b.earliestFreeSlot === null) return -1;
    return Date.parse(a.earliestFreeSlot) - Date.parse(b.earliestFreeSlot);
  });
}

/** "Find a specialist": the public directory search (Art. 15, R-TM-32); no sign-in needed. */
export function DirectorySearchPage() {
  const t = useT();
  const { language } = useLanguage();
  useDocumentTitle(t('directory.title'));
  const [params, setParams] = useSearchParams();
  const applied = useMemo(() => readFilters(params), [params]);
  const [draft, setDraft] = useState<Filters>(applied);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const [now] = useState(() => new Date());
  const [userZone] = useState(browserTimeZone);
  const reference = useReference();

  const query = toSearchQuery(applied, now, limit);
  const results = useResource(`directory/search/${JSON.stringify(query)}`, (api, signal) => api.directory.search(query, { signal }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setLimit(PAGE_SIZE);
    setParams(writeFilters(draft));
  }

  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <div className="page directory-page">
      <h1>{t('directory.title')}</h1>
      <p className="lead">{t('directory.lead')}</p>

      <form className="directory-form" role="search" aria-label={t('directory.form.label')} onSubmit={submit}>
        <div className="field">
          <label htmlFor="directory-specialty">{t('directory.form.specialty')}</label>
          <select id="directory-specialty" value={draft.specialty} onChange={(e) => set('specialty', e.target.value)}>
            <option value="">{t('directory.form.any')}</option>
            {specialtyOptions(reference, draft.specialty, language).map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="directory-region">{t('directory.form.region')}</label>
          <select id="directory-region" value={draft.region} onChange={(e) => set('region', e.target.value)}>
            <option value="">{t('directory.form.any')}</option>
            {regionOptions(reference, draft.region, language).map((o) => (
              <option key={o.code} value={o.code}>
                {o.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="directory-ekatte">{t('directory.form.settlement')}</label>
          <input
            id="directory-ekatte"
            inputMode="numeric"
            pattern="\d{5}"
            maxLength={5}
            autoComplete="off"
            aria-describedby="directory-ekatte-hint"
            value={draft.ekatte}
            onChange={(e) => set('ekatte', e.target.value)}
          />
          <p id="directory-ekatte-hint" className="field__hint">
            {t('directory.form.settlementHint')}
          </p>
        </div>
        <div className="field">
          <label htmlFor="directory-q">{t('directory.form.name')}</label>
          <input id="directory-q" type="search" minLength={2} maxLength={100} aria-describedby="directory-q-hint" value={draft.q} onChange={(e) => set('q', e.target.value)} />
          <p id="directory-q-hint" className="field__hint">
            {t('directory.form.nameHint')}
          </p>
        </div>
        <fieldset className="field directory-form__mode">
          <legend>{t('directory.form.mode')}</legend>
          {(['', 'synchronous', 'asynchronous'] as const).map((mode) => (
            <label key={mode || 'any'} className="choice">
              <input type="radio" name="mode" value={mode} checked={draft.mode === mode} onChange={() => set('mode', mode)} />
              {mode ? t(`directory.mode.${mode}`) : t('directory.form.anyMode')}
            </label>
          ))}
        </fieldset>
        <label className="choice">
          <input type="checkbox" checked={draft.soon} onChange={(e) => set('soon', e.target.checked)} />
          {t('directory.form.soon', { days: SLOT_WINDOW_DAYS })}
        </label>
        <div className="field">
          <label htmlFor="directory-sort">{t('directory.form.sort')}</label>
          <select id="directory-sort" value={draft.sort} onChange={(e) => set('sort', e.target.value === 'earliest' ? 'earliest' : 'name')}>
            <option value="name">{t('directory.form.sort.name')}</option>
            <option value="earliest">{t('directory.form.sort.earliest')}</option>
          </select>
        </div>
        <button type="submit" className="button">
          {t('directory.form.submit')}
        </button>
      </form>

      <section className="directory-results" aria-labelledby="directory-results-heading" aria-busy={results.state === 'loading'}>
        <h2 id="directory-results-heading">{t('directory.results.title')}</h2>
        {results.state === 'loading' ? <p role="status">{t('directory.results.loading')}</p> : null}
        {results.state === 'problem' ? <ProblemAlert problem={results.problem} /> : null}
        {results.state === 'ready' ? (
          <>
            <p role="status" className="directory-muted">
              {results.value.items.length === 0 ? t('directory.results.none') : t('directory.results.count', { count: results.value.items.length })}
            </p>
            <ul className="facility-cards" role="list">
              {sortFacilities(results.value.items, applied.sort).map((facility) => (
                <li key={facility.id}>
                  <FacilityCard facility={facility} filters={applied} reference={reference} userZone={userZone} />
                </li>
              ))}
            </ul>
            {results.value.hasMore && limit < MAX_LIMIT ? (
              <button type="button" className="button button--secondary" onClick={() => setLimit((l) => Math.min(MAX_LIMIT, l + PAGE_SIZE))}>
                {t('directory.results.more')}
              </button>
            ) : null}
          </>
        ) : null}
      </section>
    </div>
  );
}

function specialtyOptions(reference: ReferenceData | null, selected: string, language: 'bg' | 'en') {
  const options = (reference?.specialties ?? []).filter((s) => !s.dental).map((s) => ({ code: s.code, name: language === 'bg' ? s.nameBg : s.nameEn }));
  options.sort((a, b) => a.name.localeCompare(b.name, language));
  // Keep a value from the URL selectable before (or without) the reference list.
  if (selected && !options.some((o) => o.code === selected)) options.unshift({ code: selected, name: specialtyName(reference, selected, language) });
  return options;
}

function regionOptions(reference: ReferenceData | null, selected: string, language: 'bg' | 'en') {
  const options = (reference?.regions ?? []).map((r) => ({ code: r.code, name: language === 'bg' ? r.nameBg : r.nameEn }));
  options.sort((a, b) => a.name.localeCompare(b.name, language));
  if (selected && !options.some((o) => o.code === selected)) options.unshift({ code: selected, name: regionName(reference, selected, language) });
  return options;
}

interface FacilityCardProps {
  facility: DirectoryFacilitySummary;
  filters: Filters;
  reference: ReferenceData | null;
  userZone: string;
}

/** One facility in the results, with its specialists and services for the searched specialty and mode. */
function FacilityCard({ facility, filters, reference, userZone }: FacilityCardProps) {
  const t = useT();
  const { language } = useLanguage();
  const page = useResource(`directory/facility/${facility.id}`, (api, signal) => api.directory.facility(facility.id, { signal }));
  const headingId = `facility-${facility.id}`;
  const link = `/directory/facilities/${facility.id}${filters.specialty ? `?specialty=${filters.specialty}` : ''}`;

  const services =
    page.state === 'ready'
      ? page.value.services.filter((s) => (!filters.specialty || s.specialtyCode === filters.specialty) && (!filters.mode || s.mode === filters.mode))
      : [];
  const serviceIds = new Set(services.map((s) => s.id));
  const specialists = page.state === 'ready' ? page.value.specialists.filter((s) => s.services.some((x) => serviceIds.has(x.serviceId))) : [];

  return (
    <article className="card facility-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="facility-card__title">
        <Link to={link} state={{ directorySearch: window.location.search }}>
          {facility.name}
        </Link>
      </h3>
      <p className="facility-card__place">
        {facility.settlement}, {facility.address} · {regionName(reference, facility.regionCode, language)}
      </p>
      <p className="facility-card__tags">
        {facility.specialtyCodes
          .filter((c) => !filters.specialty || c === filters.specialty)
          .map((c) => (
            <span key={c} className="tag">
              {specialtyName(reference, c, language)}
            </span>
          ))}
        {facility.modes
          .filter((m) => !filters.mode || m === filters.mode)
          .map((m) => (
            <span key={m} className="tag tag--mode">
              {t(`directory.mode.${m}`)}
            </span>
          ))}
      </p>
      <p className="facility-card__slot">
        <strong>{t('directory.earliest')}</strong>{' '}
        {facility.earliestFreeSlot ? <SlotTime instant={facility.earliestFreeSlot} userZone={userZone} /> : t('directory.earliest.none')}
      </p>
      {page.state === 'ready' ? (
        <>
          {specialists.length > 0 ? (
            <p className="facility-card__people">
              <strong>{t('directory.specialists')}</strong> {specialists.map(specialistName).join(', ')}
            </p>
          ) : null}
          {services.length > 0 ? (
            <ul className="facility-card__services" role="list" aria-label={t('directory.services')}>
              {services.map((s) => (
                <li key={s.id}>
                  <span>{s.name}</span> <span className="directory-muted">({t(`directory.mode.${s.mode}`)})</span> –{' '}
                  <strong>
                    <Price service={s} />
                  </strong>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
    </article>
  );
}
