-- Staff accounts (issue 3): facility administrators create, deactivate, reactivate, unlock and reset the
-- second factor of their facility's staff accounts.
-- A display name for accounts that are not a practitioner (administrators, coordinators); a specialist is
-- named by the practitioner record. Staff names are not patient data, so they are kept in clear.
ALTER TABLE user_account ADD COLUMN display_name text
  CHECK (display_name IS NULL OR char_length(display_name) BETWEEN 1 AND 200);
-- Sessions ended by an administrator's deactivation or second-factor reset carry their own reasons.
ALTER TABLE user_session DROP CONSTRAINT user_session_revoked_reason_check;
ALTER TABLE user_session ADD CONSTRAINT user_session_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'user', 'admin', 'idle', 'password_changed', 'password_reset', 'deactivated', 'mfa_reset'));
-- The staff list shows each account's last sign-in (the newest session).
CREATE INDEX user_session_account_created_idx ON user_session (account_id, created_at DESC);
