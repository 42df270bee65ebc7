import { useId, useState } from 'react';
import { useApi } from '../../../api/api-context.js';
import { ProblemAlert } from '../../../api/problem-alert.js';
import { useT } from '../../../i18n/index.js';
import { useSubmit } from '../use-submit.js';

/**
 * Password change: current password, new password and a fresh TOTP code. On a refused attempt the
 * fields keep what was typed except the one-time code, which cannot be used twice.
 */
export function ChangePasswordForm({ onChanged }: { onChanged: () => void }) {
  const t = useT();
  const api = useApi();
  const id = useId();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [code, setCode] = useState('');
  const [done, setDone] = useState<number>();
  const { busy, problem, onSubmit } = useSubmit(
    async () => {
      setDone(undefined);
      const result = await api.auth.changePassword({ currentPassword, newPassword, code });
      setCurrentPassword('');
      setNewPassword('');
      setDone(result.sessionsEnded);
      onChanged();
    },
    { onSettled: () => setCode('') },
  );

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('auth.password.title')}</h2>
      <p>{t('auth.password.intro')}</p>
      {problem ? <ProblemAlert problem={problem} /> : null}
      {done !== undefined ? (
        <p role="status" className="auth-form__done">
          {t('auth.password.done', { count: done })}
        </p>
      ) : null}
      <form className="auth-form" onSubmit={onSubmit}>
        <label htmlFor={`${id}-current`}>{t('auth.password.current')}</label>
        <input id={`${id}-current`} type="password" autoComplete="current-password" required value={currentPassword} onChange={(e) => setCurrentPassword(e.target.value)} />
        <label htmlFor={`${id}-new`}>{t('auth.password.new')}</label>
        <input
          id={`${id}-new`}
          type="password"
          autoComplete="new-password"
          required
          minLength={12}
          aria-describedby={`${id}-new-hint`}
          value={newPassword}
          onChange={(e) => setNewPassword(e.target.value)}
        />
        <p id={`${id}-new-hint`} className="auth-form__hint">
          {t('auth.password.newHint')}
        </p>
        <label htmlFor={`${id}-code`}>{t('auth.password.code')}</label>
        <input
          id={`${id}-code`}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="\d{6}"
          maxLength={6}
          required
          value={code}
          onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
        />
        <button type="submit" className="button" disabled={busy}>
          {t('auth.password.submit')}
        </button>
      </form>
    </section>
  );
}
