import { readdir, readFile } from 'node:fs/promises';

/**
 * CPU time used so far by each of the local PostgreSQL server's processes (backends, WAL writer,
 * checkpointer, autovacuum), in ms by pid. On a 2-core machine they compete with the server under test
 * and with the load generator, so the benches print their share. Linux /proc only: elsewhere, or with a
 * remote server, it is empty.
 */
export async function postgresCpu(): Promise<Map<string, number>> {
  const byPid = new Map<string, number>();
  for (const pid of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(pid)) continue;
    const cpu = await processCpuMs(pid, 'postgres');
    if (cpu !== undefined) byPid.set(pid, cpu);
  }
  return byPid;
}

/**
 * CPU time used so far by one process, in ms, from /proc/<pid>/stat.
 * @param name - when given, the process's command must start with it
 * @returns undefined when the process is gone, is not `name`, or there is no /proc
 */
export async function processCpuMs(pid: string | number, name?: string): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const close = stat.lastIndexOf(')');
  if (close < 0 || (name && !stat.slice(stat.indexOf('(') + 1, close).startsWith(name))) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime (fields 14, 15), USER_HZ 100
}

/**
 * The PostgreSQL CPU used between two readings, in ms. Tricky: a backend that ended in between takes
 * its time with it, so summing totals could go negative; this adds each process's own growth and counts
 * a new process from zero. A process that ended in between is left out (its last part is lost).
 */
export function postgresCpuSince(before: Map<string, number>, after: Map<string, number>): number {
  let ms = 0;
  for (const [pid, now] of after) ms += now - (before.get(pid) ?? 0);
  return ms;
}
