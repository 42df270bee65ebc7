import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useT } from '../../../i18n/index.js';
import { useAuth } from '../../auth/auth-context.js';

type Me = NonNullable<ReturnType<typeof useAuth>['me']>;

/** Who the administration screens are for; the server still decides every call (registry-access.ts). */
export const isRegistryAdmin = (me: Me) => me.role === 'facility_admin' || me.role === 'coordinator';

/**
 * Shows its children to facility administrators and coordinators; asks others to sign in, or says the
 * page is not for their role.
 */
export function AdminGate({ children }: { children: (me: Me) => ReactNode }) {
  const t = useT();
  const { me } = useAuth();
  if (me === undefined) return <p role="status">{t('registryAdmin.common.loading')}</p>;
  if (me === null) {
    return (
      <p>
        {t('registryAdmin.gate.signIn')} <Link to="/sign-in">{t('registryAdmin.gate.signInLink')}</Link>
      </p>
    );
  }
  if (!isRegistryAdmin(me)) return <p>{t('registryAdmin.gate.notAllowed')}</p>;
  return <>{children(me)}</>;
}
