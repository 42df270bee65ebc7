import { whenFormatter } from './format-when.js';
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import {
  allMessagesLoaded,
  defaultLanguage,
  formatMessage,
  isLanguage,
  languageReady,
  loadAllMessages,
  loadLanguage,
  locales,
  lookupMessage,
  onMessagesLoaded,
  type Language,
  type MessageKey,
} from './catalogue.js';

/** Where the chosen language is remembered between visits. */
export const languageStorageKey = 'distansia.language';

/** The part of `Storage` the provider needs, so tests can pass their own. */
export type LanguageStorage = Pick<Storage, 'getItem' | 'setItem'>;

export type Translate = (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;

interface I18nContextValue {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18nContextValue | null>(null);

function browserStorage(): LanguageStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    // Tricky: some privacy modes throw on access; the switch then lasts only for the page's lifetime.
    return undefined;
  }
}

function readStoredLanguage(storage: LanguageStorage | undefined): Language {
  try {
    const stored = storage?.getItem(languageStorageKey);
    return isLanguage(stored) ? stored : defaultLanguage;
  } catch {
    return defaultLanguage;
  }
}

/**
 * Before the first render: loads the stored language's strings when they are not in the first load
 * (English), so an English visitor never sees an empty header.
 * @param storage - defaults to `window.localStorage`
 * @returns resolves when the strings are here, or when loading them failed (the provider asks again)
 */
export function startI18n(storage: LanguageStorage | undefined = browserStorage()): Promise<void> {
  return loadLanguage(readStoredLanguage(storage)).catch(() => undefined);
}

export interface I18nProviderProps {
  children: ReactNode;
  /** Overrides the stored choice, e.g. in tests. */
  initialLanguage?: Language;
  /** Defaults to `window.localStorage`. */
  storage?: LanguageStorage;
}

/**
 * Holds the interface language: Bulgarian unless the user chose otherwise on this device. Keeps
 * `<html lang>` in step so screen readers pronounce the text correctly.
 */
export function I18nProvider({ children, initialLanguage, storage }: I18nProviderProps) {
  const store = storage ?? browserStorage();
  const [language, setLanguageState] = useState<Language>(() => initialLanguage ?? readStoredLanguage(store));

  useLayoutEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const setLanguage = useCallback(
    (next: Language) => {
      const apply = () => {
        setLanguageState(next);
        try {
          store?.setItem(languageStorageKey, next);
        } catch {
          // Storage full or blocked: the choice still applies to this page.
        }
      };
      // English strings are not in the first load: switch once they are here, never to an empty screen.
      if (languageReady(next)) apply();
      else void loadLanguage(next).then(apply, () => undefined);
    },
    [store],
  );

  // The catalogue grows once the features' strings arrive; a new `t` makes every screen render with them.
  const [generation, setGeneration] = useState(() => (allMessagesLoaded() ? 1 : 0));
  useEffect(() => onMessagesLoaded(() => setGeneration((g) => g + 1)), []);

  const value = useMemo<I18nContextValue>(() => {
    void generation;
    const t: Translate = (key, vars) => {
      const template = lookupMessage(language, key);
      if (template !== undefined) return formatMessage(template, vars);
      // A feature's string asked for before its catalogue loaded (route loaders normally wait for it), or
      // an English page opened before the English strings (`startI18n` normally waits for them): empty for
      // this render, filled in when they arrive.
      void (languageReady(language) ? loadAllMessages() : loadLanguage(language).catch(() => undefined));
      return '';
    };
    return { language, setLanguage, t };
  }, [language, setLanguage, generation]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

function useI18nContext(): I18nContextValue {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useT and useLanguage must be used inside <I18nProvider>.');
  return context;
}

/** The translate function for the current language. */
export function useT(): Translate {
  return useI18nContext().t;
}

/** The current language and the setter used by the language switch. */
export function useLanguage(): { language: Language; setLanguage: (language: Language) => void } {
  const { language, setLanguage } = useI18nContext();
  return { language, setLanguage };
}

/**
 * Formats an instant as weekday, date and time in Europe/Sofia ("пн, 7 декември, 10:00").
 * Time zone: always explicit, never the browser's zone (STYLE C19).
 */
export function useFormatDateTime(): (instant: Date) => string {
  const { language } = useI18nContext();
  return useMemo(() => {
    // Dates as people say them: "пн, 7 декември, 10:00", no seconds (docs/design.md).
    return whenFormatter(locales[language]);
  }, [language]);
}
