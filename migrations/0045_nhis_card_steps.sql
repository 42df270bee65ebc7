-- The NHIS messages of a record signed by the doctor's card while the doctor is at the screen
-- (docs/nhis.md#signer). Who is sending a submission now, so the outbox and the card never send the same
-- record at once: 'outbox' (the server's key) or 'card' (the doctor's card through the local agent),
-- until when. card_step is what the card was last asked to sign: {kind: 'challenge', challenge} or
-- {kind: 'X001'|'X003', messageId, createdOn}, so the signed message that comes back can be rebuilt and
-- compared byte for byte. It holds no personal data (the message body is rebuilt from the signed record).
ALTER TABLE nhis_submission
  ADD COLUMN claimed_by text CHECK (claimed_by IN ('outbox', 'card')),
  ADD COLUMN claimed_until timestamptz,
  ADD COLUMN card_step jsonb;
