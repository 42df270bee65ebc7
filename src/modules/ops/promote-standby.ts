import pg from 'pg';

export interface PromotionResult {
  /** Seconds from the request until the standby accepted writes. */
  seconds: number;
  /** The last WAL position the standby had received from the old primary, for the operator's record. */
  receivedLsn: string | null;
}

/**
 * `distansia failover --standby URL` (docs/operations.md#failover): promotes the standby to primary with
 * PostgreSQL's `pg_promote()` and waits until it accepts writes. Regulatory: Art. 28(1) item 5, the second
 * site takes over. Fencing the old primary (it must not come back as a primary) is the operator's step.
 * @param standbyUrl - a superuser connection to the standby (one host)
 * @returns how long the promotion took
 * @throws when the server is not a standby, or does not finish promoting within 60 s
 */
export async function promoteStandby(standbyUrl: string): Promise<PromotionResult> {
  const started = performance.now();
  const c = new pg.Client({ connectionString: standbyUrl, connectionTimeoutMillis: 5000 });
  await c.connect();
  try {
    const before = await c.query<{ standby: boolean; received: string | null }>('SELECT pg_is_in_recovery() AS standby, pg_last_wal_receive_lsn()::text AS received');
    if (!before.rows[0]?.standby) throw new Error('this server is not a standby (it already accepts writes): nothing to promote');
    const r = await c.query<{ promoted: boolean }>('SELECT pg_promote(true, 60) AS promoted');
    if (!r.rows[0]?.promoted) throw new Error('the standby did not finish promoting within 60 s: see its server log');
    return { seconds: (performance.now() - started) / 1000, receivedLsn: before.rows[0].received };
  } finally {
    await c.end();
  }
}
