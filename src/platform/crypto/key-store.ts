import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where master keys live: outside the database, controlled by the facility (docs/decisions.md#d13).
 * A KMS or HSM implements the same interface; the platform never stores a master key in PostgreSQL.
 */
export interface MasterKeyStore {
  /** The current master key version for a scope, creating the first one when `create` is set. */
  current(scope: string, create: boolean): Promise<{ version: number; key: Buffer } | undefined>;
  /** A specific master key version (older versions stay readable until every data key is rewrapped). */
  get(scope: string, version: number): Promise<Buffer | undefined>;
  /** Creates a new master key version and returns it. */
  rotate(scope: string): Promise<{ version: number; key: Buffer }>;
}

const SCOPE_RE = /^[a-z]+(:[0-9a-f-]{36})?$/;

function fileName(scope: string, version: number): string {
  if (!SCOPE_RE.test(scope)) throw new Error('invalid key scope');
  return `${scope.replace(':', '_')}.v${version}.key`;
}

/**
 * Master keys as files (one 256-bit key per scope and version, mode 0600) in a directory the facility
 * controls, e.g. a mounted volume or secret store outside the database host's backups.
 * @param dir - the key directory
 * @returns the key store
 */
export function fileKeyStore(dir: string): MasterKeyStore {
  const cache = new Map<string, Buffer>();

  async function versions(scope: string): Promise<number[]> {
    const prefix = `${scope.replace(':', '_')}.v`;
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => n.startsWith(prefix) && n.endsWith('.key'))
      .map((n) => Number(n.slice(prefix.length, -4)))
      .filter((v) => Number.isInteger(v) && v > 0)
      .sort((a, b) => a - b);
  }

  async function read(scope: string, version: number): Promise<Buffer | undefined> {
    const name = fileName(scope, version);
    const hit = cache.get(name);
    if (hit) return hit;
    try {
      const key = Buffer.from((await readFile(join(dir, name), 'utf8')).trim(), 'base64');
      if (key.length !== 32) throw new Error(`master key ${name} is not 256 bits`);
      cache.set(name, key);
      return key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async function create(scope: string, version: number): Promise<Buffer> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const key = randomBytes(32);
    const path = join(dir, fileName(scope, version));
    // Security: 'wx' never overwrites an existing key (losing a key loses the data it protects).
    await writeFile(path, key.toString('base64'), { flag: 'wx', mode: 0o600 });
    await chmod(path, 0o600);
    cache.set(fileName(scope, version), key);
    return key;
  }

  return {
    async current(scope, allowCreate) {
      const all = await versions(scope);
      const latest = all.at(-1);
      if (latest !== undefined) {
        const key = await read(scope, latest);
        return key ? { version: latest, key } : undefined;
      }
      if (!allowCreate) return undefined;
      try {
        return { version: 1, key: await create(scope, 1) };
      } catch (err) {
        // Concurrency: another process created it first; use theirs.
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          const key = await read(scope, 1);
          if (key) return { version: 1, key };
        }
        throw err;
      }
    },
    get: read,
    async rotate(scope) {
      const next = ((await versions(scope)).at(-1) ?? 0) + 1;
      return { version: next, key: await create(scope, next) };
    },
  };
}

/**
 * Master keys in memory only: for tests and benches, never for data that must outlive the process.
 * @returns the key store
 */
export function memoryKeyStore(): MasterKeyStore {
  const keys = new Map<string, Buffer[]>();
  const create = (scope: string) => {
    fileName(scope, 1); // validates the scope
    const list = keys.get(scope) ?? [];
    list.push(randomBytes(32));
    keys.set(scope, list);
    return { version: list.length, key: list.at(-1) as Buffer };
  };
  return {
    async current(scope, allowCreate) {
      const list = keys.get(scope);
      if (list?.length) return { version: list.length, key: list.at(-1) as Buffer };
      return allowCreate ? create(scope) : undefined;
    },
    async get(scope, version) {
      return keys.get(scope)?.[version - 1];
    },
    async rotate(scope) {
      return create(scope);
    },
  };
}
