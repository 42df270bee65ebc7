import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Queryable } from '../platform/db/index.js';
import { facilityScope, type Keyring } from '../platform/crypto/keyring.js';
import type { IdGen } from '../platform/ids.js';
import type { Clock } from '../platform/clock.js';
import { contentContext, type ReferralContent } from '../modules/referrals/index.js';

// Test fixture: a referral the NHIS has acknowledged (status `issued`, with its НРН), inserted as rows, for
// tests of other modules that book NHIF-paid specialist care (W14). Issuing one for real (a GP, an
// encounter, a signature with a second factor, the NHIS round trip) is what referrals.int.test.ts tests;
// the booking only reads the row and its encrypted content. The signature is a placeholder.

export interface ReferralIssuer {
  facilityId: string;
  practitionerId: string;
  accountId: string;
}

export interface ReferralFixture {
  /** A fresh issued referral of the patient; its НРН. */
  issue(q: Queryable, o: { patientId: string; specialtyCode: string; form?: '3' | '3A' | '4' | '6'; issuedOn?: string; validUntil?: string | null; status?: 'issued' | 'pending' | 'cancelled' }): Promise<{ id: string; nrn: string }>;
}

/**
 * The issuer's placeholder signing key is made on first use; each referral comes from its own in-person encounter.
 * @param deps - keyring, ids and clock of the test app
 * @param issuer - the facility, doctor and account the fixture referrals name
 * @returns the fixture
 */
export function referralFixture(deps: { keyring: Keyring; ids: IdGen; clock: Clock }, issuer: ReferralIssuer): ReferralFixture {
  return {
    async issue(q, o) {
      const at = deps.clock.now().toString();
      // Nothing is cached across calls: callers issue from concurrent transactions (the booking race), and
      // an id remembered from a transaction that has not committed yet is not there for the next one.
      await q.execute(sql`INSERT INTO practitioner_signing_key (id, practitioner_id, facility_id, alg, level, public_jwk, private_key_enc, created_at)
        VALUES (${deps.ids.uuid()}, ${issuer.practitionerId}, ${issuer.facilityId}, 'EdDSA', 'advanced', '{}'::jsonb, ${Buffer.from('fixture')}, ${at}::timestamptz)
        ON CONFLICT DO NOTHING`);
      const key = await q.execute<{ id: string }>(sql`SELECT id FROM practitioner_signing_key WHERE practitioner_id = ${issuer.practitionerId} AND facility_id = ${issuer.facilityId} AND retired_at IS NULL AND level = 'advanced'`);
      const keyId = key.rows[0]?.id;
      if (!keyId) throw new Error('referral fixture: no signing key');
      const encounterId = deps.ids.uuid();
      await q.execute(sql`INSERT INTO encounter (id, patient_id, facility_id, practitioner_id, kind, nhif_paid, started_at, recorded_by_account_id, created_at)
        VALUES (${encounterId}, ${o.patientId}, ${issuer.facilityId}, ${issuer.practitionerId}, 'in_person', true, ${at}::timestamptz, ${issuer.accountId}, ${at}::timestamptz)`);
      const id = deps.ids.uuid();
      const form = o.form ?? '3';
      const issuedOn = o.issuedOn ?? deps.clock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().toString();
      const validUntil = o.validUntil === undefined ? (form === '6' ? null : deps.clock.now().toZonedDateTimeISO('Europe/Sofia').toPlainDate().add({ days: 30 }).toString()) : o.validUntil;
      const content: ReferralContent = {
        schema: 'distansia.referral/1',
        documentId: id,
        revision: 1,
        replaces: null,
        form,
        purpose: form === '6' ? 'telk' : 'consultation',
        basis: 'clinical_need',
        independentlyJudgedNecessary: false,
        diagnosisCode: 'I10',
        request: 'Консултация (тестово направление)',
        specialtyCode: o.specialtyCode,
        activityCodes: [],
        hospital: null,
        encounter: { id: encounterId, kind: 'in_person', consultationId: null, requestId: null, startedAt: at },
        subject: { patientId: o.patientId, identifierType: 'egn', identifier: '0000000000', givenName: 'Тест', familyName: 'Тестов', birthDate: '1980-01-01', sex: 'unknown' },
        issuer: { practitionerId: issuer.practitionerId, uin: '0000000000', givenName: 'Тест', familyName: 'Лекар', qualification: '0000', facilityId: issuer.facilityId, facilityName: 'Тест', practiceNumber: '2200000000', rhifAreaNumber: '2200' },
        issuedOn,
        validUntil,
        signedAt: at,
      };
      const enc = await deps.keyring.encryptJson(q, facilityScope(issuer.facilityId), content, contentContext('referral', id));
      const nrn = `26${randomBytes(5).toString('hex').toUpperCase()}`;
      const status = o.status ?? 'issued';
      await q.execute(sql`INSERT INTO referral (id, replaces_id, revision, patient_id, facility_id, practitioner_id, encounter_id, form, issued_on, valid_until, content_enc, content_sha256,
          signature, signing_key_id, step_up_id, signed_at, lrn, status, nrn, acknowledged_at, created_by_account_id, created_at)
        VALUES (${id}, NULL, 1, ${o.patientId}, ${issuer.facilityId}, ${issuer.practitionerId}, ${encounterId}, ${form}, ${issuedOn}::date, ${validUntil}::date, ${enc},
          ${createHash('sha256').update(JSON.stringify(content)).digest('hex')}, 'fixture', ${keyId}, 'fixture', ${at}::timestamptz, ${deps.ids.uuid()}, ${status},
          ${status === 'pending' ? null : nrn}, ${status === 'pending' ? null : at}::timestamptz, ${issuer.accountId}, ${at}::timestamptz)`);
      return { id, nrn };
    },
  };
}
