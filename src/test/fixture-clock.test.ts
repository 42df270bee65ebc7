import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Tests run the app on a fixed clock (STYLE C10). A fixture row stamped with the database's clock
// drifts away from that clock as the calendar moves, and a test that passed yesterday starts to
// fail (a representative link valid "from yesterday" by the database is in the app's future). So
// test files and fixtures take time from the injected clock or a literal, never from SQL.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** SQL functions that read the database server's clock. */
export const DATABASE_CLOCK = /(?<![\w.$])(now\s*\(\s*\)(?!\s*[:{])|current_timestamp|current_date|current_time|localtimestamp|localtime|transaction_timestamp\s*\(|statement_timestamp\s*\(|clock_timestamp\s*\()/i;

/**
 * Lines of a source file that call the database's clock, skipping comments.
 * @param text - the file's content
 * @returns 1-based line numbers with the offending text
 */
export function databaseClockUses(text: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  let inBlock = false;
  text.split('\n').forEach((raw, i) => {
    let line = raw;
    if (inBlock) {
      const end = line.indexOf('*/');
      if (end < 0) return;
      line = line.slice(end + 2);
      inBlock = false;
    }
    line = line.replace(/\/\*.*?\*\//g, '');
    const open = line.indexOf('/*');
    if (open >= 0) {
      inBlock = true;
      line = line.slice(0, open);
    }
    const trimmed = line.trimStart();
    if (trimmed.startsWith('//') || trimmed.startsWith('*')) return;
    // A trailing `// ...` comment (not `://` inside a URL string).
    line = line.replace(/(^|[^:])\/\/.*$/, '$1');
    if (DATABASE_CLOCK.test(line)) found.push({ line: i + 1, text: raw.trim() });
  });
  return found;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Test files anywhere in src/ and e2e/, and every fixture module in src/test and e2e/support. */
async function fixtureFiles(): Promise<string[]> {
  const all = [...(await walk(join(root, 'src'))), ...(await walk(join(root, 'e2e')))];
  return all.filter((f) => {
    const rel = relative(root, f);
    // This file holds the detector's own probes.
    if (rel === 'src/test/fixture-clock.test.ts') return false;
    return /\.test\.tsx?$/.test(rel) || rel.startsWith('src/test/') || rel.startsWith('e2e/');
  });
}

describe('fixtures take time from the injected clock (STYLE C10)', () => {
  it('the detector sees the database clock in SQL and ignores the app clock and comments', () => {
    expect(databaseClockUses("sql`INSERT INTO x (created_at) VALUES (now())`")).toHaveLength(1);
    expect(databaseClockUses("q('SELECT CURRENT_TIMESTAMP')")).toHaveLength(1);
    expect(databaseClockUses("sql`UPDATE x SET at = clock_timestamp()`")).toHaveLength(1);
    expect(databaseClockUses("sql`VALUES (NOW( ))`")).toHaveLength(1);
    expect(databaseClockUses('const at = deps.clock.now().toString();')).toHaveLength(0);
    expect(databaseClockUses('const deadline = Date.now() + 1;')).toHaveLength(0);
    // A clock's method in a type or an object literal is not SQL.
    expect(databaseClockUses('function f(clock: { now(): Temporal.Instant }) {}')).toHaveLength(0);
    expect(databaseClockUses('const c = { now() { return t; } };')).toHaveLength(0);
    expect(databaseClockUses("// never the database's now()\n/** now() */\n/*\n now()\n*/")).toHaveLength(0);
    expect(databaseClockUses("const u = 'https://x.bg/now()'; // now()")).toHaveLength(1);
  });

  it('no test or fixture file reads the database clock', async () => {
    const offenders: string[] = [];
    for (const file of await fixtureFiles()) {
      for (const use of databaseClockUses(await readFile(file, 'utf8'))) offenders.push(`${relative(root, file)}:${use.line}: ${use.text}`);
    }
    expect(offenders).toEqual([]);
  });
});
