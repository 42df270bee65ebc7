-- The language an account reads its e-mail and SMS in (docs/notifications.md#texts): each message is
-- written for its channel in the recipient's language, Bulgarian unless the account chose English.
ALTER TABLE user_account ADD COLUMN notification_lang text NOT NULL DEFAULT 'bg' CHECK (notification_lang IN ('bg', 'en'));
