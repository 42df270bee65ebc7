import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { create } from 'xmlbuilder2';

/**
 * XML for the NHIS message shapes (`<nhis:x value="…"/>` elements nested in `nhis:message`) and for the
 * C002 nomenclature export, on two maintained libraries: xmlbuilder2 writes, fast-xml-parser checks and
 * reads. Pure. The reader keeps elements, attributes, text and CDATA, skips the prolog, comments and
 * processing instructions, and refuses DOCTYPE (no entity expansion: XXE and billion-laughs are
 * impossible by construction).
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

/**
 * Writes an element tree as XML text (UTF-8 prolog, no indentation).
 * @param root - the root element
 * @returns the XML document
 */
export function writeXml(root: XmlNode): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const walk = (parent: ReturnType<typeof create>, n: XmlNode) => {
    const attrs = Object.fromEntries(Object.entries(n.attrs ?? {}).filter((e): e is [string, string] => e[1] !== undefined));
    const el = parent.ele(n.name, attrs);
    for (const c of n.children ?? []) if (c) walk(el, c);
  };
  walk(doc, root);
  // The tree has attributes and elements only (no text, no indentation), so a tab or line break in the
  // output is inside an attribute value: escape it, or a reader would normalise it to a space (XML 1.0 §3.3.3).
  return doc
    .end({ prettyPrint: false })
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
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

/** fast-xml-parser's ordered tree: `{ [tag]: children, ':@': attributes }`, `{ '#text': … }`, `{ '#cdata': [{ '#text': … }] }`. */
type OrderedNode = Record<string, unknown>;

const reader = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Numeric character references (&#1041;) are decoded with the HTML set; named entities other than
  // XML's five are refused before parsing, and no DTD is ever read.
  processEntities: true,
  htmlEntities: true,
});

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/** Offset of a 1-based line and column, for the error message. */
function offsetOf(xml: string, line: number, col: number): number {
  let at = 0;
  for (let l = 1; l < line; l += 1) at = xml.indexOf('\n', at) + 1;
  return at + col - 1;
}

function toElement(node: OrderedNode): XmlElement | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#cdata') return undefined;
  const el: XmlElement = { name, attrs: { ...((node[':@'] as Record<string, string> | undefined) ?? {}) }, children: [], text: '' };
  for (const c of node[name] as OrderedNode[]) {
    if ('#text' in c) el.text += String(c['#text']);
    else if ('#cdata' in c) el.text += (c['#cdata'] as OrderedNode[]).map((t) => String(t['#text'] ?? '')).join('');
    else {
      const kid = toElement(c);
      if (kid) el.children.push(kid);
    }
  }
  return el;
}

/**
 * Parses an XML document into its root element.
 * @param xml - the text
 * @returns the root element
 * @throws {XmlParseError} on malformed input or a DOCTYPE
 */
export function parseXml(xml: string): XmlElement {
  // Security: no DTDs, so no entity expansion (XXE, billion laughs).
  const dtd = /<!(DOCTYPE|ENTITY)/i.exec(xml);
  if (dtd) throw new XmlParseError('DOCTYPE is not allowed', dtd.index);
  const outsideCdata = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => ' '.repeat(m.length));
  for (const m of outsideCdata.matchAll(/&([A-Za-z_][\w.-]*);/g)) {
    if (!XML_ENTITIES.has(m[1] ?? '')) throw new XmlParseError(`unknown entity &${m[1]};`, m.index);
  }
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) throw new XmlParseError(valid.err.msg, offsetOf(xml, valid.err.line, valid.err.col));
  const top = (reader.parse(xml) as OrderedNode[]).map(toElement).filter((e): e is XmlElement => e !== undefined);
  if (top.length !== 1) throw new XmlParseError(top.length ? 'more than one root element' : 'unexpected end of document', xml.length);
  return top[0] as XmlElement;
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
