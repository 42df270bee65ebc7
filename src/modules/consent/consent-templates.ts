import { withTransaction, type Tx } from '../../platform/db/index.js';
import type { RequestCtx } from '../../platform/auth/request-context.js';
import { AppError, NotFoundError } from '../../platform/errors/app-error.js';
import type { ConsentKind, ConsentTemplate, ConsentTemplateList, CreateConsentTemplateBody } from '../../contracts/consent.js';
import * as repo from './consent.repo.js';
import { templateView, type ConsentDeps } from './consent-common.js';
import type { ConsentCore } from './consent-core.js';

/**
 * A facility's consent forms (Art. 19(3), R-TM-27): drafts, publication, the list, and set-up in a caller's transaction.
 * @param deps - the consent dependencies
 * @param core - the shared consent helpers
 */
export function createConsentTemplates(deps: ConsentDeps, core: ConsentCore) {
  const { db } = deps;
  const { assertFacilityAdmin, createTemplateIn, publishIn } = core;

  return {
    /**
     * Drafts a new version of a facility's consent form (Art. 19(3), R-TM-27).
     * @throws {ForbiddenError} unless the actor administers the facility
     */
    async createTemplate(ctx: RequestCtx, facilityId: string, body: CreateConsentTemplateBody): Promise<ConsentTemplate> {
      const by = assertFacilityAdmin(ctx, facilityId);
      return withTransaction(db, async (tx) => templateView(await createTemplateIn(tx, ctx, facilityId, body, by)));
    },

    /**
     * Publishes a draft: its texts are fixed (sha256) and the previous version of the kind retires.
     * @throws {AppError} `consent.template_published` when it is not a draft
     */
    async publishTemplate(ctx: RequestCtx, templateId: string): Promise<ConsentTemplate> {
      return withTransaction(db, async (tx) => {
        const t = await repo.findTemplate(tx, templateId);
        if (!t) throw new NotFoundError('consent_template', templateId);
        const by = assertFacilityAdmin(ctx, t.facility_id);
        return templateView(await publishIn(tx, ctx, t, by));
      });
    },

    /** A facility's forms: its administrators see every version, everyone else the published ones. */
    async listTemplates(ctx: RequestCtx, facilityId: string, kind: ConsentKind | undefined): Promise<ConsentTemplateList> {
      const a = ctx.actor;
      if (a.type !== 'user') throw new AppError('auth.unauthenticated');
      const admin = a.role === 'facility_admin' && a.facilityIds.includes(facilityId);
      const list = await repo.listTemplates(db, facilityId, kind, !admin);
      return { items: list.map(templateView) };
    },

    /**
     * Creates and publishes a form version in the caller's transaction (demo seeding, facility set-up).
     * @param tx - the caller's transaction
     * @param ctx - who acts (audited)
     * @param facilityId - whose form
     * @param body - the texts
     * @param createdBy - the account recorded as author and publisher
     * @returns the published version
     */
    async seedPublishedTemplate(tx: Tx, ctx: RequestCtx, facilityId: string, body: CreateConsentTemplateBody, createdBy: string): Promise<ConsentTemplate> {
      const t = await createTemplateIn(tx, ctx, facilityId, body, createdBy);
      return templateView(await publishIn(tx, ctx, t, createdBy));
    },

  };
}
