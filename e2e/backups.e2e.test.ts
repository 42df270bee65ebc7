import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { seriousAxeViolations } from './support/axe.js';
import { expectText } from './support/expect-text.js';
import { clickNav } from './support/nav.js';

// S-13/S-15 (Art. 28(1) items 5-7, docs/operations.md): what the operator shows an inspector. The server
// starts with two backup destinations; the setup takes a backup and runs the restore check through the
// real use cases, then the operator opens the backups page: the backup at both destinations, the last
// restore check with its signature verified in the browser, the PDF, and the second site's state.

const bg = messages.bg;

describe('the operator’s backups page', () => {
  let world: DemoWorld;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'distansia-e2e-backups-'));
    const identity = await generateX25519Identity();
    await writeFile(join(work, 'backup.key'), `${identity}\n`, { mode: 0o600 });
    world = await openDemoWorld({
      env: {
        DEV_MAIL_SINK: 'true',
        BACKUP_DESTINATIONS: `${join(work, 'site-a')},${join(work, 'site-b')}`,
        BACKUP_RECIPIENTS: await identityToRecipient(identity),
        BACKUP_IDENTITY_FILE: join(work, 'backup.key'),
      },
      seed: async (deps) => {
        // The restore check verifies the chains against heads exported before the backup.
        await deps.auditHeads.exportNow();
        const backup = await deps.backup.backupNow();
        expect(backup.status).toBe('ok');
        const check = await deps.backup.restoreCheckNow();
        expect(check.failure ?? null).toBeNull();
      },
    });
  });

  afterAll(async () => {
    await world?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('S-15: the operator sees the backup at both destinations, the signed restore check (signature verified, PDF) and the standby state; no serious axe findings', async () => {
    const page = await world.newSession(world.account('operator'));
    await clickNav(page, bg['backups.nav']);
    await expectText(page.getByRole('heading', { level: 1 }), bg['backups.title']);

    const row = page.getByRole('row').filter({ hasText: bg['backups.status.ok'] });
    await row.first().waitFor();
    // The seeded backup, and the daily job's own when the server started after today's BACKUP_TIME.
    expect(await row.count()).toBeGreaterThanOrEqual(1);
    await expectText(row.first(), `site-a: ${bg['backups.destination.ok']}`, 'contains');
    await expectText(row.first(), `site-b: ${bg['backups.destination.ok']}`, 'contains');

    await expectText(page.getByTestId('signature'), bg['backups.check.signatureOk']);
    await expectText(page.locator('.ui-facts'), bg['backups.check.passed'], 'contains');
    const standby = world.server.deps.database.kind === 'pglite' ? bg['backups.standby.embedded'] : bg['backups.standby.none'];
    await expectText(page.locator('main'), standby, 'contains');

    const pdfHref = await page.getByRole('link', { name: bg['backups.check.pdf'] }).getAttribute('href');
    const pdf = await page.evaluate(async (href) => {
      const r = await fetch(href ?? '');
      return { status: r.status, type: r.headers.get('content-type'), head: new TextDecoder().decode((await r.arrayBuffer()).slice(0, 5)) };
    }, pdfHref);
    expect(pdf).toEqual({ status: 200, type: 'application/pdf', head: '%PDF-' });

    const violations = await seriousAxeViolations(page);
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  });
});
