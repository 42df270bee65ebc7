import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useApi } from '../../../api/api-context.js';
import { useT } from '../../../i18n/index.js';
import type { Icd10Entry } from '../api.js';

/** How long typing pauses before a search is sent (the server answers in ~2 ms; this spares requests). */
const DEBOUNCE_MS = 120;

export interface Icd10ComboboxProps {
  /** Called with the option the user picked (Enter, or a click). */
  onPick(entry: Icd10Entry): void;
  /** Id of a hint or error the input is described by. */
  describedBy?: string;
  invalid?: boolean;
  /** Lets the editor move focus here (e.g. to the first field the server refused). */
  inputRef?: React.Ref<HTMLInputElement>;
}

/**
 * ICD-10 search as you type, as an ARIA 1.2 combobox with a listbox popup ("list autocomplete with
 * automatic selection"): the first result is the active option, ↓/↑ move through the results, Enter
 * picks the active one, Escape closes the list (and clears the text when it is already closed). Each
 * option shows the code and the Bulgarian and English titles. Focus stays in the input, so several
 * diagnoses are entered without touching the mouse.
 */
export function Icd10Combobox({ onPick, describedBy, invalid, inputRef }: Icd10ComboboxProps) {
  const t = useT();
  const api = useApi();
  const ids = useId();
  const listId = `${ids}-list`;
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Icd10Entry[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [state, setState] = useState<'idle' | 'searching' | 'done' | 'failed'>('idle');
  const latest = useRef(0);
  // Enter pressed before the answer to the latest keystroke arrived: pick its first result on arrival.
  const pickOnArrival = useRef(false);
  // Tricky: a search answer may arrive after a re-render; it must call the newest `onPick`.
  const onPickRef = useRef(onPick);
  useEffect(() => {
    onPickRef.current = onPick;
  });

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setItems([]);
      setOpen(false);
      setState('idle');
      return;
    }
    const seq = ++latest.current;
    const abort = new AbortController();
    setState('searching');
    const timer = window.setTimeout(() => {
      api.records.searchIcd10(q, 12, abort.signal).then(
        (found) => {
          // Concurrency: an answer to an older query never replaces a newer one.
          if (seq !== latest.current) return;
          if (pickOnArrival.current && found[0]) {
            pickOnArrival.current = false;
            pick(found[0]);
            return;
          }
          pickOnArrival.current = false;
          setItems(found);
          setActive(found.length > 0 ? 0 : -1);
          setOpen(true);
          setState('done');
        },
        () => {
          if (seq !== latest.current || abort.signal.aborted) return;
          setItems([]);
          setOpen(true);
          setState('failed');
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      abort.abort();
    };
  }, [api, query]);

  useEffect(() => {
    if (open && active >= 0) document.getElementById(`${ids}-opt-${active}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [open, active, ids]);

  function pick(entry: Icd10Entry) {
    onPickRef.current(entry);
    latest.current += 1;
    setQuery('');
    setItems([]);
    setOpen(false);
    setActive(-1);
    setState('idle');
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (items.length === 0) return;
        if (!open) {
          setOpen(true);
          setActive(0);
        } else setActive((a) => (a + 1) % items.length);
        return;
      case 'ArrowUp':
        e.preventDefault();
        if (items.length === 0) return;
        if (!open) {
          setOpen(true);
          setActive(items.length - 1);
        } else setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
        return;
      case 'Enter': {
        // Tricky: Enter in the search never submits the surrounding form, even with no result to pick.
        if (!query.trim()) return;
        e.preventDefault();
        // Stale results of an earlier query are never picked: wait for the current one.
        if (state === 'searching') {
          pickOnArrival.current = true;
          return;
        }
        const entry = open ? items[active] : undefined;
        if (entry) pick(entry);
        return;
      }
      case 'Escape':
        if (open) {
          e.preventDefault();
          setOpen(false);
        } else if (query) {
          e.preventDefault();
          setQuery('');
        }
        return;
      case 'Tab':
        setOpen(false);
        return;
      default:
        return;
    }
  }

  const expanded = open && query.trim() !== '';
  const activeId = expanded && active >= 0 && items[active] ? `${ids}-opt-${active}` : undefined;
  return (
    <div className="icd10-combobox">
      <label htmlFor={`${ids}-input`}>{t('records.icd10.label')}</label>
      <input
        id={`${ids}-input`}
        ref={inputRef}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={activeId}
        aria-describedby={[`${ids}-hint`, describedBy].filter(Boolean).join(' ')}
        aria-invalid={invalid || undefined}
        value={query}
        onChange={(e) => {
          pickOnArrival.current = false;
          setQuery(e.target.value);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <p id={`${ids}-hint`} className="records-hint">
        {t('records.icd10.hint')}
      </p>
      <ul id={listId} role="listbox" aria-label={t('records.icd10.results')} className="icd10-combobox__list" hidden={!expanded || items.length === 0}>
        {items.map((entry, i) => (
          <li
            key={entry.code}
            id={`${ids}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            className="icd10-combobox__option"
            // Tricky: keep the focus in the input while the mouse button is down, so blur does not close the list first.
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setActive(i)}
            onClick={() => pick(entry)}
          >
            <span className="icd10-combobox__code">{entry.code}</span>{' '}
            <span className="icd10-combobox__title" lang="bg">
              {entry.titleBg}
            </span>
            {entry.titleEn ? ' ' : null}
            {entry.titleEn ? (
              <span className="icd10-combobox__title-en" lang="en">
                {entry.titleEn}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status" aria-live="polite">
        {expanded && state === 'done' ? (items.length > 0 ? t('records.icd10.count', { n: items.length }) : t('records.icd10.none')) : ''}
        {expanded && state === 'failed' ? t('records.icd10.failed') : ''}
      </p>
      {expanded && state === 'done' && items.length === 0 ? <p className="records-hint">{t('records.icd10.none')}</p> : null}
      {expanded && state === 'failed' ? <p className="field-error">{t('records.icd10.failed')}</p> : null}
    </div>
  );
}
