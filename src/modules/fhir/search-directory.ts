import type { DirectoryResourceType, FhirDirectory } from '../directory/index.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { parseSearch, type Query } from './search-params.js';
import { pageLinks } from './searchset.js';

type Json = Record<string, unknown>;
type Ref = { reference?: string } | undefined;

/** `_include` values served (FHIR R4 §3.1.1.5.4): the reference element each follows. */
export const INCLUDES: Record<string, { from: DirectoryResourceType; refs: (r: Json) => Ref[] }> = {
  'Slot:schedule': { from: 'Slot', refs: (r) => [r.schedule as Ref] },
  'Schedule:actor': { from: 'Schedule', refs: (r) => (r.actor as Ref[] | undefined) ?? [] },
  'PractitionerRole:practitioner': { from: 'PractitionerRole', refs: (r) => [r.practitioner as Ref] },
  'PractitionerRole:organization': { from: 'PractitionerRole', refs: (r) => [r.organization as Ref] },
  'HealthcareService:organization': { from: 'HealthcareService', refs: (r) => [r.providedBy as Ref] },
};

/** The resources `_include` names, read once each through the directory (so only visible ones). */
async function included(directory: FhirDirectory, type: DirectoryResourceType, includes: string[], matches: Json[]): Promise<Json[]> {
  const wanted = new Map<string, { type: DirectoryResourceType; id: string }>();
  for (const inc of includes) {
    const spec = INCLUDES[inc];
    if (!spec || spec.from !== type) throw new AppError('request.invalid', { detail: `_include=${inc} is not supported for ${type} (see the CapabilityStatement)`, errors: [{ in: 'query', pointer: '#/_include', detail: inc }] });
    for (const r of matches) {
      for (const ref of spec.refs(r)) {
        const m = /^([A-Za-z]+)\/(.+)$/.exec(ref?.reference ?? '');
        if (m?.[1] && m[2]) wanted.set(`${m[1]}/${m[2]}`, { type: m[1] as DirectoryResourceType, id: m[2] });
      }
    }
  }
  const out: Json[] = [];
  for (const { type: t, id } of wanted.values()) {
    try {
      out.push(await directory.read(t, id));
    } catch (err) {
      // A reference to something no longer published is left out, as the search itself would.
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
  return out;
}

/**
 * Searches one public directory type and answers a `searchset` Bundle with `self` and `next` links
 * (FHIR R4 §3.1.1.5 paging; `_count` and `_offset`).
 * @param directory - the directory's FHIR read model
 * @param type - the resource type
 * @param q - the query string
 * @param base - the endpoint's base URL
 * @returns the Bundle
 * @throws {AppError} `request.invalid` for an unknown parameter or a malformed value
 */
export async function searchDirectory(directory: FhirDirectory, type: DirectoryResourceType, q: Query, base: string): Promise<Record<string, unknown>> {
  const { _include: includeRaw, ...rest } = q;
  const includes = includeRaw === undefined ? [] : Array.isArray(includeRaw) ? includeRaw : [includeRaw];
  const { criteria, count, offset } = parseSearch(type, rest);
  const { resources, hasMore } = criteria.impossible ? { resources: [], hasMore: false } : await directory.search(type, criteria, count, offset);
  const extra = includes.length ? await included(directory, type, includes, resources) : [];
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: pageLinks(`${base}/${type}`, q, count, offset, hasMore),
    ...(resources.length
      ? {
          entry: [
            ...resources.map((r) => ({ fullUrl: `${base}/${type}/${String(r.id)}`, resource: r, search: { mode: 'match' } })),
            ...extra.map((r) => ({ fullUrl: `${base}/${String(r.resourceType)}/${String(r.id)}`, resource: r, search: { mode: 'include' } })),
          ],
        }
      : {}),
  };
}
