-- Audit trail sealed by the application (docs/decisions.md#d12, Art. 28(2); docs/audit.md).
--
-- Before: the BEFORE INSERT trigger chained every row with an unkeyed SHA-256 computed in the database,
-- so a database superuser could insert, rewrite and re-hash events, and `audit verify` could not tell.
-- Now (schema_version 2) the application seals each event: hash = HMAC-SHA-256 under the audit key
-- (kept in the key store beside the facility master keys, never in the database) over the predecessor's
-- seal and the event's canonical encoding, which includes its chain, seq and key version. prev_hash and
-- hash keep their names and sizes: hash is the event's seal (a MAC from schema 2 on, a SHA-256 chain
-- hash for the schema 1 rows written before), prev_hash the predecessor's seal.
--
-- The database computes nothing that verification trusts. Its trigger only keeps honest writers from
-- forking or gapping a chain: it checks, under the chain's advisory lock, that a new row follows the
-- chain's last row (seq + 1, prev_hash = its hash), and refuses it otherwise with 40001, which the
-- writer answers by re-reading the chain's tail, its transaction being retried (src/platform/audit/audit-log.ts).
--
-- Chains (audit_chain_count() = 64 by default): a writer connection claims a chain for its lifetime
-- with a session-level advisory lock, (7270040, chain), and remembers the chain's tail, so an append
-- stays one statement and one round trip and concurrent writers (different connections) never wait
-- for each other. The lock is released when the connection closes; the next claimer reads the tail.

-- The canonical encoding lives in the application now (src/platform/audit/audit-chain.ts); a function
-- in the database that the trigger used could be replaced by a superuser.
DROP FUNCTION audit_event_canonical(audit_event);

-- The MAC covers `data` exactly as the application sent it: json keeps the text, jsonb would re-render
-- it (key order, spacing, numbers). Schema 1 rows keep their former jsonb rendering as their text.
ALTER TABLE audit_event ALTER COLUMN data TYPE json USING data::text::json;
-- Which version of the audit key sealed the row (NULL for schema 1); covered by the MAC.
ALTER TABLE audit_event ADD COLUMN key_version smallint;
ALTER TABLE audit_event ALTER COLUMN schema_version DROP DEFAULT;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_sealed_by_key CHECK (schema_version = 1 OR key_version IS NOT NULL);

CREATE OR REPLACE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  prev_seq bigint;
  prev_hash bytea;
BEGIN
  IF NEW.schema_version IS DISTINCT FROM 2 THEN
    RAISE EXCEPTION 'audit events are sealed by the application (schema_version 2), not %', NEW.schema_version
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  -- Immediate when this session claimed the chain (session-level lock, same key). Another session
  -- never waits for a chain it did not claim: its owner may hold it for hours.
  IF NOT pg_try_advisory_xact_lock(7270040, NEW.chain) THEN
    RAISE EXCEPTION 'audit chain % is claimed by another connection', NEW.chain USING ERRCODE = 'lock_not_available';
  END IF;
  SELECT e.seq, e.hash INTO prev_seq, prev_hash FROM audit_event e WHERE e.chain = NEW.chain ORDER BY e.seq DESC LIMIT 1;
  IF NOT FOUND THEN
    prev_seq := 0;
    prev_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  END IF;
  IF NEW.seq <> prev_seq + 1 OR NEW.prev_hash <> prev_hash THEN
    -- Concurrency: the writer's remembered tail is stale (its transaction rolled back, or it shares
    -- the chain); it re-reads the tail and retries (serialization_failure is retried by withTransaction).
    RAISE EXCEPTION 'audit chain % ends at seq %, not %', NEW.chain, prev_seq, NEW.seq - 1 USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN NEW;
END
$$;

-- A writer connection's chain: the first chain from `start` (modulo audit_chain_count()) that no other
-- session has claimed, claimed for this session until it disconnects. When all of them are claimed
-- (more writer connections than chains, across all server processes) it takes one of the chains
-- beyond, up to 16 times as many, rather than share: a shared chain would make writers wait for each
-- other and re-read tails. Returns the chain's tail (seq 0 and 32 zero bytes when empty).
CREATE FUNCTION audit_claim_chain(start integer)
RETURNS TABLE (chain_no integer, last_seq bigint, last_hash bytea)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  k integer := audit_chain_count();
  s integer := mod(abs(start), k);
  c integer;
BEGIN
  FOR i IN 0 .. 16 * k - 1 LOOP
    c := CASE WHEN i < k THEN mod(s + i, k) ELSE i END;
    IF pg_try_advisory_lock(7270040, c) THEN
      chain_no := c;
      SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_event e WHERE e.chain = c ORDER BY e.seq DESC LIMIT 1;
      IF NOT FOUND THEN
        last_seq := 0;
        last_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
      END IF;
      RETURN NEXT;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'all % audit chains are claimed by other connections', 16 * k USING ERRCODE = 'too_many_connections';
END
$$;

-- The tail of a chain this session claimed (a writer whose remembered tail went stale).
CREATE FUNCTION audit_chain_tail(c integer)
RETURNS TABLE (last_seq bigint, last_hash bytea)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  SELECT e.seq, e.hash INTO last_seq, last_hash FROM audit_event e WHERE e.chain = c ORDER BY e.seq DESC LIMIT 1;
  IF NOT FOUND THEN
    last_seq := 0;
    last_hash := '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea;
  END IF;
  RETURN NEXT;
END
$$;
