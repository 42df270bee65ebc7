import { useId, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useT } from '../../../i18n/index.js';
import type { Me, NotificationLang } from '../api.js';
import { useSubmit } from '../use-submit.js';

const LANGUAGES: readonly NotificationLang[] = ['bg', 'en'];

/**
 * The language of the account's e-mail and SMS (`PATCH /api/v1/me`; docs/notifications.md#texts). Apart
 * from the interface language, which is this browser's own choice: a patient may read the screens in
 * English and still want SMS in Bulgarian for a relative's phone, or the reverse.
 */
export function NotificationLanguageForm({ me, onSaved }: { me: Me; onSaved: (me: Me) => void }) {
  const t = useT();
  const api = useApi();
  const id = useId();
  const [choice, setChoice] = useState<NotificationLang>(me.notificationLang);
  const [saved, setSaved] = useState(false);
  const { busy, problem, onSubmit } = useSubmit(async () => {
    setSaved(false);
    onSaved(await api.auth.updateMe({ notificationLang: choice }));
    setSaved(true);
  });

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('auth.notificationLang.title')}</h2>
      <p>{t('auth.notificationLang.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {saved ? (
        <p role="status" className="auth-form__done">
          {t('auth.notificationLang.saved', { language: t(`auth.notificationLang.${me.notificationLang}`) })}
        </p>
      ) : null}
      <form className="auth-form" onSubmit={onSubmit}>
        <fieldset className="auth-choice">
          <legend>{t('auth.notificationLang.legend')}</legend>
          {LANGUAGES.map((language) => (
            <label key={language}>
              <input
                type="radio"
                name={`${id}-language`}
                value={language}
                checked={choice === language}
                onChange={() => {
                  setChoice(language);
                  setSaved(false);
                }}
              />
              <span lang={language}>{t(`auth.notificationLang.${language}`)}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit" className="button" disabled={busy || choice === me.notificationLang}>
          {t('auth.notificationLang.submit')}
        </button>
      </form>
    </section>
  );
}
