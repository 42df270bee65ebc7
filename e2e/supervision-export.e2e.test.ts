import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { seriousAxeViolations } from './support/axe.js';
import { expectText } from './support/expect-text.js';
import { clickNav } from './support/nav.js';

// The supervisor's audit export screen (Art. 21; docs/audit.md): from the role's navigation, a facility
// and a period of whole days in Bulgarian time, CSV or FHIR; the download is the server's export, which
// records itself in the audit trail. At 375 px and 1280 px, with axe on the page.

const bg = messages.bg;

describe('supervisor: audit trail export', () => {
  let world: DemoWorld;

  beforeAll(async () => {
    world = await openDemoWorld();
  });

  afterAll(async () => {
    await world?.close();
  });

  it('chooses a facility and a period and downloads the CSV and the FHIR bundle', async () => {
    const page = await world.newSession(world.account('supervisor'));
    for (const viewport of [{ width: 375, height: 812 }, { width: 1280, height: 800 }]) {
      await page.setViewportSize(viewport);
      await page.goto(`${world.server.baseUrl}/`);
      await clickNav(page, bg['auditExport.nav']);
      await expectText(page.getByRole('heading', { level: 1 }), bg['auditExport.title']);
      // The header stays one row (docs/design-system.md).
      const header = await page.getByRole('banner').boundingBox();
      expect(header?.height ?? 999).toBeLessThanOrEqual(viewport.width < 600 ? 64 : 80);
      await page.getByLabel(bg['compliance.facility'], { exact: true }).locator('option').first().waitFor({ state: 'attached' });
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    await page.getByLabel(bg['compliance.facility'], { exact: true }).selectOption({ label: 'МЦ „Св. Лука“ Телемедицина' });
    const download = page.getByTestId('audit-export-download');
    const csvHref = (await download.getAttribute('href')) ?? '';
    expect(new URL(csvHref, world.server.baseUrl).searchParams.get('format')).toBe('csv');
    const csv = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get('content-type') ?? '', firstLine: (await r.text()).split('\n')[0] ?? '' };
    }, csvHref);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    expect(csv.firstLine.length).toBeGreaterThan(10);

    await page.getByLabel(bg['auditExport.format.fhir']).check();
    const fhirHref = (await download.getAttribute('href')) ?? '';
    const fhir = await page.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, body: (await r.json()) as { resourceType: string; type: string } };
    }, fhirHref);
    expect(fhir).toMatchObject({ status: 200, body: { resourceType: 'Bundle', type: 'collection' } });

    // A period that ends before it starts offers no download and says why.
    await page.getByLabel(bg['compliance.from']).fill('2026-12-10');
    await page.getByLabel(bg['compliance.to']).fill('2026-12-01');
    await expectText(page.getByRole('alert'), bg['compliance.badPeriod']);
    expect(await download.count()).toBe(0);
  });
});
