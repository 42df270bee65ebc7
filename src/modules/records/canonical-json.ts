/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): the byte form a signature covers. Pure.
 *
 * - object members sorted by their names compared as UTF-16 code units (RFC 8785 §3.2.3), recursively;
 * - no whitespace; strings escaped as ECMAScript `JSON.stringify` does (§3.2.2.2);
 * - numbers serialised as ECMAScript `Number.prototype.toString` (§3.2.2.3), which `JSON.stringify`
 *   already does for finite numbers; NaN and ±Infinity are rejected;
 * - `undefined` members are dropped (as JSON has no undefined), `undefined` array items are refused.
 *
 * @param value - a JSON-compatible value
 * @returns the canonical JSON text
 * @throws {TypeError} for values JSON cannot represent (non-finite numbers, bigint, functions, symbols)
 */
export function canonicalize(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalize: non-finite number');
      // Tricky: -0 serialises as "0" (RFC 8785 §3.2.2.3), which JSON.stringify does too.
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        return `[${value
          .map((v) => {
            if (v === undefined) throw new TypeError('canonicalize: undefined array item');
            return canonicalize(v);
          })
          .join(',')}]`;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalize((value as { toJSON(): unknown }).toJSON());
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      // UTF-16 code unit order is JavaScript's default string comparison.
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
    }
    case 'bigint':
    case 'function':
    case 'symbol':
    case 'undefined':
      throw new TypeError(`canonicalize: ${typeof value} is not JSON`);
  }
  throw new TypeError('canonicalize: unsupported value');
}
