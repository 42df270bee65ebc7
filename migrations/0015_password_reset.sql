-- Password reset (issue 3): a single-use token sent by e-mail, 30 minutes, spent with the account's
-- second factor. It rides on auth_challenge like the sign-in tokens, so it is hashed and locked the same way.
ALTER TABLE auth_challenge DROP CONSTRAINT auth_challenge_purpose_check;
ALTER TABLE auth_challenge ADD CONSTRAINT auth_challenge_purpose_check
  CHECK (purpose IN ('mfa', 'enrolment', 'passkey_registration', 'password_reset'));
-- A reset ends every session of the account, with its own reason.
ALTER TABLE user_session DROP CONSTRAINT user_session_revoked_reason_check;
ALTER TABLE user_session ADD CONSTRAINT user_session_revoked_reason_check
  CHECK (revoked_reason IN ('logout', 'user', 'admin', 'idle', 'password_changed', 'password_reset'));
