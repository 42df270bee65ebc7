import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './config.js';
import { CONFIG_SOURCE_PATH, README_PATH, configTable, currentConfigTable, readConfigDocs, withConfigTable } from './config-docs.js';

const source = readFileSync(CONFIG_SOURCE_PATH, 'utf8');

describe('README configuration table (generated from src/platform/config.ts)', () => {
  it('is exactly what `npm run docs:config` generates from config.ts', () => {
    // When this fails, config.ts changed: run `npm run docs:config` and commit README.md.
    expect(currentConfigTable(readFileSync(README_PATH, 'utf8'))).toBe(configTable(source));
  });

  it('has one row per variable of ConfigSchema, each with a description', () => {
    const docs = readConfigDocs(source);
    expect(docs.map((d) => d.name)).toEqual(Object.keys(ConfigSchema.shape));
    for (const d of docs) expect(d.description.length, d.name).toBeGreaterThan(10);
  });

  it('takes defaults from the schema and from what loadConfig derives', () => {
    const rows = configTable(source).split('\n');
    expect(rows.find((r) => r.startsWith('| `PORT` |'))).toMatch(/^\| `PORT` \| `3000` \|/);
    expect(rows.find((r) => r.startsWith('| `KEY_DIR` |'))).toMatch(/^\| `KEY_DIR` \| `DATA_DIR\/keys` \|/);
    expect(rows.find((r) => r.startsWith('| `DATABASE_URL` |'))).toMatch(/^\| `DATABASE_URL` \| — \|/);
  });

  it('refuses a variable without a description comment', () => {
    const undocumented = source.replace(/ {2}\/\*\* TCP port[^\n]*\n/, '');
    expect(undocumented).not.toBe(source);
    expect(() => configTable(undocumented)).toThrow(/PORT has no description/);
  });

  it('notices a changed description or default', () => {
    const readme = withConfigTable(`x\n<!-- config-table:start -->\nold\n<!-- config-table:end -->\ny`, configTable(source));
    expect(currentConfigTable(readme)).toBe(configTable(source));
    const changed = source.replace('TCP port of the HTTP API', 'TCP port of the web API');
    expect(changed).not.toBe(source);
    expect(currentConfigTable(readme)).not.toBe(configTable(changed));
  });
});
