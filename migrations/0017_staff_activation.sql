-- Staff activation (docs/identity.md "Staff accounts"): nobody but the person sets or learns a staff
-- account's password. A staff account is created without one; the person sets it and enrols the second
-- factor through a single-use activation link (72 h) e-mailed to them. An administrator's second-factor
-- reset and an e-mail change clear the password and the factors and send a new link, so nobody holding
-- the old password gets in (Art. 28(2)-(3)).
ALTER TABLE user_account ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE auth_challenge DROP CONSTRAINT auth_challenge_purpose_check;
ALTER TABLE auth_challenge ADD CONSTRAINT auth_challenge_purpose_check
  CHECK (purpose IN ('mfa', 'enrolment', 'passkey_registration', 'password_reset', 'activation'));
ALTER TABLE user_session DROP CONSTRAINT user_session_revoked_reason_check;
ALTER TABLE user_session ADD CONSTRAINT user_session_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'user', 'admin', 'idle', 'password_changed', 'password_reset', 'deactivated', 'mfa_reset', 'email_changed'));

-- Lockout by device (OWASP "device cookies"): a browser that has signed in to an account carries a signed
-- cookie for it; its failures are counted apart (device_hash), so a stranger's failures lock only
-- unknown devices and the owner's known browser still signs in. The MFA token remembers the device.
ALTER TABLE login_attempt ADD COLUMN device_hash text;
ALTER TABLE auth_challenge ADD COLUMN device_hash text;
CREATE INDEX login_attempt_device_idx ON login_attempt (email_index, device_hash, at) WHERE device_hash IS NOT NULL;

-- Staff accounts that never enrolled a second factor still carry the password an administrator chose
-- before activation links existed: it stops working, and their administrator sends an activation link.
UPDATE user_account SET password_hash = NULL
 WHERE mfa_enrolled_at IS NULL AND role IN ('specialist', 'facility_admin', 'coordinator', 'supervisor', 'operator');
