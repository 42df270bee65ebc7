import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseManifest, type BackupManifest } from './backup-rules.js';

/**
 * A place backups go (docs/operations.md#backups): a directory on another host's mount, or object storage
 * behind the same port. A backup counts at a destination only once its manifest is there, and the manifest
 * is written last, after the encrypted file is complete and on disk: a process killed mid-backup leaves at
 * most temporary files, which `list` never returns.
 */
export interface BackupTarget {
  /** Where, for messages and the backups page (never credentials). */
  readonly location: string;
  /** Stores the encrypted file, then its manifest, each atomically. */
  put(manifest: BackupManifest, file: string): Promise<void>;
  /** The complete backups here (those with a manifest), newest first; unreadable manifests are skipped. */
  list(): Promise<BackupManifest[]>;
  /** Reads a backup's encrypted file. */
  open(id: string): Readable;
  /** Deletes a backup (manifest first, so a half-deleted backup never counts). */
  remove(id: string): Promise<void>;
}

const ID_RE = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;
const dataName = (id: string) => `distansia-${id}.age`;
const manifestName = (id: string) => `distansia-${id}.manifest.json`;

function checkId(id: string): string {
  if (!ID_RE.test(id)) throw new Error(`not a backup id: ${id}`);
  return id;
}

/** Writes `write`'s output to a temporary name, flushes it to disk, and renames it into place. */
async function atomicWrite(dir: string, name: string, write: (path: string) => Promise<void>): Promise<void> {
  const tmp = join(dir, `.tmp-${name}-${randomBytes(6).toString('hex')}`);
  try {
    await write(tmp);
    const fh = await open(tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
    // The rename itself is durable only once the directory is flushed.
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
}

/**
 * A directory destination. Security: mount it from another host (a second site); it only ever holds
 * age-encrypted files and manifests of counts.
 * @param dir - the directory (created when missing)
 * @returns the target
 */
export function directoryTarget(dir: string): BackupTarget {
  const root = resolve(dir);
  return {
    location: root,
    async put(manifest, file) {
      await mkdir(root, { recursive: true, mode: 0o700 });
      await atomicWrite(root, dataName(checkId(manifest.id)), async (tmp) => {
        await pipeline(createReadStream(file), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      });
      const written = await stat(join(root, dataName(manifest.id)));
      if (written.size !== manifest.sizeBytes) throw new Error(`${root}: wrote ${written.size} of ${manifest.sizeBytes} bytes`);
      await atomicWrite(root, manifestName(manifest.id), async (tmp) => {
        const fh = await open(tmp, 'wx', 0o600);
        try {
          await fh.writeFile(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
        } finally {
          await fh.close();
        }
      });
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(root);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const found: BackupManifest[] = [];
      for (const n of names) {
        const m = /^distansia-(.+)\.manifest\.json$/.exec(n);
        if (!m?.[1] || !ID_RE.test(m[1])) continue;
        try {
          found.push(parseManifest(JSON.parse(await readFile(join(root, n), 'utf8'))));
        } catch {
          // A damaged manifest: the backup does not count (the restore check reports what it finds).
        }
      }
      return found.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
    },
    open(id) {
      return createReadStream(join(root, dataName(checkId(id))));
    },
    async remove(id) {
      await rm(join(root, manifestName(checkId(id))), { force: true });
      await rm(join(root, dataName(id)), { force: true });
    },
  };
}

/**
 * The configured destinations.
 * @param destinations - BACKUP_DESTINATIONS entries
 * @returns one target each
 * @throws for a kind not built in (object storage needs an adapter behind BackupTarget)
 */
export function configuredTargets(destinations: readonly string[]): BackupTarget[] {
  return destinations.map((d) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(d) && !d.startsWith('file://')) {
      throw new Error(`BACKUP_DESTINATIONS: "${d.split('://')[0]}://" is not supported; use directories (mount object storage, e.g. with s3fs)`);
    }
    return directoryTarget(d.startsWith('file://') ? new URL(d).pathname : d);
  });
}
