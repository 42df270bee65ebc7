import type { DirectoryCriteria, DirectoryResourceType } from '../directory/index.js';
import { AppError } from '../../platform/errors/app-error.js';
import { CS, SID } from '../../platform/fhir/systems.js';
import { Temporal } from '../../platform/clock.js';

/**
 * Parses a FHIR search query into directory criteria (docs/fhir.md#directory). Pure. Strict: an unknown
 * parameter, modifier or prefix is a 400 OperationOutcome rather than silently ignored, so a client
 * never receives more than it asked for without knowing.
 */

export type Query = Record<string, string | string[] | undefined>;

/** Search parameters each directory type supports (besides `_id`, `_count`, `_offset`, `_format`). */
export const SEARCH_PARAMS: Record<DirectoryResourceType, readonly string[]> = {
  Organization: ['identifier', 'name', 'address-city'],
  HealthcareService: ['organization', 'specialty', 'service-type'],
  Practitioner: [],
  PractitionerRole: ['organization', 'practitioner', 'specialty', 'service'],
  Schedule: ['actor', 'specialty', 'service-type'],
  Slot: ['schedule', 'schedule.actor', 'specialty', 'service-type', 'start', 'status'],
};
const COMMON = ['_id', '_count', '_offset', '_format'];
export const MAX_COUNT = 100;
export const DEFAULT_COUNT = 20;

const bad = (param: string, detail: string) => new AppError('request.invalid', { detail, errors: [{ in: 'query', pointer: `#/${param}`, detail }] });

function all(q: Query, name: string): string[] {
  const v = q[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function one(q: Query, name: string): string | undefined {
  const v = all(q, name);
  if (v.length > 1) throw bad(name, `${name} may be given once`);
  if (v[0] !== undefined && v[0].includes(',')) throw bad(name, `${name}: several values (OR) are not supported`);
  return v[0];
}

/** A token `[system|]code`; a system other than `expected` matches nothing (undefined means "no match"). */
function token(q: Query, name: string, expected: string): { code?: string; impossible: boolean } {
  const v = one(q, name);
  if (v === undefined) return { impossible: false };
  const bar = v.indexOf('|');
  if (bar < 0) return { code: v, impossible: false };
  return { code: v.slice(bar + 1), impossible: v.slice(0, bar) !== '' && v.slice(0, bar) !== expected };
}

/** A reference `Type/id` (or a bare id when only one type fits). */
function reference<T extends string>(q: Query, name: string, types: readonly T[]): { type: T; id: string } | undefined {
  const v = one(q, name);
  if (v === undefined) return undefined;
  const m = /^(?:.*\/)?(?<type>[A-Za-z]+)\/(?<id>[A-Za-z0-9\-.]{1,64})$/.exec(v)?.groups;
  if (m?.type && m.id) {
    if (!(types as readonly string[]).includes(m.type)) throw bad(name, `${name} refers to ${types.join(' or ')}`);
    return { type: m.type as T, id: m.id };
  }
  const [only] = types;
  if (types.length === 1 && only && /^[A-Za-z0-9\-.]{1,64}$/.test(v)) return { type: only, id: v };
  throw bad(name, `${name} must be ${types.join('/… or ')}/…`);
}

/** `_count` (default 20, at most 100) and `_offset`. */
function paging(q: Query): { count: number; offset: number } {
  const countRaw = one(q, '_count');
  const offsetRaw = one(q, '_offset');
  if (countRaw !== undefined && !/^\d{1,4}$/.test(countRaw)) throw bad('_count', '_count must be a whole number');
  if (offsetRaw !== undefined && !/^\d{1,7}$/.test(offsetRaw)) throw bad('_offset', '_offset must be a whole number');
  return { count: Math.min(countRaw === undefined ? DEFAULT_COUNT : Number(countRaw), MAX_COUNT), offset: offsetRaw === undefined ? 0 : Number(offsetRaw) };
}

/**
 * A search scoped to one patient (Encounter, AuditEvent and the clinical resources): `patient` is
 * required, nothing else but paging is accepted.
 * @param type - the resource type searched
 * @param q - the query string
 * @returns the patient's id, page size and offset
 * @throws {AppError} `request.invalid` without one patient or with another parameter
 */
export function parsePatientSearch(type: string, q: Query): { patientId: string; count: number; offset: number } {
  for (const name of Object.keys(q)) {
    if (!['patient', '_count', '_offset', '_format'].includes(name)) throw bad(name, `${type} has no search parameter ${name} here (see the CapabilityStatement)`);
  }
  const patient = reference(q, 'patient', ['Patient'] as const);
  if (!patient || !/^[0-9a-f-]{36}$/i.test(patient.id)) throw bad('patient', `${type} search needs one patient`);
  return { patientId: patient.id, ...paging(q) };
}

/**
 * @param type - the resource type searched
 * @param q - the query string
 * @returns criteria, page size and offset
 * @throws {AppError} `request.invalid` for an unknown parameter or a malformed value
 */
export function parseSearch(type: DirectoryResourceType, q: Query): { criteria: DirectoryCriteria & { impossible?: boolean }; count: number; offset: number } {
  for (const name of Object.keys(q)) {
    if (!COMMON.includes(name) && !SEARCH_PARAMS[type].includes(name)) throw bad(name, `${type} has no search parameter ${name} here (see the CapabilityStatement)`);
  }
  const { count, offset } = paging(q);
  const c: DirectoryCriteria & { impossible?: boolean } = {};
  const id = one(q, '_id');
  if (id !== undefined) c.id = id;
  const specialty = token(q, 'specialty', CS.nhisCl006);
  const kind = token(q, 'service-type', CS.serviceKind);
  const identifier = token(q, 'identifier', SID.rhiFacility);
  c.impossible = specialty.impossible || kind.impossible || identifier.impossible;
  if (specialty.code) c.specialty = specialty.code;
  if (kind.code) c.kind = kind.code;
  if (identifier.code) c.number = identifier.code;
  const city = one(q, 'address-city');
  if (city) c.city = city;
  const name = one(q, 'name');
  if (name) c.name = name;
  const org = reference(q, 'organization', ['Organization'] as const);
  if (org) c.organizationId = org.id;
  const practitioner = reference(q, 'practitioner', ['Practitioner'] as const);
  if (practitioner) c.practitionerId = practitioner.id;
  const service = reference(q, 'service', ['HealthcareService'] as const);
  if (service) c.serviceId = service.id;
  const schedule = reference(q, 'schedule', ['Schedule'] as const);
  if (schedule) c.scheduleId = schedule.id;
  const actor = reference(q, type === 'Slot' ? 'schedule.actor' : 'actor', ['PractitionerRole', 'Practitioner', 'HealthcareService'] as const);
  if (actor) c.actor = actor;
  for (const v of all(q, 'start')) {
    const m = /^(?<prefix>ge|gt|le|lt)(?<value>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)$/.exec(v)?.groups;
    if (!m?.prefix || !m.value) throw bad('start', 'start takes ge, gt, le or lt and a date or a date-time with offset, e.g. ge2026-12-01T08:00:00+02:00');
    // Time zone: a bare date is midnight in Sofia, the zone of every Bulgarian facility.
    const at = new Date(m.value.length === 10 ? Temporal.PlainDate.from(m.value).toZonedDateTime({ timeZone: 'Europe/Sofia' }).epochMilliseconds : Date.parse(m.value));
    if (Number.isNaN(at.getTime())) throw bad('start', 'start is not a valid date');
    if (m.prefix === 'ge' || m.prefix === 'gt') c.after = { at, inclusive: m.prefix === 'ge' };
    else c.before = { at, inclusive: m.prefix === 'le' };
  }
  const status = one(q, 'status');
  if (status !== undefined) {
    if (!['free', 'busy', 'busy-unavailable', 'busy-tentative', 'entered-in-error'].includes(status)) throw bad('status', 'status is a SlotStatus code');
    c.onlyNonFree = status !== 'free';
  }
  return { criteria: c, count, offset };
}
