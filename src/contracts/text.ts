// Text that may be stored: no NUL and no unpaired UTF-16 surrogate (docs/security-input.md). PostgreSQL
// refuses NUL in `text` (a 500 with the statement in the log), and a lone surrogate cannot be encoded as
// UTF-8 (it would be stored silently as U+FFFD, changing clinical free text). The server applies
// `unsafeTextIssues` to every body, query and params in its validator compiler; the web client applies it
// to every JSON body it sends, so both refuse the same input with the same pointers. Imports only zod's
// types: the web client's first load carries this file without zod (bench/README.md, first load and LCP).
import type { z } from 'zod';

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
// eslint-disable-next-line no-control-regex -- the point is to find NUL
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The detail given for a refused text, the same on server and web. */
export const UNSAFE_TEXT_DETAIL = 'Text must not contain NUL characters or unpaired surrogates';

/**
 * Whether a string holds a NUL character or an unpaired UTF-16 surrogate.
 * @param s - the string
 * @returns true when it must be refused
 */
export function isUnsafeText(s: string): boolean {
  return UNSAFE.test(s);
}

/** RFC 6901: `~` and `/` inside a reference token are escaped. */
const token = (k: string | number): string => String(k).replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Finds every string (and object key) with unsafe text in a parsed JSON value, query or params object.
 * @param value - the value to walk
 * @param limit - stop after this many findings
 * @returns JSON pointers (`#/a/0/b`) of the offending values, in document order
 */
export function unsafeTextPointers(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (found.length >= limit || depth > 64) return;
    if (typeof v === 'string') {
      if (isUnsafeText(v)) found.push(`#${path}`);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, `${path}/${i}`, depth + 1));
    } else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && typeof (v as { pipe?: unknown }).pipe !== 'function') {
      for (const [k, item] of Object.entries(v)) {
        if (isUnsafeText(k)) found.push(`#${path}/${token(k)}`);
        walk(item, `${path}/${token(k)}`, depth + 1);
      }
    }
  };
  walk(value, '', 0);
  return found;
}

/**
 * A zod string that refuses unsafe text, for forms and contracts that want the rule in the schema itself.
 * @param schema - the string schema to refine
 * @returns the refined schema
 * @example const NoteSchema = safeText(z.string().max(2000));
 */
export function safeText<T extends z.ZodType<string>>(schema: T) {
  return schema.refine((s) => !isUnsafeText(s), { message: UNSAFE_TEXT_DETAIL });
}
