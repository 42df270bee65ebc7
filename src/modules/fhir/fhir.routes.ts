import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import { negotiateLang, toAppError } from '../../platform/errors/problem.js';
import { DEFINITION_RESOURCES } from '../../platform/fhir/systems.js';
import { DIRECTORY_TYPES, type DirectoryResourceType, type FhirDirectory } from '../directory/index.js';
import { SESSION_COOKIE, type IdentityService } from '../identity/index.js';
import type { ApiClientsService } from '../api-clients/index.js';
import type { EncountersService } from '../encounters/index.js';
import { accessLogAuditEventOf, type AuditTrailService } from '../audit-trail/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import { balpEntryOf, type BalpNote } from './balp.js';
import { encounterResourceOf } from './encounter-resource.js';
import { capabilityStatement } from './capability-statement.js';
import { operationOutcomeOf } from './operation-outcome.js';
import type { FhirPatients } from './patient-everything.js';
import { CLINICAL_TYPES, type FhirClinical } from './clinical-resources.js';
import { parsePatientSearch, type Query } from './search-params.js';
import { searchsetOf } from './searchset.js';
import { searchDirectory } from './search-directory.js';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);
const DEFINITION_TYPES = new Set(['NamingSystem', 'CodeSystem', 'StructureDefinition']);
/** Software date of the CapabilityStatement (the date of the last change to what it declares). */
const CAPABILITY_DATE = '2026-12-06';

export interface FhirRoutesOptions {
  /** Resolves the browser session (the web app's cookie) for the authorised resources. */
  identity: Pick<IdentityService, 'resolveSession' | 'assertNetworkAllowed'>;
  /** Resolves a registered system's bearer token (OAuth 2.0 client credentials, docs/fhir.md#machine-clients). */
  clients: Pick<ApiClientsService, 'resolveToken'>;
  directory: FhirDirectory;
  patients: FhirPatients;
  /** Composition, DocumentReference, Condition, MedicationStatement, ServiceRequest, MedicationRequest, Consent. */
  clinical: FhirClinical;
  encounters: Pick<EncountersService, 'readEncounter' | 'listPatientEncounters'>;
  auditTrail: Pick<AuditTrailService, 'getAccessLog'>;
  /** Writes the BALP row of every interaction on patient data (docs/fhir.md#audit). */
  audit: Pick<AuditLog, 'recordStandalone'>;
  publicUrl: string | undefined;
}

/**
 * FHIR R4 at `/fhir/R4` (docs/fhir.md). Thin: parse, call one use case, send application/fhir+json.
 * Errors are OperationOutcome with the catalogue's status (operation-outcome.ts), in this scope only.
 */
export const fhirRoutes: FastifyPluginAsync<FhirRoutesOptions> = async (app, { identity, clients, directory, patients, clinical, encounters, auditTrail, audit, publicUrl }) => {
  const serverBase = (req: FastifyRequest) => publicUrl ?? `${req.protocol}://${req.host}`;
  const fhirBase = (req: FastifyRequest) => `${serverBase(req)}/fhir/R4`;
  const send = (reply: FastifyReply, body: unknown, status = 200) => reply.code(status).type(FHIR_JSON).send(JSON.stringify(body));

  app.setErrorHandler(async (err: unknown, req, reply) => {
    const e = toAppError(err);
    const { status, body } = operationOutcomeOf(e.code, negotiateLang(req.headers['accept-language']), status500(e) ? undefined : e.detail, e.errors?.map((x) => x.pointer.replace(/^#\//, '')));
    if (status >= 500) req.log.error({ err, code: e.code }, 'fhir request failed');
    return send(reply, body, status);
  });
  app.setNotFoundHandler(async (req, reply) => {
    const { status, body } = operationOutcomeOf('resource.not_found', negotiateLang(req.headers['accept-language']), 'No such FHIR interaction here (see /fhir/R4/metadata)');
    return send(reply, body, status);
  });
  // FHIR §3.1.0.1.10: `_format` and Accept; Distansia serves JSON only.
  app.addHook('preHandler', async (req) => {
    const format = (req.query as Record<string, unknown> | undefined)?._format;
    if (format !== undefined && (typeof format !== 'string' || !JSON_FORMATS.has(format))) throw new AppError('request.not_acceptable', { detail: '_format: only json is served' });
    const accept = req.headers.accept;
    if (accept && !/json|\*\/\*|application\/\*/.test(accept)) throw new AppError('request.not_acceptable', { detail: 'Accept: only application/fhir+json is served' });
  });

  // The browser session, as at /api (identity's auth hook covers /api only). Security: every route here
  // is a GET, so the CSRF check of cookie-authenticated writes does not apply; the staff network
  // gateway does.
  app.addHook('onRequest', async (req, reply) => {
    // A registered system's bearer token (RFC 6750): an unknown, expired or revoked one is refused, never
    // read as anonymous.
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (bearer?.[1]) {
      const client = await clients.resolveToken(bearer[1]);
      if (!client) {
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw new AppError('auth.unauthenticated', { detail: 'The access token is not valid (unknown, expired or revoked)' });
      }
      req.ctx = { ...req.ctx, actor: client };
      return;
    }
    const token = req.cookies[SESSION_COOKIE];
    if (!token) return;
    const session = await identity.resolveSession(token);
    if (!session) return;
    req.ctx = { ...req.ctx, actor: session.actor };
    await identity.assertNetworkAllowed(req.ctx);
  });

  // IHE BALP: every interaction on patient data, allowed or refused, leaves one `fhir.interaction` row
  // (beside the use case's own row), written before the answer leaves; the export maps it to a BALP
  // AuditEvent. The directory and the definitions are public and not audited.
  const notes = new WeakMap<FastifyRequest, BalpNote>();
  const note = (req: FastifyRequest, n: BalpNote) => notes.set(req, n);
  app.addHook('onSend', async (req, reply, payload) => {
    const n = notes.get(req);
    if (n) await audit.recordStandalone(req.ctx, balpEntryOf(n, reply.statusCode, payload, req.ctx.actor.type === 'client' ? req.ctx.actor.facilityId : undefined));
    return payload;
  });

  const noteSearch = (req: FastifyRequest, type: string) => {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '';
    note(req, { interaction: 'search-type', type, query });
    const parsed = parsePatientSearch(type, req.query as Query);
    note(req, { interaction: 'search-type', type, query, patientId: parsed.patientId });
    return parsed;
  };

  app.get('/metadata', async (req, reply) => send(reply, capabilityStatement(fhirBase(req), CAPABILITY_DATE)));

  app.get<{ Params: { id: string } }>('/Patient/:id', async (req, reply) => {
    note(req, { interaction: 'read', type: 'Patient', id: req.params.id, patientId: req.params.id });
    requireScope(req, reply, ['system/Patient.read', 'system/*.read']);
    return send(reply, await patients.readPatient(req.ctx, req.params.id));
  });
  app.get<{ Params: { id: string } }>('/Patient/:id/$everything', async (req, reply) => {
    note(req, { interaction: 'operation', type: 'Patient', id: req.params.id, patientId: req.params.id });
    requireScope(req, reply, ['system/*.read']);
    return send(reply, await patients.everything(req.ctx, req.params.id, fhirBase(req), serverBase(req)));
  });

  // Encounters: the same use cases, access policy and audit rows as /api/v1/encounters.
  app.get<{ Params: { id: string } }>('/Encounter/:id', async (req, reply) => {
    note(req, { interaction: 'read', type: 'Encounter', id: req.params.id });
    requireScope(req, reply, ['system/*.read']);
    return send(reply, encounterResourceOf(await encounters.readEncounter(req.ctx, req.params.id)));
  });
  app.get<{ Querystring: Query }>('/Encounter', async (req, reply) => {
    const { patientId, count, offset } = noteSearch(req, 'Encounter');
    requireScope(req, reply, ['system/*.read']);
    const base = fhirBase(req);
    const found = await encounters.listPatientEncounters(req.ctx, patientId);
    return send(reply, searchsetOf(`${base}/Encounter`, req.query, found.map((e) => ({ fullUrl: `${base}/Encounter/${e.id}`, resource: encounterResourceOf(e) })), count, offset));
  });

  // A patient's (or their representative's) "who accessed my data" (docs/audit.md): the newest 100 events.
  app.get<{ Querystring: Query }>('/AuditEvent', async (req, reply) => {
    const { patientId, count, offset } = noteSearch(req, 'AuditEvent');
    const log = await auditTrail.getAccessLog(req.ctx, { patientId, limit: 100 });
    const base = fhirBase(req);
    return send(reply, searchsetOf(`${base}/AuditEvent`, req.query, log.items.map((e) => ({ fullUrl: `${base}/AuditEvent/${e.id}`, resource: accessLogAuditEventOf(e, patientId) })), count, offset));
  });

  // The clinical resources (docs/fhir.md#clinical-resources): search by patient and read by id, through the
  // use cases that own them, so the access policy and audit are those of /api/v1.
  for (const type of CLINICAL_TYPES) {
    app.get<{ Querystring: Query }>(`/${type}`, async (req, reply) => {
      const { patientId, count, offset } = noteSearch(req, type);
      requireScope(req, reply, ['system/*.read']);
      const base = fhirBase(req);
      return send(reply, searchsetOf(`${base}/${type}`, req.query, await clinical.search(req.ctx, type, patientId, base, serverBase(req)), count, offset));
    });
    app.get<{ Params: { id: string } }>(`/${type}/:id`, async (req, reply) => {
      note(req, { interaction: 'read', type, id: req.params.id });
      requireScope(req, reply, ['system/*.read']);
      return send(reply, await clinical.read(req.ctx, type, req.params.id, fhirBase(req), serverBase(req)));
    });
  }

  app.get<{ Params: { type: string } }>('/:type', async (req, reply) => {
    const type = req.params.type;
    if (DEFINITION_TYPES.has(type)) return send(reply, definitionSearch(type, req.query as Record<string, unknown>, fhirBase(req)));
    return send(reply, await searchDirectory(directory, knownType(type), req.query as Record<string, string | string[]>, fhirBase(req)));
  });
  app.get<{ Params: { type: string; id: string } }>('/:type/:id', async (req, reply) => {
    const { type, id } = req.params;
    if (DEFINITION_TYPES.has(type)) {
      const found = DEFINITION_RESOURCES.find((r) => r.resourceType === type && r.id === id);
      if (!found) throw new NotFoundError(type, id);
      return send(reply, found);
    }
    return send(reply, await directory.read(knownType(type), id));
  });
};

/**
 * A registered system needs one of the scopes (SMART backend services); users are decided by the access
 * policy alone.
 * @throws {AppError} `auth.forbidden` with `WWW-Authenticate: Bearer error="insufficient_scope"`
 */
function requireScope(req: FastifyRequest, reply: FastifyReply, anyOf: readonly string[]): void {
  const actor = req.ctx.actor;
  if (actor.type !== 'client' || actor.scopes.some((s) => anyOf.includes(s))) return;
  reply.header('www-authenticate', `Bearer error="insufficient_scope", scope="${anyOf.join(' ')}"`);
  throw new AppError('auth.forbidden', { detail: `This token lacks the scope ${anyOf.join(' or ')}` });
}

function status500(e: AppError): boolean {
  return e.code === 'internal';
}

function knownType(type: string): DirectoryResourceType {
  if (!(DIRECTORY_TYPES as readonly string[]).includes(type)) throw new NotFoundError('resource type', type);
  return type as DirectoryResourceType;
}

/** NamingSystem / CodeSystem / StructureDefinition search (a handful of resources: no paging needed). */
function definitionSearch(type: string, q: Record<string, unknown>, base: string): Record<string, unknown> {
  for (const k of Object.keys(q)) if (!['url', 'value', '_format'].includes(k)) throw new AppError('request.invalid', { detail: `${type} has no search parameter ${k} here` });
  const matches = DEFINITION_RESOURCES.filter(
    (r) => r.resourceType === type && (q.url === undefined || r.url === q.url) && (q.value === undefined || ((r.uniqueId as { value: string }[] | undefined) ?? []).some((u) => u.value === q.value)),
  );
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: matches.length,
    link: [{ relation: 'self', url: `${base}/${type}` }],
    ...(matches.length ? { entry: matches.map((r) => ({ fullUrl: `${base}/${type}/${String(r.id)}`, resource: r, search: { mode: 'match' } })) } : {}),
  };
}
