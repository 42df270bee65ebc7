import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../platform/db/testing.js';
import type { Database } from '../../platform/db/index.js';
import { fixedClock } from '../../platform/clock.js';
import { systemIds } from '../../platform/ids.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import type { Role } from '../../contracts/identity.js';
import { createAuditLog, type AuditLog } from '../../platform/audit/audit-log.js';
import { auditKeysFrom } from '../../platform/audit/audit-keys.js';
import { memoryKeyStore } from '../../platform/crypto/key-store.js';
import { createAccessPolicy } from '../access/index.js';
import { createAuditTrailService, type AuditTrailService } from './audit-trail.service.js';
import { fhirProblems } from '../../test/fhir-validate.js';

const clock = fixedClock('2026-11-25T08:00:00Z');
const ids = systemIds;
const PATIENT = ids.uuid();
const OTHER_PATIENT = ids.uuid();
const FACILITY = ids.uuid();
const OTHER_FACILITY = ids.uuid();
const SPECIALIST_ACCOUNT = ids.uuid();
const PATIENT_ACCOUNT = ids.uuid();

function userCtx(id: string, role: Role, extra: { patientId?: string; facilityIds?: string[] } = {}): RequestCtx {
  return {
    actor: { type: 'user', id, role, sessionId: 's', facilityIds: extra.facilityIds ?? [], ...(extra.patientId ? { patientId: extra.patientId } : {}) },
    requestId: `req-${id.slice(-4)}`,
    ip: '10.0.0.9',
    userAgent: 'test',
    lang: 'bg',
  };
}

const patientCtx = userCtx(PATIENT_ACCOUNT, 'patient', { patientId: PATIENT });
const specialistCtx = userCtx(SPECIALIST_ACCOUNT, 'specialist', { facilityIds: [FACILITY] });
const supervisorCtx = userCtx(ids.uuid(), 'supervisor');

let database: Database;
let audit: AuditLog;
let service: AuditTrailService;

async function countEvents(action: string): Promise<number> {
  const { rows } = await database.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_event WHERE action = $1', [action]);
  return rows[0]?.n ?? 0;
}

beforeAll(async () => {
  database = await createTestDatabase();
  audit = createAuditLog({ db: database.db, clock, ids, keys: auditKeysFrom(memoryKeyStore(), { create: true }) });
  service = createAuditTrailService({ db: database.db, clock, audit, policy: createAccessPolicy({ clock, audit }) });
  const practitioner = ids.uuid();
  await database.db.execute(sql`INSERT INTO practitioner (id, uin, given_name, family_name, created_at) VALUES (${practitioner}, '1234567890', 'Мария', 'Петрова', ${clock.now().toString()})`);
  await database.db.execute(sql`INSERT INTO user_account (id, email_index, email_enc, password_hash, role, practitioner_id, created_at, updated_at)
    VALUES (${SPECIALIST_ACCOUNT}, 'idx-spec', '\\x00', 'x', 'specialist', ${practitioner}, ${clock.now().toString()}, ${clock.now().toString()})`);
  for (const [id, number, name] of [[FACILITY, '2201000001', 'МЦ Здраве'], [OTHER_FACILITY, '2201000002', 'ДКЦ Друг']] as const) {
    await database.db.execute(sql`INSERT INTO facility (id, number, name, type_code, rhif_code, settlement, address, created_at, updated_at)
      VALUES (${id}, ${number}, ${name}, 'mc', (SELECT code FROM rhif_region ORDER BY code LIMIT 1), 'София', 'ул. 1', ${clock.now().toString()}, ${clock.now().toString()})`);
  }
  await audit.recordStandalone(specialistCtx, { action: 'patient.read', patientId: PATIENT, facilityId: FACILITY, reason: 'request:42', subject: { type: 'patient', id: PATIENT }, data: { basis: 'care', fields: 'demographics' } });
  clock.advance({ minutes: 1 });
  await audit.recordStandalone(specialistCtx, { action: 'patient.read', patientId: OTHER_PATIENT, facilityId: OTHER_FACILITY, reason: 'request:43', data: { basis: 'care', fields: 'demographics' } });
  clock.advance({ minutes: 1 });
  await audit.recordStandalone(userCtx(ids.uuid(), 'facility_admin', { facilityIds: [FACILITY] }), { action: 'access.denied', outcome: 'denied', patientId: PATIENT, facilityId: FACILITY, data: { operation: 'read', why: 'no_relationship' } });
  clock.advance({ minutes: 1 });
});

afterAll(async () => {
  await database.close();
});

describe('who accessed my data (docs/decisions.md#d12, Art. 28(2))', () => {
  it('shows the patient every access to their data, newest first, with role, public practitioner name, facility, time and reason', async () => {
    const log = await service.getAccessLog(patientCtx, { limit: 50 });
    expect(log.patientId).toBe(PATIENT);
    expect(log.items.map((i) => i.action)).toEqual(['access.denied', 'patient.read']);
    const read = log.items[1];
    expect(read).toMatchObject({
      outcome: 'success',
      actor: { type: 'user', role: 'specialist', displayName: 'Мария Петрова', isYou: false },
      facility: { id: FACILITY, name: 'МЦ Здраве' },
      reason: 'request:42',
      at: '2026-11-25T08:00:00.000000Z',
    });
    // Security: a non-practitioner is shown by role alone, never by name.
    expect(log.items[0]?.actor).toMatchObject({ role: 'facility_admin', displayName: null });
  });

  it('never shows events about another patient, and records the view itself', async () => {
    const before = await countEvents('audit.access_log_viewed');
    const log = await service.getAccessLog(patientCtx, { limit: 50 });
    expect(log.items.some((i) => i.reason === 'request:43')).toBe(false);
    expect(await countEvents('audit.access_log_viewed')).toBe(before + 1);
  });

  it('pages with an opaque keyset cursor without losing or repeating entries', async () => {
    const first = await service.getAccessLog(patientCtx, { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextBefore).not.toBeNull();
    const all = await service.getAccessLog(patientCtx, { limit: 200 });
    const second = await service.getAccessLog(patientCtx, { limit: 1, before: first.nextBefore ?? undefined });
    expect(second.items[0]?.id).toBe(all.items.find((i) => i.id !== first.items[0]?.id && all.items.indexOf(i) > all.items.findIndex((x) => x.id === first.items[0]?.id))?.id);
  });

  it('refuses another patient (auth.forbidden, recorded as access.denied) and anonymous callers', async () => {
    const denied = await countEvents('access.denied');
    const stranger = userCtx(ids.uuid(), 'patient', { patientId: OTHER_PATIENT });
    await expect(service.getAccessLog(stranger, { patientId: PATIENT, limit: 50 })).rejects.toMatchObject({ code: 'auth.forbidden' });
    expect(await countEvents('access.denied')).toBe(denied + 1);
    await expect(service.getAccessLog({ ...patientCtx, actor: { type: 'anonymous' } }, { limit: 50 })).rejects.toMatchObject({ code: 'auth.unauthenticated' });
    await expect(service.getAccessLog(specialistCtx, { patientId: PATIENT, limit: 50 })).rejects.toMatchObject({ code: 'auth.forbidden' });
  });
});

describe('supervisor audit export (docs/decisions.md#d12, Art. 21)', () => {
  const period = { facilityId: FACILITY, from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z' };

  it('exports one facility and period as CSV, and audits the export', async () => {
    const before = await countEvents('audit.exported');
    const file = await service.exportFacilityTrail(supervisorCtx, { ...period, format: 'csv' });
    if (file.format !== 'csv') throw new Error('expected csv');
    const lines = file.body.trim().split('\r\n');
    expect(lines).toHaveLength(3); // header + the two events of FACILITY
    expect(file.body).toContain('request:42');
    expect(file.body).not.toContain('request:43');
    expect(await countEvents('audit.exported')).toBe(before + 1);
  });

  it('exports FHIR AuditEvent resources in a Bundle', async () => {
    const file = await service.exportFacilityTrail(supervisorCtx, { ...period, format: 'fhir' });
    if (file.format !== 'fhir') throw new Error('expected fhir');
    // The two events of FACILITY, plus the CSV export above, which is itself part of the facility's trail.
    const entries = file.body.entry ?? [];
    const types = entries.map((e) => (e.resource as { type: { code: string } }).type.code);
    expect(entries.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true);
    expect(types.filter((c) => c === '110110')).toHaveLength(1);
    expect(types.filter((c) => c === '110113')).toHaveLength(1);
    expect(types.filter((c) => c === '110106').length).toBe(entries.length - 2);
    expect(fhirProblems(file.body)).toEqual([]);
    const empty = await service.exportFacilityTrail(supervisorCtx, { ...period, from: '2026-11-20T00:00:00Z', to: '2026-11-21T00:00:00Z', format: 'fhir' });
    expect(empty.format === 'fhir' && empty.body.entry).toBeUndefined();
    expect(fhirProblems(empty.body)).toEqual([]);
  });

  it('refuses every role but supervisor and records the denial in its own transaction', async () => {
    for (const ctx of [specialistCtx, patientCtx, userCtx(ids.uuid(), 'operator'), userCtx(ids.uuid(), 'facility_admin', { facilityIds: [FACILITY] })]) {
      const denied = await countEvents('access.denied');
      await expect(service.exportFacilityTrail(ctx, { ...period, format: 'csv' })).rejects.toMatchObject({ code: 'auth.forbidden' });
      expect(await countEvents('access.denied')).toBe(denied + 1);
    }
    await expect(service.exportFacilityTrail(supervisorCtx, { ...period, facilityId: ids.uuid(), format: 'csv' })).rejects.toMatchObject({ code: 'resource.not_found' });
  });
});

describe('supervisor audit export without an open case is pseudonymised (Art. 21, Art. 28(1) item 3)', () => {
  const period = { facilityId: FACILITY, from: '2026-11-25T00:00:00Z', to: '2026-11-26T00:00:00Z', format: 'csv' as const };
  const SUPERVISOR_ACCOUNT = ids.uuid();
  const supervisor = userCtx(SUPERVISOR_ACCOUNT, 'supervisor');
  const patientFromHome: RequestCtx = { ...patientCtx, ip: '192.0.2.77', userAgent: 'PatientPhone/1.0' };

  beforeAll(async () => {
    await database.db.execute(sql`INSERT INTO user_account (id, email_index, email_enc, password_hash, role, created_at, updated_at)
      VALUES (${SUPERVISOR_ACCOUNT}, 'idx-sup', '\\x00', 'x', 'supervisor', '2026-11-25T07:00:00Z', '2026-11-25T07:00:00Z')`);
    // A patient's own action at the facility: their account, IP and user agent are in the trail.
    await audit.recordStandalone(patientFromHome, { action: 'consent.signed', patientId: PATIENT, facilityId: FACILITY, subject: { type: 'patient', id: PATIENT }, data: { kind: 'treatment', signerRole: 'patient', stepUpId: ids.uuid(), templateVersion: 1 } });
    // A patient-side account id inside `data` (here a representative link) is pseudonymised too.
    await audit.recordStandalone(specialistCtx, { action: 'representative.linked', patientId: PATIENT, facilityId: FACILITY, subject: { type: 'patient', id: PATIENT }, data: { representativeAccountId: PATIENT_ACCOUNT, basis: 'parent', checkedBy: SPECIALIST_ACCOUNT } });
    clock.advance({ minutes: 1 });
  });

  it('finding 7: hides patient ids, patient account ids, IPs and user agents; keeps the staff and the events', async () => {
    const file = await service.exportFacilityTrail(supervisor, period);
    if (file.format !== 'csv') throw new Error('expected csv');
    for (const secret of [PATIENT, PATIENT_ACCOUNT, '192.0.2.77', 'PatientPhone/1.0']) expect(file.body).not.toContain(secret);
    expect(file.body).toContain('consent.signed');
    expect(file.body).toContain('pseudonym-');
    // Staff act for the facility and answer to the supervisor: the specialist stays named.
    expect(file.body).toContain(SPECIALIST_ACCOUNT);
    // One patient, one pseudonym throughout the export.
    const pseudonyms = new Set(file.body.match(/pseudonym-[0-9a-f]{20}/g));
    expect(pseudonyms.size).toBe(2); // the patient and the patient's account
    const exported = await database.db.execute<{ data: { pseudonymised: boolean } }>(sql`SELECT data FROM audit_event WHERE action = 'audit.exported' AND actor_id = ${SUPERVISOR_ACCOUNT} ORDER BY seq DESC LIMIT 1`);
    expect(exported.rows[0]?.data.pseudonymised).toBe(true);
  });

  it('shows them inside an open case about the facility, and only that facility', async () => {
    const caseId = ids.uuid();
    await database.db.execute(sql`INSERT INTO supervision_case (id, facility_id, opened_by, legal_basis, reason_enc, opened_at)
      VALUES (${caseId}, ${OTHER_FACILITY}, ${SUPERVISOR_ACCOUNT}, 'Заповед № 1/2026', '\\x00', '2026-11-25T08:00:00Z')`);
    const otherCase = await service.exportFacilityTrail(supervisor, period);
    expect(otherCase.format === 'csv' && otherCase.body).not.toContain(PATIENT_ACCOUNT);
    await database.db.execute(sql`UPDATE supervision_case SET facility_id = ${FACILITY} WHERE id = ${caseId}`);
    const file = await service.exportFacilityTrail(supervisor, period);
    if (file.format !== 'csv') throw new Error('expected csv');
    for (const shown of [PATIENT, PATIENT_ACCOUNT, '192.0.2.77', 'PatientPhone/1.0']) expect(file.body).toContain(shown);
    expect(file.body).not.toContain('pseudonym-');
  });
});
