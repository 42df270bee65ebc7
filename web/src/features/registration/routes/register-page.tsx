import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { RegistrationBodySchema } from '../../../../../src/contracts/identity.js';
import { useApi } from '../../../api/api-context.js';
import { Field, FormProblem, useFormSubmit } from '../../../components/form.js';
import { useDocumentTitle, useT } from '../../../i18n/index.js';
import type { RegistrationBody } from '../api.js';
import '../registration.css';

type Kind = 'egn' | 'lnch';

/**
 * A patient registers (docs/registration.md): names, EGN or LNCh, date of birth, phone, e-mail and
 * password on one page, then "check your e-mail". The answer is the same whatever is already registered.
 */
export function RegisterPage() {
  const t = useT();
  useDocumentTitle(t('register.title'));
  const api = useApi();
  const { problem, busy, send } = useFormSubmit();
  const [kind, setKind] = useState<Kind>('egn');
  const [sex, setSex] = useState<'female' | 'male' | ''>('');
  const [v, setV] = useState({ givenName: '', middleName: '', familyName: '', identifier: '', birthDate: '', phone: '', email: '', password: '' });
  const [sentTo, setSentTo] = useState<string>();
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV((old) => ({ ...old, [k]: e.target.value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: RegistrationBody = {
      email: v.email.trim(),
      password: v.password,
      phone: v.phone.trim(),
      identifierKind: kind,
      identifier: v.identifier.replace(/\s/g, ''),
      givenName: v.givenName.trim(),
      ...(v.middleName.trim() ? { middleName: v.middleName.trim() } : {}),
      familyName: v.familyName.trim(),
      birthDate: v.birthDate,
      ...(kind === 'lnch' && sex ? { sex } : {}),
    };
    void send(RegistrationBodySchema, body, async () => {
      await api.registration.register(body);
      setSentTo(body.email);
    });
  };

  if (sentTo) {
    return (
      <div className="page page--narrow auth-page">
        <h1>{t('register.sentTitle')}</h1>
        <p role="status" className="auth-form__done">
          {t('register.sent', { email: sentTo })}
        </p>
        <p>{t('register.unverifiedNote')}</p>
      </div>
    );
  }

  return (
    <div className="page page--narrow auth-page">
      <h1>{t('register.title')}</h1>
      <p className="lead">{t('register.intro')}</p>
      <FormProblem problem={problem} />
      <form className="register-form" onSubmit={submit} aria-busy={busy} noValidate>
        <fieldset>
          <legend>{t('register.section.person')}</legend>
          <div className="register-names">
            <Field label={t('register.givenName')} pointer="#/givenName" problem={problem}>
              {(c) => <input {...c} type="text" autoComplete="given-name" required value={v.givenName} onChange={set('givenName')} />}
            </Field>
            <Field label={t('register.middleName')} pointer="#/middleName" problem={problem}>
              {(c) => <input {...c} type="text" autoComplete="additional-name" value={v.middleName} onChange={set('middleName')} />}
            </Field>
            <Field label={t('register.familyName')} pointer="#/familyName" problem={problem}>
              {(c) => <input {...c} type="text" autoComplete="family-name" required value={v.familyName} onChange={set('familyName')} />}
            </Field>
          </div>
          <div role="radiogroup" aria-labelledby="register-kind-label">
            <p id="register-kind-label" className="register-label">
              {t('register.identifierKind')}
            </p>
            <div className="register-choice">
              {(['egn', 'lnch'] as const).map((k) => (
                <label key={k}>
                  <input type="radio" name="identifierKind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                  {t(`register.kind.${k}`)}
                </label>
              ))}
            </div>
          </div>
          <Field label={t(`register.identifier.${kind}`)} pointer="#/identifier" problem={problem} hint={t('register.identifierHint')}>
            {(c) => <input {...c} type="text" inputMode="numeric" autoComplete="off" maxLength={10} required value={v.identifier} onChange={set('identifier')} />}
          </Field>
          <Field label={t('register.birthDate')} pointer="#/birthDate" problem={problem} hint={kind === 'egn' ? t('register.birthDateHint') : undefined}>
            {(c) => <input {...c} type="date" autoComplete="bday" required value={v.birthDate} onChange={set('birthDate')} />}
          </Field>
          {kind === 'lnch' ? (
            <div role="radiogroup" aria-labelledby="register-sex-label">
              <p id="register-sex-label" className="register-label">
                {t('register.sex')}
              </p>
              <div className="register-choice">
                {(['female', 'male'] as const).map((s) => (
                  <label key={s}>
                    <input type="radio" name="sex" value={s} checked={sex === s} onChange={() => setSex(s)} />
                    {t(`register.sex.${s}`)}
                  </label>
                ))}
              </div>
            </div>
          ) : null}
        </fieldset>
        <fieldset>
          <legend>{t('register.section.contact')}</legend>
          <Field label={t('register.phone')} pointer="#/phone" problem={problem} hint={t('register.phoneHint')}>
            {(c) => <input {...c} type="tel" autoComplete="tel" required value={v.phone} onChange={set('phone')} />}
          </Field>
          <Field label={t('register.email')} pointer="#/email" problem={problem}>
            {(c) => <input {...c} type="email" autoComplete="email" required value={v.email} onChange={set('email')} />}
          </Field>
          <Field label={t('register.password')} pointer="#/password" problem={problem} hint={t('register.passwordHint')}>
            {(c) => <input {...c} type="password" autoComplete="new-password" required minLength={12} value={v.password} onChange={set('password')} />}
          </Field>
        </fieldset>
        <button type="submit" className="button" aria-disabled={busy ? 'true' : undefined}>
          {t('register.submit')}
        </button>
      </form>
      <p className="register-aside">
        <Link to="/sign-in">{t('register.haveAccount')}</Link>
      </p>
    </div>
  );
}
