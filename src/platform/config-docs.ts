import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigSchema, loadConfig } from './config.js';

/**
 * The README's configuration table, generated from `config.ts` so that the two cannot drift apart:
 * names and order from `ConfigSchema`, descriptions from the first sentence of the JSDoc comment above
 * each variable, defaults from the schema itself (a `@default` tag in the comment only where the default
 * is decided elsewhere, e.g. by the database engine). `npm run docs:config` rewrites the table; `config-docs.test.ts` fails when
 * README.md and config.ts disagree.
 */

export const CONFIG_TABLE_START = '<!-- config-table:start -->';
export const CONFIG_TABLE_END = '<!-- config-table:end -->';

export interface ConfigDoc {
  name: string;
  description: string;
  /** The `@default` tag of the comment, if any. */
  defaultTag?: string;
}

/**
 * Reads the JSDoc comment of every variable declared in `ConfigSchema = z.object({ ... })`.
 * @param source - the text of src/platform/config.ts
 * @returns one entry per variable, in declaration order
 * @throws {Error} when the schema is not found or a variable has no comment
 */
export function readConfigDocs(source: string): ConfigDoc[] {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => /^export const ConfigSchema = z\.object\(\{\s*$/.test(l));
  if (start < 0) throw new Error('config-docs: `export const ConfigSchema = z.object({` not found');
  const docs: ConfigDoc[] = [];
  let comment: string[] | undefined;
  let open = false;
  for (const line of lines.slice(start + 1)) {
    if (/^\}\);/.test(line)) return docs;
    if (open || /^ {2}\/\*\*/.test(line)) {
      open = !line.includes('*/');
      if (/^ {2}\/\*\*/.test(line)) comment = [];
      comment?.push(line.replace(/^\s*\/\*\*\s?/, '').replace(/\s*\*\/\s*$/, '').replace(/^\s*\*\s?/, ''));
      continue;
    }
    const key = /^ {2}([A-Z][A-Z0-9_]*):/.exec(line)?.[1];
    if (!key) continue;
    if (!comment) throw new Error(`config-docs: ${key} has no description comment in config.ts`);
    // The summary sentence goes to the README; the rest of the comment stays with the code.
    const text = firstSentence(comment.filter((l) => !l.startsWith('@')).join(' ').replace(/\s+/g, ' ').trim());
    const defaultTag = comment.find((l) => l.startsWith('@default '))?.slice('@default '.length).trim();
    docs.push({ name: key, description: text, ...(defaultTag ? { defaultTag } : {}) });
    comment = undefined;
  }
  throw new Error('config-docs: end of ConfigSchema not found');
}

/** The text up to the first full stop followed by a capital letter (the JSDoc summary). */
function firstSentence(text: string): string {
  const end = /\.\s+(?=[A-Z])/.exec(text);
  return end ? text.slice(0, end.index + 1) : text;
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.length ? `\`${value.join(',')}\`` : undefined;
  if (typeof value === 'string' && value === '') return undefined;
  return `\`${String(value)}\``;
}

/**
 * The default of one variable as the code applies it: the schema's default, else the value `loadConfig`
 * derives (e.g. KEY_DIR from DATA_DIR, shown relative to `DATA_DIR`), else the comment's `@default` tag.
 */
function defaultOf(doc: ConfigDoc): string {
  const field = (ConfigSchema.shape as Record<string, { safeParse(v: unknown): { success: boolean; data?: unknown } }>)[doc.name];
  const parsed = field?.safeParse(undefined);
  const fromSchema = parsed?.success ? show(parsed.data) : undefined;
  if (fromSchema) return fromSchema;
  const derived = (loadConfig({ DATA_DIR: 'DATA_DIR' }) as Record<string, unknown>)[doc.name];
  if (typeof derived === 'string' && derived.startsWith('DATA_DIR/')) return `\`${derived}\``;
  return doc.defaultTag ?? '—';
}

const cell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * The markdown table of every configuration variable.
 * @param source - the text of src/platform/config.ts
 * @returns the table, one row per variable, in the schema's order
 * @throws {Error} when the comments and the schema name different variables
 */
export function configTable(source: string): string {
  const docs = readConfigDocs(source);
  const inSchema = Object.keys(ConfigSchema.shape);
  const inSource = docs.map((d) => d.name);
  if (inSchema.join(',') !== inSource.join(',')) {
    throw new Error(`config-docs: schema and source disagree:\n  schema ${inSchema.join(',')}\n  source ${inSource.join(',')}`);
  }
  const rows = docs.map((d) => `| \`${d.name}\` | ${cell(defaultOf(d))} | ${cell(d.description)} |`);
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/**
 * Puts the table between the README's markers.
 * @param readme - the README text
 * @param table - the generated table
 * @returns the README with the table replaced
 * @throws {Error} when the markers are missing
 */
export function withConfigTable(readme: string, table: string): string {
  const a = readme.indexOf(CONFIG_TABLE_START);
  const b = readme.indexOf(CONFIG_TABLE_END);
  if (a < 0 || b < a) throw new Error('config-docs: README.md has no configuration table markers');
  return `${readme.slice(0, a + CONFIG_TABLE_START.length)}\n${table}\n${readme.slice(b)}`;
}

/**
 * The configuration table that README.md currently holds between the markers.
 * @param readme - the README text
 * @returns the table text, trimmed
 */
export function currentConfigTable(readme: string): string {
  const a = readme.indexOf(CONFIG_TABLE_START);
  const b = readme.indexOf(CONFIG_TABLE_END);
  if (a < 0 || b < a) throw new Error('config-docs: README.md has no configuration table markers');
  return readme.slice(a + CONFIG_TABLE_START.length, b).trim();
}

export const CONFIG_SOURCE_PATH = fileURLToPath(new URL('./config.ts', import.meta.url));
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

// `npm run docs:config`: rewrite README.md's table from config.ts.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const readme = readFileSync(README_PATH, 'utf8');
  const next = withConfigTable(readme, configTable(readFileSync(CONFIG_SOURCE_PATH, 'utf8')));
  if (next !== readme) writeFileSync(README_PATH, next);
  process.stdout.write(next === readme ? 'README.md: configuration table already up to date\n' : 'README.md: configuration table rewritten\n');
}
