import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { pgErrorOf } from '../../platform/db/pg-errors.js';
import type { TestApp } from '../../test/app-harness.js';
import type { AccessWorld } from '../../test/access-world.js';
import { useConsentWorld } from '../../test/consent-world.js';
import type { ConsentTemplate } from '../../contracts/consent.js';
import { DEMO_CONSENT_TEMPLATES } from './index.js';

// Consent and admissibility through the real routes (consent, requests transitions, consultation) on
// PGlite and PostgreSQL; each rule test names its rule. The world: src/test/consent-world.ts.

describe('consent, identity verification and admissibility', () => {
  const cw = useConsentWorld({ publishTemplates: false });
  const { post, get, codeOf } = cw;
  let t: TestApp; let w: AccessWorld;
  beforeAll(() => {
    ({ t, w } = cw.state());
  });

  describe('consent forms (R-TM-27)', () => {
    it('R-TM-27: the facility administrator drafts and publishes its own forms; others cannot', async () => {
      const denied = await post('specialistWithCare', `/api/v1/facilities/${w.facilityId}/consent-templates`, DEMO_CONSENT_TEMPLATES[0]);
      expect(denied.statusCode).toBe(403);
      const otherFacility = await post('facilityAdmin', `/api/v1/facilities/${w.otherFacilityId}/consent-templates`, DEMO_CONSENT_TEMPLATES[0]);
      expect(otherFacility.statusCode).toBe(403);

      for (const body of DEMO_CONSENT_TEMPLATES) {
        const draft = await post('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates`, body);
        expect(draft.statusCode, draft.body).toBe(201);
        expect(draft.json<ConsentTemplate>()).toMatchObject({ status: 'draft', version: 1, textSha256: null });
        const pub = await post('facilityAdmin', `/api/v1/consent-templates/${draft.json<ConsentTemplate>().id}/publish`);
        expect(pub.statusCode).toBe(200);
        expect(pub.json<ConsentTemplate>().textSha256).toMatch(/^[0-9a-f]{64}$/);
      }
      const seen = await get('patientA', `/api/v1/facilities/${w.facilityId}/consent-templates`);
      expect(seen.json<{ items: ConsentTemplate[] }>().items.map((x) => x.kind).sort()).toEqual(['recording', 'treatment']);
    });

    it('a published version is immutable, and publishing a new version retires the old one', async () => {
      const before = (await get('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates?kind=treatment`)).json<{ items: ConsentTemplate[] }>().items;
      const v1 = before.find((x) => x.status === 'published');
      expect(v1).toBeDefined();
      const err = await t.deps.db.execute(sql`UPDATE consent_template SET body_bg = 'подменен текст' WHERE id = ${v1?.id ?? ''}`).catch((e: unknown) => e);
      expect(pgErrorOf(err)?.hint).toBe('consent.template_published');
      const again = await post('facilityAdmin', `/api/v1/consent-templates/${v1?.id ?? ''}/publish`);
      expect(codeOf(again)).toBe('consent.template_published');

      const draft = await post('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates`, DEMO_CONSENT_TEMPLATES[0]);
      expect(draft.json<ConsentTemplate>().version).toBe(2);
      await post('facilityAdmin', `/api/v1/consent-templates/${draft.json<ConsentTemplate>().id}/publish`);
      const after = (await get('facilityAdmin', `/api/v1/facilities/${w.facilityId}/consent-templates?kind=treatment`)).json<{ items: ConsentTemplate[] }>().items;
      expect(after.map((x) => [x.version, x.status])).toEqual([
        [2, 'published'],
        [1, 'retired'],
      ]);
    });
  });
});
