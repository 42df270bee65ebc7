export { I18nProvider, languageStorageKey, startI18n, useFormatDateTime, useLanguage, useT } from './i18n.js';
export type { I18nProviderProps, LanguageStorage, Translate } from './i18n.js';
export { LanguageSwitch } from './language-switch.js';
export { useDocumentTitle } from './document-title.js';
export { allMessagesLoaded, defaultLanguage, isLanguage, isMessageKey, languages, loadAllMessages, locales } from './catalogue.js';
export type { Language, MessageKey } from './catalogue.js';
