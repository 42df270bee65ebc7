import pg from 'pg';

/**
 * PostgreSQL's own multi-host connection string (libpq, `target_session_attrs=read-write`):
 * `postgres://user@site-a:5432,site-b:5432/db`. node-postgres takes one host only, so the pool's clients
 * pick the writable server themselves (docs/operations.md#second-site). pg_dump and psql read the same
 * string natively.
 */
export interface MultiHostUrl {
  hosts: { host: string; port: number }[];
  /** The same URL with one host, for each host in order. */
  singleHostUrls: string[];
}

const URL_RE = /^(postgres(?:ql)?:\/\/)([^@/?#]*@)?([^/?#]+)(\/[^?#]*)?(\?[^#]*)?$/;

/**
 * Splits a connection string with several `host:port` entries.
 * @param url - a postgres:// URL
 * @returns the hosts, or undefined when the URL names one host
 */
export function parseMultiHostUrl(url: string): MultiHostUrl | undefined {
  const m = URL_RE.exec(url);
  if (!m?.[3]?.includes(',')) return undefined;
  const [, scheme, userinfo = '', hostList, path = '/', query = ''] = m;
  // target_session_attrs is libpq's; every host here is asked for read-write anyway.
  const params = new URLSearchParams(query.slice(1));
  params.delete('target_session_attrs');
  const rest = params.toString() ? `?${params.toString()}` : '';
  const hosts = hostList.split(',').map((h) => {
    const hp = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(h.trim());
    if (!hp?.[1]) throw new Error(`DATABASE_URL: "${h}" is not host or host:port`);
    return { host: hp[1], port: hp[2] ? Number(hp[2]) : 5432 };
  });
  return { hosts, singleHostUrls: hosts.map((h) => `${scheme}${userinfo}${h.host}:${h.port}${path}${rest}`) };
}

/**
 * Whether a string is a postgres:// URL with one host or several (`h1:5432,h2:5432`).
 * @param url - the candidate
 * @returns true when it parses
 */
export function isPostgresUrl(url: string): boolean {
  try {
    const multi = parseMultiHostUrl(url);
    const one = multi ? multi.singleHostUrls[0] ?? '' : url;
    return /^postgres(ql)?:$/.test(new URL(one).protocol);
  } catch {
    return false;
  }
}

/**
 * The first of `urls` whose server accepts writes (not in recovery).
 * @param urls - single-host URLs, in DATABASE_URL's order
 * @returns its index
 * @throws when none answers as a primary, naming what each said
 */
async function probeWritable(urls: readonly string[]): Promise<number> {
  const problems: string[] = [];
  for (const [i, url] of urls.entries()) {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    try {
      await c.connect();
      const r = await c.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
      if (r.rows[0]?.standby === false) return i;
      problems.push(`${hostOf(url)} is a standby`);
    } catch (err) {
      problems.push(`${hostOf(url)}: ${(err as Error).message}`);
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  throw new Error(`no writable PostgreSQL server in DATABASE_URL (${problems.join('; ')})`);
}

/**
 * The one-host URL of the server that takes writes now, for tools that take one host (pg_dump with an
 * exported snapshot, scratch databases of the restore check).
 * @param url - DATABASE_URL, one host or several
 * @returns `url` itself when it names one host
 */
export async function writableServerUrl(url: string): Promise<string> {
  const multi = parseMultiHostUrl(url);
  if (!multi) return url;
  return multi.singleHostUrls[await probeWritable(multi.singleHostUrls)] ?? url;
}

/**
 * Finds the server that accepts writes: the primary, or the standby promoted after a failover.
 * Concurrency: one probe at a time; the answer is kept until a connection to it fails.
 */
function writableServerFinder(urls: string[]) {
  let current: number | undefined;
  let probing: Promise<number> | undefined;
  const probe = () => probeWritable(urls);

  return {
    async pick(): Promise<number> {
      if (current !== undefined) return current;
      probing ??= probe().finally(() => {
        probing = undefined;
      });
      current = await probing;
      return current;
    },
    forget(i: number): void {
      if (current === i) current = undefined;
    },
  };
}

function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || '5432'}`;
}

/**
 * A pool over a multi-host URL: each new connection goes to the writable server, so after the standby
 * is promoted (`distansia failover`) the next connection reaches it without a restart. Connections to a
 * server that went away fail once, are dropped by the pool, and the writable server is looked up again.
 * @param multi - the parsed URL
 * @param options - pool options other than the connection string
 * @returns the pool
 */
export function createFailoverPool(multi: MultiHostUrl, options: Omit<pg.PoolConfig, 'connectionString' | 'Client'>): pg.Pool {
  const finder = writableServerFinder(multi.singleHostUrls);
  const first = multi.singleHostUrls[0] ?? '';

  class FailoverClient extends pg.Client {
    override connect(): Promise<pg.Client>;
    override connect(callback: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): void;
    override connect(callback?: ((err: Error) => void) | ((err: null, c: pg.Client) => void)): Promise<pg.Client> | void {
      const done = (async () => {
        const i = await finder.pick();
        const target = multi.hosts[i];
        if (!target) throw new Error('no host');
        // Tricky: pg.Client connects to `host`/`port` as they are when connect() runs.
        const self = this as unknown as { host: string; port: number; connectionParameters: { host: string; port: number } };
        self.host = target.host.replace(/^\[|\]$/g, '');
        self.port = target.port;
        self.connectionParameters.host = self.host;
        self.connectionParameters.port = self.port;
        try {
          await super.connect();
        } catch (err) {
          finder.forget(i);
          throw err;
        }
        // The server went away under an open connection (a crashed primary): look again next time.
        this.on('error', () => finder.forget(i));
        // The old primary came back as a standby, or a server was demoted: look again next time.
        const r = await this.query<{ ro: string }>('SHOW transaction_read_only');
        if (r.rows[0]?.ro === 'on') {
          finder.forget(i);
          await this.end().catch(() => undefined);
          throw new Error(`${target.host}:${target.port} accepts no writes (a standby): looking for the primary again`);
        }
        return this;
      })();
      if (!callback) return done;
      const cb = callback as (err: Error | null, c?: pg.Client) => void;
      done.then((c) => cb(null, c), (err: Error) => cb(err));
    }
  }

  return new pg.Pool({ ...options, connectionString: first, Client: FailoverClient });
}
