import { Temporal } from 'temporal-polyfill';
import { withTransaction, type Queryable } from '../../platform/db/index.js';
import { facilityScope } from '../../platform/crypto/keyring.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { LkkMonthlyReport, RouteToLkkBody } from '../../contracts/sick-leave.js';
import { caseContext, type SickLeaveData, type SickLeaveDeps } from './sick-leave.deps.js';
import { renderLkkReportPdf } from './expertise-lists-pdf.js';
import * as repo from './sick-leave.repo.js';

interface CaseRequest {
  request: RouteToLkkBody['request'];
  patientName: string;
  subject: SickLeaveData['subject'];
}

/**
 * The ЛКК's monthly report to the РЗОК (НРД R-133, чл. 69): the patients, protocol numbers, the
 * commission's composition, the decisions and the common part of each case's talon (№ 6), for the cases
 * decided in the month's sessions. Only the chair reports; each case read is audited as the queue's are.
 * @param deps - see `SickLeaveDeps`
 * @returns the use cases
 */
export function lkkReportUseCases(deps: SickLeaveDeps) {
  async function build(ctx: RequestCtx, tx: Queryable, lkkId: string, month: string, format: 'json' | 'pdf'): Promise<LkkMonthlyReport> {
    const lkk = (await repo.listLkks(tx, lkkId))[0];
    if (!lkk) throw new NotFoundError('lkk', lkkId);
    const a = ctx.actor;
    if (a.type !== 'user') throw new AppError('auth.unauthenticated');
    const me = a.role === 'specialist' ? await repo.practitionerOfAccount(tx, a.id) : undefined;
    const role = lkk.members.find((m) => m.practitionerId === me)?.role;
    if (!role) throw new AppError('lkk.not_member');
    // the chair reports; the other members see the queue and the protocols, not the report.
    if (role !== 'chair') throw new AppError('lkk.not_chair', { meta: { rule: 'R-133' } });
    const from = `${month}-01`;
    const until = Temporal.PlainDate.from(from).add({ months: 1 }).toString();
    const scope = facilityScope(lkk.facilityId);
    const cases = await repo.listReportCases(tx, lkkId, from, until);
    const rows: LkkMonthlyReport['rows'] = [];
    const totals: Record<string, number> = {};
    for (const c of cases) {
      if (!c.decision || c.protocol_no === null) continue;
      const req = await deps.keyring.decryptJson<CaseRequest>(ctx, tx, scope, c.request_enc, caseContext(c.id, 'request'));
      const protocol = c.protocol_enc ? await deps.keyring.decryptJson<{ startOn?: string; endOn?: string }>(ctx, tx, scope, c.protocol_enc, caseContext(c.id, 'protocol')) : {};
      rows.push({
        caseId: c.id,
        protocolNo: c.protocol_no,
        heldOn: c.held_on,
        patientName: req.patientName,
        identifierKind: req.subject.identifierType,
        identifier: req.subject.identifier,
        source: c.source,
        decision: c.decision,
        inForce: c.status === 'decided',
        period: c.decision === 'extend' ? { startOn: protocol.startOn ?? req.request.startOn, endOn: protocol.endOn ?? req.request.endOn } : null,
        talon: { practitionerName: c.from_practitioner_name, practitionerUin: c.from_practitioner_uin, facilityName: c.from_facility_name, facilityNumber: c.from_facility_number, diagnosisCode: req.request.diagnosisCode, form6ReferralId: c.form6_referral_id },
      });
      totals[c.decision] = (totals[c.decision] ?? 0) + 1;
      await deps.audit.record(tx, ctx, { action: 'lkk.case_read', patientId: c.patient_id, facilityId: lkk.facilityId, reason: `lkk_case:${c.id}`, subject: { type: 'lkk_case', id: c.id } });
    }
    await deps.audit.record(tx, ctx, { action: 'lkk.report_read', facilityId: lkk.facilityId, subject: { type: 'lkk', id: lkkId }, data: { month, cases: rows.length, format } });
    return { lkk, month, sessions: await repo.sessionsBetween(tx, lkkId, from, until), rows, totals };
  }

  return {
    async lkkMonthlyReport(ctx: RequestCtx, lkkId: string, month: string): Promise<LkkMonthlyReport> {
      return deps.policy.guard(ctx, () => withTransaction(deps.db, (tx) => build(ctx, tx, lkkId, month, 'json')));
    },

    async lkkMonthlyReportPdf(ctx: RequestCtx, lkkId: string, month: string): Promise<{ pdf: Buffer; filename: string }> {
      return deps.policy.guard(ctx, () =>
        withTransaction(deps.db, async (tx) => {
          const report = await build(ctx, tx, lkkId, month, 'pdf');
          const uins = await repo.memberUins(tx, lkkId);
          return { pdf: await renderLkkReportPdf(report, uins, deps.clock.now().toString()), filename: `lkk-otchet-${month}.pdf` };
        }),
      );
    },
  };
}
