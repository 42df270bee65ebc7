/**
 * A small XML writer and reader for the NHIS message shapes (`<nhis:x value="…"/>` elements nested in
 * `nhis:message`), and for the C002 nomenclature export. Pure. It reads elements, attributes, text and
 * CDATA, skips the prolog, comments and processing instructions, and refuses DOCTYPE (no entity
 * expansion: XXE and billion-laughs are impossible by construction).
 */

/** An element: name with its prefix (`nhis:examination`), attributes, children, and text content. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** What the writer takes: an element with a `value` attribute, or with children, or both kinds of attributes. */
export type XmlNode = { name: string; attrs?: Record<string, string | undefined>; children?: (XmlNode | null | undefined | false)[] };

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');

/**
 * Writes an element tree as XML text (UTF-8 prolog, no indentation).
 * @param root - the root element
 * @returns the XML document
 */
export function writeXml(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const walk = (n: XmlNode) => {
    const attrs = Object.entries(n.attrs ?? {})
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
      .join('');
    const kids = (n.children ?? []).filter((c): c is XmlNode => Boolean(c));
    if (kids.length === 0) {
      out.push(`<${n.name}${attrs}/>`);
      return;
    }
    out.push(`<${n.name}${attrs}>`);
    kids.forEach(walk);
    out.push(`</${n.name}>`);
  };
  walk(root);
  return out.join('');
}

/** A value element: `<nhis:name value="v"/>`, or nothing when v is undefined/null. */
export function v(name: string, value: string | number | boolean | null | undefined): XmlNode | null {
  if (value === undefined || value === null) return null;
  return { name, attrs: { value: String(value) } };
}

export class XmlParseError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at ${offset}`);
    this.name = 'XmlParseError';
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function decode(s: string, at: number): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const r = ENTITIES[e];
    if (r === undefined) throw new XmlParseError(`unknown entity &${e};`, at);
    return r;
  });
}

/**
 * Parses an XML document into its root element.
 * @param xml - the text
 * @returns the root element
 * @throws {XmlParseError} on malformed input or a DOCTYPE
 */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const n = xml.length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const nameRe = /[A-Za-z_][\w.:-]*/y;
  const readName = (): string => {
    nameRe.lastIndex = i;
    const m = nameRe.exec(xml);
    if (!m) throw new XmlParseError('expected a name', i);
    i = nameRe.lastIndex;
    return m[0];
  };
  const skipWs = () => {
    while (i < n && /\s/.test(xml[i] ?? '')) i += 1;
  };
  while (i < n) {
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) throw new XmlParseError('unterminated processing instruction', i);
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new XmlParseError('unterminated comment', i);
      i = end + 3;
    } else if (xml.startsWith('<!DOCTYPE', i) || xml.startsWith('<!ENTITY', i)) {
      // Security: no DTDs, so no entity expansion (XXE, billion laughs).
      throw new XmlParseError('DOCTYPE is not allowed', i);
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i);
      if (end < 0) throw new XmlParseError('unterminated CDATA', i);
      const top = stack.at(-1);
      if (!top) throw new XmlParseError('CDATA outside the root', i);
      top.text += xml.slice(i + 9, end);
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipWs();
      if (xml[i] !== '>') throw new XmlParseError('expected >', i);
      i += 1;
      const top = stack.pop();
      if (!top || top.name !== name) throw new XmlParseError(`mismatched </${name}>`, i);
      if (stack.length === 0) root = top;
    } else if (xml[i] === '<') {
      i += 1;
      const el: XmlElement = { name: readName(), attrs: {}, children: [], text: '' };
      for (;;) {
        skipWs();
        if (xml.startsWith('/>', i)) {
          i += 2;
          const parent = stack.at(-1);
          if (parent) parent.children.push(el);
          else root = el;
          break;
        }
        if (xml[i] === '>') {
          i += 1;
          const parent = stack.at(-1);
          if (parent) parent.children.push(el);
          else if (root) throw new XmlParseError('more than one root element', i);
          stack.push(el);
          break;
        }
        const attr = readName();
        skipWs();
        if (xml[i] !== '=') throw new XmlParseError('expected =', i);
        i += 1;
        skipWs();
        const q = xml[i];
        if (q !== '"' && q !== "'") throw new XmlParseError('expected a quoted value', i);
        const end = xml.indexOf(q, i + 1);
        if (end < 0) throw new XmlParseError('unterminated attribute', i);
        el.attrs[attr] = decode(xml.slice(i + 1, end), i);
        i = end + 1;
      }
    } else {
      const next = xml.indexOf('<', i);
      const end = next < 0 ? n : next;
      const chunk = xml.slice(i, end);
      const top = stack.at(-1);
      if (top) top.text += decode(chunk, i);
      else if (chunk.trim()) throw new XmlParseError('text outside the root', i);
      i = end;
    }
  }
  if (stack.length > 0 || !root) throw new XmlParseError('unexpected end of document', i);
  return root;
}

/** The local part of a prefixed name (`nhis:examination` → `examination`). */
export const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * The first child with a local name, following a path of local names.
 * @param el - where to start
 * @param path - local names, e.g. `contents`, `examination`, `nrnExamination`
 * @returns the element or undefined
 */
export function child(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const p of path) {
    cur = cur?.children.find((c) => localName(c.name) === p);
    if (!cur) return undefined;
  }
  return cur;
}

/** All children with a local name. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => localName(c.name) === name) : [];
}

/** The `value` attribute at a path, or undefined. */
export function valueAt(el: XmlElement | undefined, ...path: string[]): string | undefined {
  return child(el, ...path)?.attrs.value;
}
