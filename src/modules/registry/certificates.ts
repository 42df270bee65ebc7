import type { RequestCtx } from '../../platform/auth/request-context.js';
import { NotFoundError } from '../../platform/errors/app-error.js';
import type { Certificate, CertificateInput } from '../../contracts/registry.js';
import { assertManages } from './registry-access.js';
import { certificateState } from './registry-rules.js';
import { invalid, type RegistryCore } from './registry-shared.js';
import * as repo from './registry.repo.js';

/**
 * Certificates and technical documentation of a facility (Art. 25-26).
 * @param core - the registry's shared core
 * @returns the use cases
 */
export function createCertificateUseCases(core: RegistryCore) {
  const { deps, run, reader, now, today, facilityOr404 } = core;
  return {
    /**
     * The certificates and technical documentation of a facility, with their state today.
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @returns the certificates; expired ones are flagged `expired`
     */
    async listCertificates(ctx: RequestCtx, facilityId: string): Promise<{ items: Certificate[] }> {
      await assertManages(reader, ctx, facilityId);
      const f = await facilityOr404(reader, facilityId);
      const day = today(f.timeZone);
      const rows = await repo.listCertificates(reader, facilityId);
      return {
        items: rows.map((r) => ({
          id: r.id,
          facilityId: r.facilityId,
          kind: r.kind,
          title: r.title,
          issuer: r.issuer,
          reference: r.reference,
          issuedOn: r.issuedOn,
          expiresOn: r.expiresOn,
          state: certificateState({ expiresOn: r.expiresOn, withdrawn: r.withdrawnAt !== null }, day),
          recordedAt: r.recordedAt.toISOString(),
        })),
      };
    },

    /**
     * Records a certificate or technical document (Art. 25-26).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param input - the document
     * @returns the certificate with its state
     */
    async recordCertificate(ctx: RequestCtx, facilityId: string, input: CertificateInput): Promise<Certificate> {
      await assertManages(reader, ctx, facilityId);
      if (input.expiresOn && input.expiresOn < input.issuedOn) throw invalid('#/expiresOn', 'expiresOn is before issuedOn');
      return run(async (tx) => {
        const f = await facilityOr404(tx, facilityId);
        const actorId = ctx.actor.type === 'anonymous' ? 'anonymous' : ctx.actor.id;
        const r = await repo.insertCertificate(tx, { id: deps.ids.uuid(), facilityId, ...input, expiresOn: input.expiresOn ?? null, recordedBy: actorId, recordedAt: now() });
        await deps.audit.record(tx, ctx, { action: 'facility.certificate_recorded', facilityId, subject: { type: 'facility_certificate', id: r.id }, data: { kind: r.kind, expiresOn: r.expiresOn } });
        return {
          id: r.id,
          facilityId,
          kind: r.kind,
          title: r.title,
          issuer: r.issuer,
          reference: r.reference,
          issuedOn: r.issuedOn,
          expiresOn: r.expiresOn,
          state: certificateState({ expiresOn: r.expiresOn, withdrawn: false }, today(f.timeZone)),
          recordedAt: r.recordedAt.toISOString(),
        };
      });
    },

    /**
     * Marks a certificate withdrawn (it stays on record).
     * @param ctx - an administrator of the facility
     * @param facilityId - facility id
     * @param id - certificate id
     */
    async withdrawCertificate(ctx: RequestCtx, facilityId: string, id: string): Promise<void> {
      await assertManages(reader, ctx, facilityId);
      await run(async (tx) => {
        const row = await repo.withdrawCertificate(tx, facilityId, id, now());
        if (!row) throw new NotFoundError('facility_certificate', id);
        await deps.audit.record(tx, ctx, { action: 'facility.certificate_withdrawn', facilityId, subject: { type: 'facility_certificate', id } });
      });
    },
  };
}
