import { Temporal } from 'temporal-polyfill';
import { toDate } from '../../platform/clock.js';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { ConsultationQuality, FacilityQualityReport, QualityReport, QualityReportFacilityList, QualitySample, QualitySummary } from '../../contracts/consultation.js';
import type { Role } from '../../contracts/identity.js';
import * as repo from './consultation.repo.js';
import { finishedError, iso, type ConsultationAccess } from './consultation-access.service.js';
import type { ConsultationDeps } from './consultation.service.js';
import { AV_SYNC_LIMIT_MS, LATENCY_LIMIT_MS, judgeSample } from './quality.js';

/** The facility staff who see their own facility's quality report (the supervisory agency sees any). */
const QUALITY_REPORT_STAFF: readonly Role[] = ['specialist', 'facility_admin', 'coordinator'];

export function summaryOf(c: repo.ConsultationRow): QualitySummary {
  return {
    latencyLimitMs: LATENCY_LIMIT_MS,
    avSyncLimitMs: AV_SYNC_LIMIT_MS,
    sampleCount: c.quality_sample_count,
    latencyBreachCount: c.latency_breach_count,
    avSyncBreachCount: c.av_sync_breach_count,
    maxLatencyMs: c.max_latency_ms,
    maxAvSyncMs: c.max_av_sync_ms,
  };
}

function sampleOf(r: repo.SampleRow): QualitySample {
  return {
    accountId: r.account_id,
    measuredAt: iso(r.measured_at),
    rttMs: r.rtt_ms,
    latencyMs: r.latency_ms,
    avSyncMs: r.av_sync_ms,
    jitterMs: r.jitter_ms,
    packetLossPct: r.packet_loss_pct,
    framesPerSecond: r.frames_per_second,
    bitrateKbps: r.bitrate_kbps,
    latencyBreach: r.latency_breach,
    avSyncBreach: r.av_sync_breach,
  };
}

/**
 * Quality evidence of consultations (Art. 28(1) items 8-9): samples from the browsers, the per-consultation
 * summary and the facility report.
 * @param deps - the consultation's dependencies
 * @param access - the shared participation checks
 * @returns the quality use cases
 */
export function createConsultationQuality(deps: ConsultationDeps, access: ConsultationAccess) {
  const { db, clock, ids, audit, events } = deps;
  const { guard, participantOf, subject } = access;
  return {
    /**
     * Stores one browser statistics report and flags breaches of 50 ms / 150 ms (Art. 28(1) items 8-9).
     * Figures are not patient data: no audit row per sample (several per minute), the breaches are on
     * the consultation and in the facility report.
     * @returns the judged sample, which is pushed to the room for the specialist's indicator
     */
    async recordQuality(ctx: RequestCtx, id: string, report: QualityReport): Promise<QualitySample> {
      const sample = await withTransaction(db, async (tx) => {
        const { c, me } = await participantOf(tx, ctx, id);
        if (c.status === 'finished') throw finishedError();
        const judged = judgeSample(report);
        const now = clock.now();
        await repo.insertSample(tx, { id: ids.uuid(), consultationId: id, accountId: me.account_id, at: toDate(now), sample: judged });
        return {
          accountId: me.account_id,
          measuredAt: now.toString(),
          rttMs: judged.rttMs,
          latencyMs: judged.latencyMs,
          avSyncMs: judged.avSyncMs,
          jitterMs: judged.jitterMs,
          packetLossPct: judged.packetLossPct,
          framesPerSecond: judged.framesPerSecond,
          bitrateKbps: judged.bitrateKbps,
          latencyBreach: judged.latencyBreach,
          avSyncBreach: judged.avSyncBreach,
        } satisfies QualitySample;
      });
      await events.publish(id, { kind: 'quality', accountId: sample.accountId, sample });
      return sample;
    },

    /** The quality evidence of one consultation (summary and latest samples), for its participants. */
    async getQuality(ctx: RequestCtx, id: string): Promise<ConsultationQuality> {
      return guard(ctx, { action: 'consultation.viewed', subject: subject(id) }, async () => {
        const { c } = await participantOf(db, ctx, id);
        const samples = await repo.listSamples(db, id);
        return { summary: summaryOf(c), samples: samples.map(sampleOf) };
      });
    },

    /**
     * The facility quality report for a period: samples, breaches, p95 figures and the flagged consultations.
     * @throws {ForbiddenError} unless the actor works for the facility or is the supervisory agency
     */
    async facilityQualityReport(ctx: RequestCtx, facilityId: string, from: string, to: string): Promise<FacilityQualityReport> {
      const actor = ctx.actor;
      if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
      const staff = QUALITY_REPORT_STAFF.includes(actor.role) && actor.facilityIds.includes(facilityId);
      if (!staff && actor.role !== 'supervisor') {
        await audit.recordStandalone(ctx, { action: 'consultation.quality_report_viewed', outcome: 'denied', facilityId, subject: { type: 'facility', id: facilityId } });
        throw new ForbiddenError('Only the facility and the supervisory agency see its quality report');
      }
      const f = Temporal.Instant.from(from);
      const t = Temporal.Instant.from(to);
      if (Temporal.Instant.compare(f, t) >= 0) throw new AppError('request.invalid', { errors: [{ in: 'query', pointer: '#/to', detail: 'to must be after from' }] });
      return withTransaction(db, async (tx) => {
        const totals = await repo.facilityQuality(tx, facilityId, toDate(f), toDate(t));
        if (!totals) throw new NotFoundError('facility', facilityId);
        const flagged = await repo.flaggedConsultations(tx, facilityId, toDate(f), toDate(t));
        await audit.record(tx, ctx, { action: 'consultation.quality_report_viewed', facilityId, subject: { type: 'facility', id: facilityId }, data: { from, to } });
        return {
          facilityId,
          facilityName: totals.facility_name,
          from,
          to,
          latencyLimitMs: LATENCY_LIMIT_MS,
          avSyncLimitMs: AV_SYNC_LIMIT_MS,
          consultations: totals.consultations,
          samples: totals.samples,
          latencyBreaches: totals.latency_breaches,
          avSyncBreaches: totals.av_sync_breaches,
          p95LatencyMs: totals.p95_latency_ms,
          p95AvSyncMs: totals.p95_av_sync_ms,
          flagged: flagged.map((r) => ({ consultationId: r.id, latencyBreaches: r.latency_breaches, avSyncBreaches: r.av_sync_breaches, maxLatencyMs: r.max_latency_ms, maxAvSyncMs: r.max_av_sync_ms })),
        };
      });
    },

    /**
     * The facilities whose quality report the caller may open as their staff, with names (one query).
     * The supervisory agency opens any facility's report by id and is offered none here.
     * @returns the facilities, by name
     */
    async qualityReportFacilities(ctx: RequestCtx): Promise<QualityReportFacilityList> {
      const actor = ctx.actor;
      if (actor.type !== 'user') throw new AppError('auth.unauthenticated');
      const ids = QUALITY_REPORT_STAFF.includes(actor.role) ? actor.facilityIds : [];
      return { items: await repo.facilityNames(db, ids) };
    },
  };
}
