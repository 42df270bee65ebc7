import { Temporal } from 'temporal-polyfill';
import { withTransaction } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/errors/app-error.js';
import type { CreateHomeVisitBody, HomeVisit, ProphylaxisDue } from '../../contracts/practice.js';
import { classifyHomeVisit, prophylaxisDue } from './desk-rules.js';
import { ruleOn } from './fee-rules.js';
import { assertPracticeStaff, openFor, sealFor, type PracticeDeps } from './practice.deps.js';
import * as repo from './practice.repo.js';
import { listListedPatientsIn } from '../gp/index.js';

const GP_ONLY = new Set(['specialist']);
const detailsContext = (id: string) => `practice_home_visit:${id}:details`;
type Details = { address: string; symptoms: string; knownDiseases?: string | undefined; companion?: string | undefined };

/**
 * Home visits (W18, R-PC-16) and the prophylaxis plan's worklist (W20, R-PRO-01).
 * @returns the use cases
 */
export function homeVisitAndPlanUseCases(deps: PracticeDeps) {
  async function toWire(ctx: RequestCtx, q: Parameters<typeof repo.findHomeVisit>[0], r: repo.HomeVisitRow): Promise<HomeVisit> {
    const d = await openFor<Details>(deps, ctx, q, r.facility_id, r.details_enc, detailsContext(r.id));
    return {
      id: r.id,
      patientId: r.patient_id,
      channel: r.channel,
      requestedAt: new Date(r.requested_at).toISOString(),
      agreedFor: r.agreed_for ? new Date(r.agreed_for).toISOString() : null,
      address: d.address,
      symptoms: d.symptoms,
      knownDiseases: d.knownDiseases ?? null,
      companion: d.companion ?? null,
      category: r.category,
      reclassified: r.reclassified,
      encounterId: r.encounter_id,
    };
  }
  return {
    /** W18 step 1: the patient or a relative asks by phone, in person or via the admin provider; the desk records it (encrypted). */
    async requestHomeVisit(ctx: RequestCtx, facilityId: string, body: CreateHomeVisitBody): Promise<HomeVisit> {
      await assertPracticeStaff(deps, ctx, facilityId);
      return withTransaction(deps.db, async (tx) => {
        const id = deps.ids.uuid();
        const details: Details = { address: body.address, symptoms: body.symptoms, knownDiseases: body.knownDiseases, companion: body.companion };
        await repo.insertHomeVisit(tx, { id, facilityId, patientId: body.patientId, channel: body.channel, requestedAt: deps.clock.now().toString(), detailsEnc: await sealFor(deps, tx, facilityId, details, detailsContext(id)), agreedFor: body.agreedFor ?? null });
        await deps.audit.record(tx, ctx, { action: 'practice.home_visit_changed', facilityId, patientId: body.patientId, subject: { type: 'practice_home_visit', id }, data: { channel: body.channel } });
        return toWire(ctx, tx, (await repo.findHomeVisit(tx, id)) as repo.HomeVisitRow);
      });
    },
    async listHomeVisits(ctx: RequestCtx, facilityId: string): Promise<{ items: HomeVisit[] }> {
      await assertPracticeStaff(deps, ctx, facilityId);
      return withTransaction(deps.db, async (tx) => {
        const rows = await repo.listOpenHomeVisits(tx, facilityId);
        const items: HomeVisit[] = [];
        for (const r of rows) items.push(await toWire(ctx, tx, r));
        await deps.audit.record(tx, ctx, { action: 'practice.queue_read', facilityId, subject: { type: 'facility', id: facilityId }, data: { count: items.length, list: 'home_visits' } });
        return { items };
      });
    },
    /** R-PC-16: the GP decides covered or paid; a misled request is reclassified to paid (before the visit is recorded). */
    async decideHomeVisit(ctx: RequestCtx, facilityId: string, id: string, body: { careImpossibleInClinic: boolean; misled: boolean }): Promise<HomeVisit> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, GP_ONLY);
      const decision = classifyHomeVisit(body);
      return withTransaction(deps.db, async (tx) => {
        const r = await repo.findHomeVisit(tx, id);
        if (!r || r.facility_id !== facilityId) throw new NotFoundError('home visit', id);
        if (!(await repo.decideHomeVisit(tx, id, decision.category, decision.reclassified, actor.id))) throw new AppError('resource.conflict', { detail: 'The visit is already recorded' });
        await deps.audit.record(tx, ctx, { action: 'practice.home_visit_changed', facilityId, patientId: r.patient_id, subject: { type: 'practice_home_visit', id }, data: { category: decision.category, reclassified: decision.reclassified, rule: 'R-PC-16' } });
        return toWire(ctx, tx, (await repo.findHomeVisit(tx, id)) as repo.HomeVisitRow);
      });
    },
    /**
     * W20 / R-PRO-01: the GP's listed patients due a prophylactic exam in the month (by age band, from the
     * last prophylactic visit recorded here). Each name read is the patient's own audited read.
     */
    async prophylaxisDue(ctx: RequestCtx, facilityId: string, month: string): Promise<ProphylaxisDue> {
      const actor = await assertPracticeStaff(deps, ctx, facilityId, GP_ONLY);
      const practitionerId = await repo.practitionerOfAccount(deps.db, actor.id);
      if (!practitionerId) throw new ForbiddenError('Only a GP of the practice');
      const first = Temporal.PlainDate.from(`${month}-01`);
      const next = first.add({ months: 1 }).toString();
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const bands = ruleOn(await repo.loadRules(tx), 'pro.frequency', first.toString());
          const listed = await listListedPatientsIn(tx, facilityId, practitionerId, first.toString());
          const lastExams = await repo.lastProphylaxisExams(tx, facilityId, listed, next);
          const items: ProphylaxisDue['items'] = [];
          for (const patientId of listed) {
            const p = await deps.patients.readPatientIn(tx, ctx, patientId);
            const lastExamOn = lastExams.get(patientId) ?? null;
            const due = prophylaxisDue(p.birthDate, lastExamOn, month, bands);
            if (due.due) items.push({ patientId, name: `${p.givenName} ${p.familyName}`, birthDate: p.birthDate, lastExamOn, everyMonths: due.everyMonths });
          }
          return { month, items };
        }),
      );
    },
  };
}
