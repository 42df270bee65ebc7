import type { MessageKey } from './messages.js';
import { shellBg } from './shell-messages.js';
import { uiMessages } from '../components/messages.js';

export type { MessageKey };

/** Languages the interface is offered in, Bulgarian first. */
export const languages = ['bg', 'en'] as const;
export type Language = (typeof languages)[number];

/** Bulgarian is the language of the service; English is offered for foreigners and visiting staff. */
export const defaultLanguage: Language = 'bg';

/** BCP 47 locales for `Intl` formatting, per interface language. */
export const locales: Record<Language, string> = { bg: 'bg-BG', en: 'en-GB' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * The strings the running app has: the shell's and the design system's from the start; every feature's once
 * `messages.ts` has loaded. Performance: the features' catalogues are most of the
 * strings' weight and stay out of the first load (docs/design-system.md, bench/README.md).
 */
const live: Record<Language, Partial<Record<MessageKey, string>>> = {
  bg: { ...shellBg, ...uiMessages.bg },
  // The shell's English strings arrive with `loadLanguage('en')` (performance: not in the first load).
  en: { ...uiMessages.en },
};
let complete = false;
let loading: Promise<void> | undefined;
let englishShell: Promise<void> | undefined;
let englishShellLoaded = false;
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

/** Completes the live catalogue with the whole one (`messages.ts`): from then on every key is there. */
export function registerMessages(all: Record<Language, Record<MessageKey, string>>): void {
  Object.assign(live.bg, all.bg);
  Object.assign(live.en, all.en);
  complete = true;
  notify();
}

/** Whether the shell's strings of a language are here: Bulgarian always, English once loaded. */
export function languageReady(language: Language): boolean {
  return language === 'bg' || complete || englishShellLoaded;
}

/** Loads the shell's strings of a language once (only English is not in the first load). */
export function loadLanguage(language: Language): Promise<void> {
  if (languageReady(language)) return Promise.resolve();
  englishShell ??= import('./shell-messages-en.js').then(
    (m) => {
      Object.assign(live.en, m.shellEn);
      englishShellLoaded = true;
      notify();
    },
    (error: unknown) => {
      // A failed chunk (offline) may be asked for again.
      englishShell = undefined;
      throw error;
    },
  );
  return englishShell;
}

/** Loads every feature's strings once; route loaders await it before their page renders. */
export function loadAllMessages(): Promise<void> {
  if (complete) return Promise.resolve();
  loading ??= import('./messages.js').then((m) => registerMessages(m.messages));
  return loading;
}

export function allMessagesLoaded(): boolean {
  return complete;
}

/** Tells the provider that the catalogue grew, so the screens render again with the new strings. */
export function onMessagesLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The string for a key in a language, or undefined while its feature's catalogue is not loaded. */
export function lookupMessage(language: Language, key: MessageKey): string | undefined {
  return live[language][key];
}

/** Whether a computed key has a string (problem codes, rule ids); false for strings not loaded yet. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(live.bg, key);
}

/** Fills `{name}` placeholders; an unknown placeholder is left as written so the gap is visible. */
export function formatMessage(template: string, vars?: Readonly<Record<string, string | number>>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}
