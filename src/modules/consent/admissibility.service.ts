import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import { withTransaction, type Db, type Queryable } from '../../platform/db/index.js';
import type { AuditLog } from '../../platform/audit/audit-log.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { facilityScope, type Keyring } from '../../platform/crypto/keyring.js';
import { AppError, InvalidTransitionError, NotFoundError, type FieldIssue } from '../../platform/errors/app-error.js';
import type {
  AdmissibilityDecision,
  Art7Checklist,
  DecideAdmissibilityBody,
  GateStatus,
  IdentityVerification,
  RecordVerificationBody,
  RecordingMedia,
} from '../../contracts/consent.js';
import type { AccessPolicy } from '../access/index.js';
import { findRequestFacts } from './request-facts.js';
import * as repo from './consent.repo.js';
import { CHECKLIST_RULES, hardBlocks, missingGates, recordingDecision, unconfirmedItems } from './admissibility-rules.js';
import { assertProvider, sideOf } from './parties.js';
import { consentFromRow, iso } from './consent.service.js';

export interface AdmissibilityDeps {
  db: Db;
  clock: Clock;
  ids: IdGen;
  audit: AuditLog;
  keyring: Keyring;
  policy: AccessPolicy;
}

// Statuses in which the specialist may still check identity (before or during the service).
const VERIFIABLE = new Set(['requested', 'accepted', 'scheduled', 'in_progress']);

function checklistOf(d: repo.DecisionRow): Art7Checklist {
  return {
    noRiskToLifeOrHealth: d.no_risk_to_life_or_health,
    qualityAndSafetyAssured: d.quality_and_safety_assured,
    notDentalExceptImaging: d.not_dental_except_imaging,
    noDirectContactNeeded: d.no_direct_contact_needed,
    requesterIdentityVerifiable: d.requester_identity_verifiable,
    notConductingBirth: d.not_conducting_birth,
    notEstablishingDeath: d.not_establishing_death,
  };
}

/**
 * The Art. 19(2) verdict on a stored recording consent. The terms are encrypted; their presence is
 * what counts here (the database and the signing path refuse empty ones).
 */
function recordingVerdict(c: repo.ConsentRow, media: RecordingMedia) {
  const present = (b: Buffer | null) => (b && b.length > 0 ? 'present' : '');
  return recordingDecision({ reason: present(c.recording_reason_enc), purpose: present(c.recording_purpose_enc), media: c.recording_media ?? [] }, media);
}

/** A consult between specialists that names no patient processes no personal data (Art. 2, R-TM-18). */
export function consentRequiredFor(r: Pick<repo.RequestFacts, 'patient_id' | 'requester_kind' | 'recipient_kind'>): boolean {
  return !(r.patient_id === null && r.requester_kind === 'specialist' && r.recipient_kind === 'specialist');
}

/**
 * Identity verification, the admissibility decision and the gates of the service (Art. 7,
 * 9, 10, 19; docs/decisions.md#d7-d8).
 * @param deps - database, clock, ids, audit, keyring and the access policy
 * @returns the admissibility service
 */
export function createAdmissibilityService(deps: AdmissibilityDeps) {
  const { db, clock, ids, audit, keyring, policy } = deps;

  async function loadRequest(tx: Queryable, requestId: string): Promise<repo.RequestFacts> {
    const r = await findRequestFacts(tx, requestId);
    if (!r) throw new NotFoundError('request', requestId);
    return r;
  }

  async function blocksOf(tx: Queryable, r: repo.RequestFacts): Promise<string[]> {
    const v = await repo.latestVerification(tx, r.id);
    return hardBlocks({ specialtyDental: r.specialty_dental, kindCode: r.kind_code, prohibitedRule: r.prohibited_rule, latestIdentityOutcome: v?.outcome ?? null });
  }

  async function decisionView(ctx: RequestCtx, q: Queryable, d: repo.DecisionRow): Promise<AdmissibilityDecision> {
    return {
      id: d.id,
      requestId: d.request_id,
      outcome: d.outcome,
      checklist: checklistOf(d),
      blockedRule: d.blocked_rule,
      reasons: d.reasons_enc ? (await keyring.decrypt(ctx, q, facilityScope(d.facility_id), d.reasons_enc, `admissibility:${d.id}:reasons`)).toString('utf8') : null,
      decidedByAccountId: d.decided_by_account_id,
      decidedByPractitionerId: d.decided_by_practitioner_id,
      decidedAt: iso(d.decided_at),
    };
  }

  async function verificationView(ctx: RequestCtx, q: Queryable, v: repo.VerificationRow, withNote: boolean): Promise<IdentityVerification> {
    return {
      id: v.id,
      requestId: v.request_id,
      method: v.method,
      outcome: v.outcome,
      note: withNote && v.note_enc ? (await keyring.decrypt(ctx, q, facilityScope(v.facility_id), v.note_enc, `identity_verification:${v.id}:note`)).toString('utf8') : null,
      verifiedByAccountId: v.verified_by_account_id,
      verifiedByPractitionerId: v.verified_by_practitioner_id,
      verifiedAt: iso(v.verified_at),
    };
  }

  /** Audits a refused accept after the caller's transaction rolled back (STYLE C13). */
  async function withRefusalAudit<T>(ctx: RequestCtx, requestId: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await policy.guard(ctx, fn);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'admissibility.blocked' || err.code === 'admissibility.checklist_failed')) {
        await audit.recordStandalone(ctx, { action: 'admissibility.refused', outcome: 'denied', subject: { type: 'request', id: requestId }, data: { code: err.code, rules: (err.meta?.rules ?? []) as string[] } });
      }
      throw err;
    }
  }

  /** The gate facts of a request, read in the caller's transaction. */
  async function gateFacts(tx: Queryable, r: repo.RequestFacts) {
    const decision = await repo.findDecision(tx, r.id);
    const verification = await repo.latestVerification(tx, r.id);
    const treatment = await repo.findActiveConsent(tx, r.id, 'treatment');
    const recording = await repo.findActiveConsent(tx, r.id, 'recording');
    const consentRequired = consentRequiredFor(r);
    const missing = missingGates(
      {
        decisionOutcome: decision?.outcome ?? null,
        latestIdentityOutcome: verification?.outcome ?? null,
        consentRequired,
        treatmentConsentSignedAt: treatment ? repo.asDate(treatment.signed_at).getTime() : null,
      },
      clock.now().epochMilliseconds,
    );
    return { decision, verification, treatment, recording, consentRequired, missing };
  }

  const service = {
    /**
     * Runs a use case that records a decision and audits a refused accept (hard block, incomplete
     * checklist) after its transaction rolled back (STYLE C13). The requests module wraps its
     * accept/decline with it.
     * @param ctx - the request context
     * @param requestId - the request decided
     * @param fn - the use case
     * @returns what `fn` returns
     */
    guardDecision<T>(ctx: RequestCtx, requestId: string, fn: () => Promise<T>): Promise<T> {
      return withRefusalAudit(ctx, requestId, fn);
    },

    /**
     * Records the providing specialist's decision with the Art. 7 checklist, in the caller's
     * transaction (R-TM-10; Art. 9(2): the decider is the responsible specialist). An accept needs
     * every condition confirmed and no hard block (R-TM-13, R-TM-15, R-TM-16, R-TM-17); a decline
     * needs reasons. The requests module calls this from its own accept/decline.
     * @param tx - the caller's transaction (the status change commits with the decision or not at all)
     * @returns the decision and the reasons in clear (for the request's history)
     * @throws {AppError} `admissibility.blocked`, `admissibility.checklist_failed`, `admissibility.already_decided`,
     *   `request.invalid` (decline without reasons), `state.bad_transition`; 403 for anyone but the provider
     */
    async recordDecision(tx: Queryable, ctx: RequestCtx, requestId: string, body: DecideAdmissibilityBody): Promise<{ decision: AdmissibilityDecision; reasons: string | null }> {
      const r = await loadRequest(tx, requestId);
      const provider = await assertProvider(tx, ctx, r);
      if (await repo.findDecision(tx, requestId)) throw new AppError('admissibility.already_decided');
      if (r.status !== 'requested') throw new InvalidTransitionError(r.status, body.outcome === 'accept' ? 'accepted' : 'declined');
      const blocks = await blocksOf(tx, r);
      const reasons = body.reasons?.trim() ? body.reasons.trim() : null;
      if (body.outcome === 'accept') {
        // Regulatory: docs/decisions.md#d8 — hard blocks that nobody can override, whatever the checklist says.
        if (blocks.length > 0) throw new AppError('admissibility.blocked', { detail: `Blocked by ${blocks.join(', ')}`, meta: { rules: blocks } });
        const open = unconfirmedItems(body.checklist);
        if (open.length > 0) {
          const errors: FieldIssue[] = open.map((k) => ({ in: 'body', pointer: `#/checklist/${k}`, detail: `Not confirmed (${CHECKLIST_RULES[k]})` }));
          throw new AppError('admissibility.checklist_failed', { errors, meta: { rules: open.map((k) => CHECKLIST_RULES[k]) } });
        }
      } else if (!reasons) {
        // Regulatory: Art. 9 — the refusal keeps its reasons.
        throw new AppError('request.invalid', { errors: [{ in: 'body', pointer: '#/reasons', detail: 'Give the reasons for declining' }] });
      }
      const id = ids.uuid();
      const inserted = await repo.insertDecision(tx, {
        id,
        requestId,
        facilityId: r.provider_facility_id,
        outcome: body.outcome,
        checklist: body.checklist,
        blockedRule: body.outcome === 'decline' ? (blocks[0] ?? null) : null,
        reasonsEnc: reasons ? await keyring.encrypt(tx, facilityScope(r.provider_facility_id), reasons, `admissibility:${id}:reasons`) : null,
        by: provider.accountId,
        practitionerId: provider.practitionerId,
        at: toDate(clock.now()),
      });
      if (!inserted) throw new AppError('admissibility.already_decided');
      await audit.record(tx, ctx, {
        action: 'admissibility.decided',
        ...(r.patient_id ? { patientId: r.patient_id } : {}),
        facilityId: r.provider_facility_id,
        subject: { type: 'request', id: requestId },
        reason: `request:${requestId}`,
        data: { outcome: body.outcome, decisionId: id, blockedRule: body.outcome === 'decline' ? (blocks[0] ?? null) : null, unconfirmed: unconfirmedItems(body.checklist).map((k) => CHECKLIST_RULES[k]) },
      });
      const row = await repo.findDecision(tx, requestId);
      if (!row) throw new AppError('internal');
      return { decision: await decisionView(ctx, tx, row), reasons };
    },

    /**
     * The specialist records an identity check before the service (Art. 7(1) item 5, R-TM-15): the
     * method, the outcome, who and when. The latest check of the request decides.
     * @throws {ForbiddenError} unless the actor is the providing specialist; `state.bad_transition` after the service
     */
    async recordIdentityVerification(ctx: RequestCtx, requestId: string, body: RecordVerificationBody): Promise<IdentityVerification> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const r = await loadRequest(tx, requestId);
          const provider = await assertProvider(tx, ctx, r);
          if (!VERIFIABLE.has(r.status)) throw new InvalidTransitionError(r.status, 'identity_verified');
          const id = ids.uuid();
          const note = body.note?.trim();
          await repo.insertVerification(tx, {
            id,
            requestId,
            facilityId: r.provider_facility_id,
            method: body.method,
            outcome: body.outcome,
            noteEnc: note ? await keyring.encrypt(tx, facilityScope(r.provider_facility_id), note, `identity_verification:${id}:note`) : null,
            by: provider.accountId,
            practitionerId: provider.practitionerId,
            at: toDate(clock.now()),
          });
          await audit.record(tx, ctx, {
            action: 'identity.verified',
            ...(r.patient_id ? { patientId: r.patient_id } : {}),
            facilityId: r.provider_facility_id,
            subject: { type: 'request', id: requestId },
            reason: `request:${requestId}`,
            data: { method: body.method, outcome: body.outcome, verificationId: id },
          });
          const v = await repo.latestVerification(tx, requestId);
          if (!v) throw new AppError('internal');
          return verificationView(ctx, tx, v, true);
        }),
      );
    },

    /**
     * What stands between a request and its service, for either side (the verification panel, the
     * consent flow). Provider-only notes stay with the provider.
     */
    async getGateStatus(ctx: RequestCtx, requestId: string): Promise<GateStatus> {
      return policy.guard(ctx, () =>
        withTransaction(db, async (tx) => {
          const r = await loadRequest(tx, requestId);
          const side = await sideOf(tx, ctx, policy, r);
          const f = await gateFacts(tx, r);
          // the terms of a recording consent are read through the consent itself (audited there)
          const consentView = (c: repo.ConsentRow | undefined) => (c ? consentFromRow(c, null) : null);
          return {
            requestId,
            requestStatus: r.status,
            viewerSide: side,
            hardBlocks: await blocksOf(tx, r),
            consentRequired: f.consentRequired,
            treatmentConsent: consentView(f.treatment),
            recordingConsent: consentView(f.recording),
            identity: f.verification ? await verificationView(ctx, tx, f.verification, side === 'provider') : null,
            decision: f.decision ? await decisionView(ctx, tx, f.decision) : null,
            missing: f.missing,
          };
        }),
      );
    },

    /**
     * Gate: the service may start (a call) or be worked on (a store-and-forward case) only with an
     * accept decision, a verified identity and — unless no personal data is processed — a treatment
     * consent signed before now (R-TM-10, R-TM-15, R-TM-23, R-TM-24). Runs in the caller's transaction.
     * @throws {AppError} `admissibility.decision_required`, `identity.not_verified`, `consent.missing` (the first missing; `meta.missing` lists all)
     */
    async assertServiceMayStart(tx: Queryable, _ctx: RequestCtx, requestId: string): Promise<void> {
      const r = await loadRequest(tx, requestId);
      // Regulatory: the kind-based hard blocks hold at the start too, whatever was decided; a failed
      // identity check is reported as `identity.not_verified` below (R-TM-15).
      const blocks = hardBlocks({ specialtyDental: r.specialty_dental, kindCode: r.kind_code, prohibitedRule: r.prohibited_rule, latestIdentityOutcome: null });
      if (blocks.length > 0) throw new AppError('admissibility.blocked', { meta: { rules: blocks } });
      const { missing } = await gateFacts(tx, r);
      const first = missing[0];
      if (first) throw new AppError(first, { meta: { missing } });
    },

    /**
     * Whether an active recording consent of the recipient covers `media` (R-TM-25, R-TM-26).
     * @returns the consent id when it does, otherwise null
     */
    async isRecordingConsentValid(tx: Queryable, requestId: string, media: RecordingMedia): Promise<{ consentId: string } | null> {
      const c = await repo.findActiveConsent(tx, requestId, 'recording');
      return c && recordingVerdict(c, media) === 'ok' ? { consentId: c.id } : null;
    },

    /**
     * Gate: recording starts only under a valid recording consent covering this type (Art. 19).
     * @returns the consent that allows it (the recording keeps its id)
     * @throws {AppError} `recording.consent_missing`, `recording.media_not_consented`
     */
    async assertRecordingAllowed(tx: Queryable, _ctx: RequestCtx, requestId: string, media: RecordingMedia): Promise<{ consentId: string }> {
      await loadRequest(tx, requestId);
      const c = await repo.findActiveConsent(tx, requestId, 'recording');
      const verdict = c ? recordingVerdict(c, media) : 'recording.consent_missing';
      if (verdict !== 'ok' || !c) throw new AppError(verdict === 'ok' ? 'recording.consent_missing' : verdict, { meta: { media } });
      return { consentId: c.id };
    },
  };
  return service;
}

export type AdmissibilityService = ReturnType<typeof createAdmissibilityService>;
