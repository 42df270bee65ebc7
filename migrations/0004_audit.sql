-- Audit trail (issue 3; DECISIONS.md item 12, Art. 28(2) "indestructible log archive"; STYLE C13).
-- One narrow row per event: ids, codes and field names, never clinical content or names.
--
-- Tamper evidence: events form AUDIT_CHAINS independent hash chains. Each row carries the hash of its
-- predecessor in its chain; the chain heads live in audit_chain_head and are copied periodically to a
-- second location (AuditHeadExporter). The database refuses UPDATE, DELETE and TRUNCATE on the rows.
--
-- Concurrency: an append locks only its chain's head row (until commit). The chain is chosen by the
-- transaction id, so every event of one transaction goes to the same chain (one head lock per
-- transaction: no lock-order deadlocks between heads) and concurrent transactions spread over the chains
-- instead of serialising the whole platform on one head.
--
-- Canonical encoding (schema_version 1), mirrored by src/platform/audit/audit-chain.ts (the verifier):
--   hash = sha256(prev_hash || utf8(f(chain) f(seq) f(id) f(recorded_at µs since epoch) f(action)
--          f(outcome) f(actor_type) f(actor_id) f(actor_role) f(on_behalf_of) f(patient_id) f(facility_id)
--          f(subject_type) f(subject_id) f(reason) f(request_id) f(ip) f(user_agent) f(data::text)
--          f(schema_version)))
--   where f(NULL) = '-' and f(v) = <byte length of v>':'v (netstring-like, so field boundaries are unambiguous).
-- Changing it needs a schema_version bump and a new migration; never edit this file once applied.

DO $$
BEGIN
  -- Tricky: octet_length and convert_to below must agree with the verifier's UTF-8 byte counts.
  IF current_setting('server_encoding') <> 'UTF8' THEN
    RAISE EXCEPTION 'Distansia needs a UTF8 database (audit hashing), found %', current_setting('server_encoding');
  END IF;
END
$$;

CREATE TABLE audit_chain_head (
  chain smallint PRIMARY KEY,
  seq bigint NOT NULL,
  hash bytea NOT NULL
);

-- 64 chains: concurrent transactions have nearby ids, so with more chains than concurrent writers two
-- writers rarely meet on one head (16 chains gave 3.4k events/s with 32 writers, bench/audit-append.ts).
INSERT INTO audit_chain_head (chain, seq, hash)
SELECT c, 0, decode(repeat('00', 32), 'hex') FROM generate_series(0, 63) AS c;

CREATE TABLE audit_event (
  chain smallint NOT NULL,
  seq bigint NOT NULL,
  id uuid NOT NULL,
  -- from the injected clock (STYLE C10), not now()
  recorded_at timestamptz NOT NULL,
  action text NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failure')),
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'system', 'anonymous')),
  -- user ids are uuids; system actors are names such as 'outbox' or 'cli.demo'
  actor_id text,
  actor_role text,
  -- the patient a representative acts for, or the account an operator acts for
  on_behalf_of uuid,
  patient_id uuid,
  facility_id uuid,
  subject_type text,
  subject_id text,
  reason text,
  request_id text NOT NULL,
  -- text, not inet: the hash covers the exact string recorded (inet would re-format it)
  ip text,
  user_agent text,
  data jsonb,
  schema_version integer NOT NULL DEFAULT 1,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (chain, seq)
);
CREATE UNIQUE INDEX audit_event_id_uq ON audit_event (id);
-- "who looked at my record" and the supervisor's export by facility and period
CREATE INDEX audit_event_patient_idx ON audit_event (patient_id, recorded_at) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_event_facility_idx ON audit_event (facility_id, recorded_at) WHERE facility_id IS NOT NULL;

CREATE FUNCTION audit_field(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN v IS NULL THEN '-' ELSE octet_length(v)::text || ':' || v END
$$;

CREATE FUNCTION audit_event_canonical(e audit_event) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT audit_field(e.chain::text) || audit_field(e.seq::text) || audit_field(e.id::text)
    || audit_field((extract(epoch FROM e.recorded_at) * 1000000)::bigint::text)
    || audit_field(e.action) || audit_field(e.outcome) || audit_field(e.actor_type) || audit_field(e.actor_id)
    || audit_field(e.actor_role) || audit_field(e.on_behalf_of::text) || audit_field(e.patient_id::text)
    || audit_field(e.facility_id::text) || audit_field(e.subject_type) || audit_field(e.subject_id)
    || audit_field(e.reason) || audit_field(e.request_id) || audit_field(e.ip) || audit_field(e.user_agent)
    || audit_field(e.data::text) || audit_field(e.schema_version::text)
$$;

-- Number of chains; a later migration that adds heads replaces this function.
CREATE FUNCTION audit_chain_count() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 64 $$;

-- Chains every inserted row: whatever the application sends for chain, seq and hashes is overwritten,
-- so no code path can insert an unchained event.
CREATE FUNCTION audit_event_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash bytea;
BEGIN
  -- Concurrency: same transaction, same chain; the FOR UPDATE lock is held until commit.
  NEW.chain := mod(txid_current(), audit_chain_count())::smallint;
  SELECT h.seq, h.hash INTO head_seq, head_hash FROM audit_chain_head h WHERE h.chain = NEW.chain FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain % has no head', NEW.chain;
  END IF;
  NEW.seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.hash := sha256(head_hash || convert_to(audit_event_canonical(NEW), 'UTF8'));
  UPDATE audit_chain_head SET seq = NEW.seq, hash = NEW.hash WHERE chain = NEW.chain;
  RETURN NEW;
END
$$;

CREATE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: the audit trail is append-only (DECISIONS.md item 12, Art. 28(2))', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- A head only moves forward by one event at a time; it is never removed.
CREATE FUNCTION audit_chain_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.seq <> 0 OR NEW.hash <> decode(repeat('00', 32), 'hex') THEN
      RAISE EXCEPTION 'a new audit chain must start empty' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.chain <> OLD.chain OR NEW.seq <> OLD.seq + 1 THEN
    RAISE EXCEPTION 'audit chain head % may only advance by one (from % to %)', OLD.chain, OLD.seq, NEW.seq
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER audit_event_chain BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_chain();
CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_head_guard BEFORE INSERT OR UPDATE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard();
CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- Security: the triggers are the guard (they also bind the table owner); the grants say the same thing.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_chain_head FROM PUBLIC;
