import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalize } from './canonical-json.js';

describe('canonicalize (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, recursively, without whitespace', () => {
    // RFC 8785 §3.2.3 example: sorting by UTF-16 code units, not by code points.
    const input = { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' };
    // Tricky: Object.keys() would list the integer-like key "1" first, so check positions in the text.
    const text = canonicalize(input);
    const order = ['Carriage Return', 'One', 'Control', 'Diaeresis', 'Euro Sign', 'Grinning Face', 'Dagesh'].map((v) => text.indexOf(v));
    expect(order.every((p, i) => p > 0 && (i === 0 || p > (order[i - 1] ?? 0)))).toBe(true);
    expect(canonicalize({ b: [3, { z: 1, a: 2 }], a: 'x' })).toBe('{"a":"x","b":[3,{"a":2,"z":1}]}');
  });

  it('serialises numbers as ECMAScript does (RFC 8785 §3.2.2.3 samples)', () => {
    expect(canonicalize([-0, 1e21, 1e-7, 0.000001, 333333333.3333333, 4.5, 2e-3, 1e23])).toBe('[0,1e+21,1e-7,0.000001,333333333.3333333,4.5,0.002,1e+23]');
    expect(() => canonicalize(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalize({ a: Infinity })).toThrow(TypeError);
  });

  it('escapes strings minimally and keeps Cyrillic as is', () => {
    expect(canonicalize({ t: 'Остър ринит\n"x"\u001f' })).toBe('{"t":"Остър ринит\\n\\"x\\"\\u001f"}');
  });

  it('drops undefined members and refuses undefined array items', () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalize([undefined])).toThrow(TypeError);
  });

  it('is independent of member order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = canonicalize(v);
        expect(canonicalize(JSON.parse(c))).toBe(c);
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          const reversed = Object.fromEntries(Object.entries(v).reverse());
          expect(canonicalize(reversed)).toBe(c);
        }
      }),
    );
  });
});
