import { useEffect, useRef, useState } from 'react';
import { useFormatDateTime, useT } from '../../../i18n/index.js';
import type { StaffAccount, StaffAccountAction, StaffFacilityList } from '../api.js';

/** Actions that take effect only after the administrator confirms them (they end the person's sessions). */
type Confirmable = Extract<StaffAccountAction, 'deactivate' | 'reset-mfa'>;

const CONFIRM = {
  deactivate: { text: 'staffAdmin.confirm.deactivate', yes: 'staffAdmin.confirm.deactivateYes' },
  'reset-mfa': { text: 'staffAdmin.confirm.resetMfa', yes: 'staffAdmin.confirm.resetMfaYes' },
} as const;

/** The registry's badge colours: green active, amber locked, red deactivated. */
const BADGE = { active: 'active', locked: 'draft', deactivated: 'suspended' } as const;

/** The name an account is shown under: its person's name, else its e-mail. */
export const staffName = (a: StaffAccount) => a.name ?? a.email;

/**
 * One staff account: who, role, second factor, status and last sign-in, with the actions the caller may
 * take. Deactivation and a second-factor reset ask for confirmation first; focus moves into the question
 * and back to the button when it is cancelled, so keyboard users never lose their place.
 */
export function StaffCard({ account, self, can, onAction }: { account: StaffAccount; self: boolean; can: StaffFacilityList['can']; onAction: (a: StaffAccount, action: StaffAccountAction) => Promise<void> }) {
  const t = useT();
  const formatDateTime = useFormatDateTime();
  const [confirming, setConfirming] = useState<Confirmable>();
  const [returnTo, setReturnTo] = useState<Confirmable>();
  const [busy, setBusy] = useState(false);
  const cardRef = useRef<HTMLLIElement>(null);
  const yesRef = useRef<HTMLButtonElement>(null);
  const name = staffName(account);
  const label = (action: string) => t('staffAdmin.action.label', { action, name });

  useEffect(() => {
    if (confirming) yesRef.current?.focus();
  }, [confirming]);
  // Accessibility: a cancelled question gives focus back to the button that asked it.
  useEffect(() => {
    if (confirming || !returnTo) return;
    cardRef.current?.querySelector<HTMLButtonElement>(`[data-action="${returnTo}"]`)?.focus();
    setReturnTo(undefined);
  }, [confirming, returnTo]);

  async function run(action: StaffAccountAction) {
    if (busy) return;
    setBusy(true);
    try {
      await onAction(account, action);
    } finally {
      setBusy(false);
      setConfirming(undefined);
    }
  }

  function cancel() {
    setReturnTo(confirming);
    setConfirming(undefined);
  }

  const actionButton = (action: StaffAccountAction, text: string, confirm: boolean) => (
    <button
      type="button"
      className={`button${confirm ? ' button--secondary' : ''}`}
      data-action={action}
      aria-label={label(text)}
      aria-disabled={busy ? 'true' : undefined}
      onClick={() => (confirm ? setConfirming(action as Confirmable) : void run(action))}
    >
      {text}
    </button>
  );

  return (
    <li ref={cardRef} className="ra-card staff-card" data-testid="staff-account" data-account-id={account.id}>
      <div className="ra-card__head">
        <h3 className="ra-card__title">
          {name} {self ? <span className="ra-muted">{t('staffAdmin.you')}</span> : null}
        </h3>
        <span className={`ra-badge ra-badge--${BADGE[account.status]}`}>{t(`staffAdmin.status.${account.status}`)}</span>
      </div>
      <p className="ra-muted staff-card__who">
        {t(`auth.role.${account.role}`)} · <span className="staff-card__email">{account.email}</span>
      </p>
      <dl className="ra-facts">
        <dt>{t('staffAdmin.mfa')}</dt>
        <dd>{t(account.mfaEnrolled ? 'staffAdmin.mfa.yes' : 'staffAdmin.mfa.no')}</dd>
        <dt>{t('staffAdmin.lastSignIn')}</dt>
        <dd>{account.lastSignInAt ? formatDateTime(new Date(account.lastSignInAt)) : t('staffAdmin.lastSignIn.never')}</dd>
        {account.lockedUntil ? (
          <>
            <dt>{t('staffAdmin.lockedUntil')}</dt>
            <dd>{formatDateTime(new Date(account.lockedUntil))}</dd>
          </>
        ) : null}
      </dl>
      {confirming ? (
        <div className="ra-confirm" role="group" aria-labelledby={`staff-confirm-${account.id}`}>
          <p id={`staff-confirm-${account.id}`}>{t(CONFIRM[confirming].text, { name })}</p>
          <div className="ra-actions">
            <button ref={yesRef} type="button" className="button button--danger" aria-disabled={busy ? 'true' : undefined} onClick={() => void run(confirming)}>
              {t(CONFIRM[confirming].yes)}
            </button>
            <button type="button" className="button button--secondary" onClick={cancel}>
              {t('staffAdmin.confirm.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="ra-actions">
          {account.status === 'locked' ? actionButton('unlock', t('staffAdmin.action.unlock'), false) : null}
          {account.status === 'deactivated' && can.reactivate ? actionButton('reactivate', t('staffAdmin.action.reactivate'), false) : null}
          {can.resetMfa && !self && account.mfaEnrolled && account.status !== 'deactivated' ? actionButton('reset-mfa', t('staffAdmin.action.resetMfa'), true) : null}
          {can.resetMfa && !self && !account.mfaEnrolled && account.status !== 'deactivated' ? actionButton('activation', t('staffAdmin.action.activation'), false) : null}
          {!self && account.status !== 'deactivated' ? actionButton('deactivate', t('staffAdmin.action.deactivate'), true) : null}
        </div>
      )}
    </li>
  );
}
