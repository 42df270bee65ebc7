import { Link, useNavigate } from 'react-router';
import { useT, type MessageKey } from '../../../i18n/index.js';
import { useAuth } from '../auth-context.js';

/** The header's signed-in state: who is signed in, their sessions, and sign-out. */
export function AccountMenu() {
  const t = useT();
  const { me, signOut } = useAuth();
  const navigate = useNavigate();
  if (me === undefined) return null;
  if (me === null) {
    return (
      <Link to="/sign-in" className="account-menu__sign-in">
        {t('auth.signIn.title')}
      </Link>
    );
  }
  return (
    <div className="account-menu" data-testid="account-menu">
      <span className="account-menu__who">
        <span className="account-menu__email">{me.email}</span>
        <span className="account-menu__role">{t(`auth.role.${me.role}` as MessageKey)}</span>
      </span>
      <Link to="/account/sessions">{t('auth.sessions.link')}</Link>
      <button
        type="button"
        className="link-button"
        onClick={() => {
          void signOut().then(() => navigate('/'));
        }}
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}
