import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU time used so far by the local PostgreSQL server's processes (all of them: backends, WAL writer,
 * checkpointer, autovacuum), in ms. On a 2-core machine they compete with the server under test and
 * with the load generator, so the benches print their share. Linux /proc only: elsewhere, or with a
 * remote server, it reads 0.
 */
export async function postgresCpuMs(): Promise<number> {
  let ticks = 0;
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const close = stat.lastIndexOf(')');
    if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
    const fields = stat.slice(close + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime and stime, fields 14 and 15 of stat
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}
