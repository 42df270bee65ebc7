import { childrenNamed, localName, parseXml, valueAt, type XmlElement } from './xml.js';

/** One entry of an NHIS nomenclature: its key, its (Bulgarian) description, and its metas by lower-case name. */
export interface NomenclatureEntry {
  key: string | undefined;
  description: string | undefined;
  meta: Map<string, string>;
}

/**
 * Reads the entries of the C002 reply to C001 (`nhis:nomenclature` with `nhis:entry` elements of
 * `nhis:key@value`, `nhis:description@value` and `nhis:meta` pairs of `nhis:name@value` and
 * `nhis:value@value`), wherever the nomenclature element sits. Pure; CL006 specialties and CL011 ICD-10
 * codes are read with it.
 * @param xml - the reply
 * @returns the entries, or undefined when the document has no nomenclature element
 * @throws {XmlParseError} when the text is not well-formed XML
 */
export function readNomenclatureEntries(xml: string): NomenclatureEntry[] | undefined {
  const find = (el: XmlElement): XmlElement | undefined => (localName(el.name) === 'nomenclature' ? el : el.children.map(find).find((x) => x !== undefined));
  const nomenclature = find(parseXml(xml));
  if (!nomenclature) return undefined;
  return childrenNamed(nomenclature, 'entry').map((e) => ({
    key: valueAt(e, 'key'),
    description: valueAt(e, 'description'),
    meta: new Map(
      childrenNamed(e, 'meta')
        .map((m) => [valueAt(m, 'name'), valueAt(m, 'value')] as const)
        .filter((p): p is readonly [string, string] => p[0] !== undefined && p[1] !== undefined)
        .map(([k, v]) => [k.trim().toLowerCase(), v]),
    ),
  }));
}
