import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../web/src/i18n/messages.js';
import { insertRequestFixture } from '../src/test/consultation-world.js';
import { createSoftHsm, createTestPki, SOFTHSM_MODULE, type SoftHsm } from '../src/test/softhsm.js';
import { expectText } from './support/expect-text.js';
import { passConsentGates } from './support/consultation.js';
import { openDemoWorld, type DemoWorld } from './support/demo-world.js';
import { pageApi as api } from './support/page-api.js';
import { seriousAxeViolations } from './support/axe.js';

// The qualified signature with the doctor's card (docs/records.md#the-local-signer): the real
// `distansia signer` process runs on "the doctor's computer" over a SoftHSM token holding a certificate
// for the demo specialist's UIN, issued by a test CA that the server trusts (SIGNING_CA_BUNDLE). In
// Chromium the review step finds the agent on its port, the specialist pairs with the printed code and
// signs with "Подпиши с КЕП"; the server verifies and stores a qualified signature, and the browser then
// has the same card sign the NHIS token challenge, X001 and X003 (docs/nhis.md#signer), which the NHIS
// simulator, reached over HTTP (NHIS_SIMULATOR=http, trusting the card's test CA too), checks and records.
// Screenshots of the review step go to SCREENSHOT_DIR when it is set (docs/screenshots/).

const bg = messages.bg;
const SHEET = {
  purpose: 'consultation',
  anamnesis: 'Главоболие сутрин от 2 седмици.',
  objectiveFindings: 'Изпратени стойности на АН за 7 дни: средно 148/93 mmHg.',
  diagnoses: [{ code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary' }],
  therapy: 'Промяна в начина на живот.',
  medications: [],
  recommendations: 'Домашно измерване два пъти дневно.',
  followUp: 'Контрол след 4 седмици.',
};

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe('signing a sheet with the doctor’s card through the local agent', () => {
  let world: DemoWorld;
  let hsm: SoftHsm;
  let dir: string;
  let agent: ChildProcess | undefined;
  let pairingCode = '';
  let agentPort = 0;
  let patient: Page | undefined;
  let doctorPage: Page | undefined;
  /** SHA-256 (hex) of the card certificate's DER: what the simulator reports for each message it accepted. */
  let cardSha256 = '';

  beforeAll(async () => {
    const pki = await createTestPki();
    dir = await mkdtemp(join(tmpdir(), 'e2e-kep-'));
    await writeFile(join(dir, 'ca.pem'), pki.caPem);
    world = await openDemoWorld({ env: { SIGNING_CA_BUNDLE: join(dir, 'ca.pem'), NHIS_SIMULATOR: 'http' } });
    // The demo's first specialist (the account `world.account('specialist')` signs in with), as in the records journey.
    const uin = (await world.server.deps.db.execute<{ uin: string }>(sql`SELECT p.uin FROM user_account a JOIN practitioner_role r ON r.practitioner_id = a.practitioner_id JOIN practitioner p ON p.id = a.practitioner_id WHERE a.role = 'specialist' ORDER BY r.created_at LIMIT 1`)).rows[0]!.uin.trim();
    // The doctor's card: an RSA key (as КЕП cards hold) and the certificate naming the doctor's UIN.
    const card = await pki.issue({ uin, name: 'Д-р Демо Специалист', alg: 'RS256' });
    cardSha256 = createHash('sha256').update(new X509Certificate(card.certPem).raw).digest('hex');
    hsm = await createSoftHsm([{ label: 'kep', pin: '4321', keys: [{ id: '01', label: 'КЕП', issued: card }] }]);
    await writeFile(join(dir, 'pin'), '4321\n', { mode: 0o600 });
    agentPort = await freePort();
    agent = spawn(process.execPath, ['bin/distansia.mjs', 'signer', '--module', SOFTHSM_MODULE, '--origin', world.server.baseUrl, '--token-label', 'kep', '--pin-file', join(dir, 'pin'), '--port', String(agentPort)], {
      env: { ...process.env, SOFTHSM2_CONF: hsm.conf },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pairingCode = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`the agent did not start: ${out}`)), 30_000);
      agent?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const m = /Pairing code: (\d{8})/.exec(out);
        if (m?.[1]) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
      agent?.stderr?.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
      });
      agent?.once('exit', (code) => reject(new Error(`the agent exited (${String(code)}): ${out}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent?.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
    await world?.close();
    await hsm?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A completed store-and-forward service of the demo specialist with a draft sheet, ready for review. */
  async function serviceWithDraft(doctor: Page): Promise<string> {
    const db = world.server.deps.db;
    const spec = (await db.execute(sql`SELECT a.practitioner_id, r.facility_id FROM user_account a JOIN practitioner_role r ON r.practitioner_id = a.practitioner_id WHERE a.role = 'specialist' ORDER BY r.created_at LIMIT 1`)).rows[0] as { practitioner_id: string; facility_id: string };
    const pat = (await db.execute(sql`SELECT id, patient_id FROM user_account WHERE role = 'patient' LIMIT 1`)).rows[0] as { id: string; patient_id: string };
    const requestId = await insertRequestFixture(db, world.server.deps, { facilityId: spec.facility_id, practitionerId: spec.practitioner_id, patientId: pat.patient_id, requesterAccountId: pat.id, status: 'requested', mode: 'asynchronous' });
    const patientAccount = world.account('patient');
    patient ??= await world.newSession(patientAccount);
    // Acceptance, the identity check and the written consent through the real APIs (as in the records journey).
    await passConsentGates(world, requestId, doctor, patient);
    await doctor.goto(`${world.server.baseUrl}/requests/${requestId}/consultation`);
    await doctor.waitForURL(/\/consultations\/[0-9a-f-]{36}$/);
    await doctor.getByRole('button', { name: bg['consultation.complete'], exact: true }).click();
    await doctor.getByTestId('completed-at').waitFor();
    await api(doctor, 'POST', `/api/v1/requests/${requestId}/documents`, { kind: 'ambulatory_sheet', body: SHEET });
    return requestId;
  }

  it('pairs, signs qualified with the card, and the NHIS simulator records the sheet', async () => {
    const db = world.server.deps.db;
    // The browser remembers the port the doctor's agent listens on (17443 unless started with --port).
    const doctor = await world.newSession(world.account('specialist'), {
      prepare: async (page) => {
        await page.addInitScript((port) => window.localStorage.setItem('distansia.signer.port', String(port)), agentPort);
      },
    });
    doctorPage = doctor;
    const requestId = await serviceWithDraft(doctor);

    // The review and the signature in the browser.
    await doctor.goto(`${world.server.baseUrl}/requests/${requestId}/sheet`);
    await doctor.getByRole('button', { name: bg['records.editor.review'] }).click();
    await doctor.getByRole('heading', { name: bg['records.review.title'] }).waitFor();

    // The agent answers on its port: the card panel asks to pair first.
    const panel = doctor.getByTestId('card-signing');
    await panel.getByRole('heading', { name: bg['records.card.title'] }).waitFor();
    expect(await panel.getByRole('button', { name: bg['records.card.sign'] }).count()).toBe(0);
    expect(await seriousAxeViolations(doctor)).toEqual([]);
    await panel.getByLabel(bg['records.card.pairCode']).fill(pairingCode);
    await panel.getByRole('button', { name: bg['records.card.pair'] }).click();
    const signWithCard = panel.getByRole('button', { name: bg['records.card.sign'] });
    await signWithCard.waitFor();
    await expectText(panel.getByTestId('card-certificate'), 'Д-р Демо Специалист', 'contains');
    expect(await signWithCard.isDisabled()).toBe(true);
    await doctor.getByLabel(bg['records.review.code']).fill(await world.freshCode(world.account('specialist')));
    expect(await seriousAxeViolations(doctor)).toEqual([]);
    if (process.env.SCREENSHOT_DIR) {
      for (const [name, width] of [['phone', 375], ['desktop', 1280]] as const) {
        await doctor.setViewportSize({ width, height: width === 375 ? 812 : 800 });
        await panel.scrollIntoViewIfNeeded();
        await doctor.screenshot({ path: join(process.env.SCREENSHOT_DIR, `records-kep-${name}.png`) });
      }
      await doctor.setViewportSize({ width: 1280, height: 800 });
    }
    const seenBefore = world.server.deps.nhisHttp?.signedBy().length ?? 0;
    await signWithCard.click();

    // Signed qualified, verified against the test CA, and recorded in the NHIS simulator over HTTP with
    // messages the card signed: the screen says so, and the simulator saw the card's certificate on them.
    await doctor.getByRole('heading', { name: bg['records.signed.title'].replace('{revision}', '1') }).waitFor();
    await doctor.locator('[data-testid="verification"][data-valid="true"]').waitFor();
    await expectText(doctor.getByTestId('verification'), bg['records.signature.qualified'], 'contains');
    await doctor.locator('[data-testid="nhis-status"][data-status="acknowledged"]').waitFor({ timeout: 30_000 });
    expect(((await doctor.getByTestId('nrn').textContent()) ?? '').trim()).toMatch(/^\d{2}SIM\d{7}$/);
    await expectText(doctor.locator('[data-testid="nhis-card"][data-outcome="recorded"]'), bg['records.nhis.card.recorded']);
    const signedBy = (world.server.deps.nhisHttp?.signedBy() ?? []).slice(seenBefore);
    expect(signedBy.map((m) => [m.messageType, m.certificateSha256 === cardSha256])).toEqual([
      ['X001', true],
      ['X003', true],
    ]);
    const signed = await db.execute<{ level: string }>(sql`SELECT k.level FROM clinical_document d JOIN practitioner_signing_key k ON k.id = d.signing_key_id WHERE d.request_id = ${requestId} AND d.status = 'signed'`);
    expect(signed.rows).toEqual([{ level: 'qualified' }]);
  }, 180_000);

  it('a sheet the NHIS cannot take yet is on the doctor’s “waiting for the NHIS” list, with why', async () => {
    const doctor = doctorPage as Page;
    // The NHIS is unreachable for the rest of the test: the signed sheet waits in the outbox.
    world.server.deps.nhisSimulator?.unavailableUntil('2099-01-01T00:00:00Z');
    const requestId = await serviceWithDraft(doctor);
    // Signed with the card again: the card's X001 finds the NHIS unreachable (after the transport's
    // retries), and the signed record says in words that it goes later, signed with the system's key.
    await doctor.goto(`${world.server.baseUrl}/requests/${requestId}/sheet`);
    await doctor.getByRole('button', { name: bg['records.editor.review'] }).click();
    await doctor.getByLabel(bg['records.review.code']).fill(await world.freshCode(world.account('specialist')));
    await doctor.getByTestId('card-signing').getByRole('button', { name: bg['records.card.sign'] }).click();
    await doctor.getByRole('heading', { name: bg['records.signed.title'].replace('{revision}', '1') }).waitFor();
    await expectText(doctor.locator('[data-testid="nhis-card"][data-outcome="unreachable"]'), bg['records.nhis.card.unreachable']);
    await doctor.goto(`${world.server.baseUrl}/records/nhis-pending`);
    await doctor.getByRole('heading', { level: 1, name: bg['records.nhisPending.title'] }).waitFor();
    const item = doctor.locator('[data-testid="nhis-pending-item"]').filter({ has: doctor.locator(`a[href="/requests/${requestId}/sheet"]`) });
    await item.waitFor();
    await expectText(item, bg['records.nhisPending.op.record'], 'contains');
    // The patient is named, the identifier masked (the specialist cares for them; the read is audited).
    expect(await item.getByTestId('nhis-pending-patient').textContent()).toMatch(/\S+ \S+.*ЕГН\s*•+\d{2}/);
    expect(await seriousAxeViolations(doctor)).toEqual([]);
    if (process.env.SCREENSHOT_DIR) {
      for (const [name, width] of [['phone', 375], ['desktop', 1280]] as const) {
        await doctor.setViewportSize({ width, height: width === 375 ? 812 : 800 });
        await doctor.screenshot({ path: join(process.env.SCREENSHOT_DIR, `nhis-pending-${name}.png`) });
      }
    }
    world.server.deps.nhisSimulator?.unavailableUntil(null);
  }, 120_000);
});
