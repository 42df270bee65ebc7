import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useApi } from '../../api/api-context.js';
import type { Me } from './api.js';

interface AuthContextValue {
  /** undefined while loading, null when signed out. */
  me: Me | null | undefined;
  /** Re-reads `GET /api/v1/me` (after sign-in, or when a call answered 401). */
  refresh: () => Promise<void>;
  setMe: (me: Me | null) => void;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

/** The event the HTTP client dispatches on `sessionEvents` when the server says the session is gone. */
export const SESSION_ENDED = 'session-ended';

/**
 * Holds the signed-in account for the whole app. A session that ended elsewhere (sign-out on another
 * device, expiry, deactivation) shows the app signed out at once, with the header's sign-in link.
 */
export function AuthProvider({ children, sessionEvents }: { children: ReactNode; sessionEvents?: EventTarget }) {
  const api = useApi();
  const [me, setMe] = useState<Me | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setMe(await api.auth.me());
    } catch {
      setMe(null);
    }
  }, [api]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    if (!sessionEvents) return undefined;
    const ended = () => {
      forgetSessionCookie();
      setMe(null);
    };
    sessionEvents.addEventListener(SESSION_ENDED, ended);
    return () => sessionEvents.removeEventListener(SESSION_ENDED, ended);
  }, [sessionEvents]);

  const signOut = useCallback(async () => {
    try {
      await api.auth.logout();
    } finally {
      setMe(null);
    }
  }, [api]);

  const value = useMemo(() => ({ me, refresh, setMe, signOut }), [me, refresh, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>.');
  return value;
}

/**
 * Drops the ended session's readable twin (the `csrf` cookie), so the next page load does not ask
 * `GET /api/v1/me` only to log a 401 in the console.
 */
function forgetSessionCookie(): void {
  if (typeof document !== 'undefined') document.cookie = 'csrf=; Max-Age=0; Path=/';
}
