import { useId } from 'react';
import { useLanguage, useT } from './i18n.js';
import { isLanguage, languages } from './catalogue.js';

/** A labelled native `<select>`: keyboard and screen-reader support come with the element. */
export function LanguageSwitch() {
  const t = useT();
  const { language, setLanguage } = useLanguage();
  const id = useId();
  return (
    <div className="language-switch">
      <label htmlFor={id}>{t('language.label')}</label>
      <select
        id={id}
        value={language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) setLanguage(event.target.value);
        }}
      >
        {languages.map((code) => (
          // Each language is named in itself, so a reader of either can find theirs.
          <option key={code} value={code} lang={code}>
            {t(`language.${code}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
