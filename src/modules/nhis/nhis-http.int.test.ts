import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../platform/clock.js';
import { sequentialIds } from '../../platform/ids.js';
import { createNhisClient, NhisRejectedError, NhisUnavailableError, type NhisExchange } from './nhis-client.js';
import { buildX001, NHIS_PATHS, parseReply } from './nhis-messages.js';
import { startNhisHttpSimulator, type NhisHttpSimulator } from './nhis-http-simulator.js';
import { createHttpNhisTransport, type NhisHttpSettings } from './nhis-http-transport.js';
import { createTestPki, type TestPki } from './test-pki.js';
import { connectNhis } from './nhis-connection.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { softwareXmlSigner, type XmlSigner } from './xml-signature.js';

// The live NHIS protocol over HTTP against the bundled simulator (bulgarian-identifiers-codes-and-nhis.md
// §2.1 token challenge, §6.1 signature profile; docs/nhis.md).
const UIN = '2300012345';
const open = (lrn: string) => ({
  lrn,
  openDate: '2026-12-06T08:00:00Z',
  purpose: 'consultation' as const,
  subject: { identifierType: 'egn' as const, identifier: '7501020018', birthDate: '1975-01-02', gender: 'female' as const, givenName: 'Мария', familyName: 'Иванова' },
  performer: { uin: UIN, qualification: '1020', nhifCode: null, practiceNumber: '2201211001' },
});
const close = (nrn: string) => ({ nrnExamination: nrn, closeDate: '2026-12-06T08:30:00Z', purpose: 'consultation' as const, diagnoses: [{ code: 'I10', rank: 1, clinicalStatus: 'active' as const, verificationStatus: 'confirmed' as const }] });

let pki: TestPki;
let stranger: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ notBefore: new Date('2026-01-01T00:00:00Z') });
  stranger = await createTestPki({ notBefore: new Date('2026-01-01T00:00:00Z') });
});

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

async function setup(opts: { settings?: Partial<NhisHttpSettings>; signer?: XmlSigner } = {}) {
  const clock = fixedClock('2026-12-06T08:30:00Z');
  const ids = sequentialIds('bb');
  const sim: NhisHttpSimulator = await startNhisHttpSimulator({ clock, ids, caPem: pki.caPem });
  running.push(sim);
  const signer = opts.signer ?? softwareXmlSigner(pki.doctor.keyPem, pki.doctor.certPem);
  const sleeps: number[] = [];
  const transport = createHttpNhisTransport({
    settings: { baseUrl: sim.url, timeoutMs: 2_000, attempts: 3, backoffMs: 100, ...opts.settings },
    signerFor: () => signer,
    clock,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
  });
  running.push(transport);
  const client = createNhisClient({ transport, clock, ids: sequentialIds('cc'), systemName: 'Distansia test' });
  const log: NhisExchange[] = [];
  return { clock, sim, transport, client, sleeps, log, push: (x: NhisExchange) => log.push(x) };
}

describe('NHIS over HTTP: token challenge, signed messages, retries', () => {
  it('gets a token with a signed challenge and records X001 + X003 with signed messages', async () => {
    const t = await setup();
    const { nrn } = await t.client.openExamination(UIN, open('lrn-1'), t.push);
    await t.client.closeExamination(UIN, close(nrn), t.push);
    expect(t.sim.control.examinations()).toMatchObject([{ nrn, status: 'closed', performerUin: UIN }]);
    // One challenge, one token for both messages (cached), no refusals.
    expect(t.sim.http.counts()).toEqual({ challenges: 1, tokens: 1, signatureRefusals: 0, unauthorized: 0 });
  });

  it('renews the token when it expires by the clock, and on a 401 when the NHIS ends it early', async () => {
    const t = await setup();
    const { nrn } = await t.client.openExamination(UIN, open('lrn-2'), t.push);
    t.clock.advance({ hours: 2 }); // the token lives 7200 s; renewed a minute before
    await t.client.closeExamination(UIN, close(nrn), t.push);
    expect(t.sim.http.counts()).toMatchObject({ tokens: 2, unauthorized: 0 });
    t.sim.http.expireTokens();
    await t.client.openExamination(UIN, open('lrn-3'), t.push);
    expect(t.sim.http.counts()).toMatchObject({ tokens: 3, unauthorized: 1 });
  });

  it('refuses a challenge signed by a certificate of another CA: no token, nothing recorded', async () => {
    const t = await setup({ signer: softwareXmlSigner(stranger.doctor.keyPem, stranger.doctor.certPem) });
    await expect(t.client.openExamination(UIN, open('lrn-4'), t.push)).rejects.toBeInstanceOf(NhisUnavailableError);
    expect(t.sim.http.counts()).toMatchObject({ tokens: 0, signatureRefusals: 1 });
    expect(t.sim.control.examinations()).toHaveLength(0);
  });

  it('answers a message whose signature does not match its content with X099, and records nothing', async () => {
    const honest = softwareXmlSigner(pki.doctor.keyPem, pki.doctor.certPem);
    // Signs, then changes the patient's name: the digest no longer matches.
    const tampering: XmlSigner = { certificatePem: () => honest.certificatePem(), sign: async (xml) => (await honest.sign(xml)).replace('Мария', 'Петя') };
    const t = await setup({ signer: tampering });
    const err = await t.client.openExamination(UIN, open('lrn-5'), t.push).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NhisRejectedError);
    expect((err as NhisRejectedError).reason).toBe('invalid_signature');
    expect(t.sim.control.examinations()).toHaveLength(0);
  });

  it('retries 5xx with backoff and gives up as unavailable after the last attempt', async () => {
    const t = await setup();
    await t.client.openExamination(UIN, open('lrn-6'), t.push); // token in hand
    t.sim.http.failHttpNext(2, 502);
    await t.client.openExamination(UIN, open('lrn-7'), t.push);
    expect(t.sleeps).toHaveLength(2);
    expect(t.sleeps[1] as number).toBeGreaterThan(t.sleeps[0] as number);
    t.sim.http.failHttpNext(3, 503);
    await expect(t.client.openExamination(UIN, open('lrn-8'), t.push)).rejects.toBeInstanceOf(NhisUnavailableError);
    expect(t.log.at(-1)).toMatchObject({ messageType: 'X001', outcome: 'unavailable' });
    expect(t.sim.control.examinations().map((e) => e.lrn)).toEqual(['lrn-6', 'lrn-7']);
  });

  it('times out a slow NHIS, and the resend of the same message is answered once (idempotent by messageId)', async () => {
    const t = await setup({ settings: { timeoutMs: 150, attempts: 2 } });
    await t.client.openExamination(UIN, open('lrn-9'), t.push);
    t.sim.control.setLatency(400);
    await expect(t.client.openExamination(UIN, open('lrn-10'), t.push)).rejects.toThrow(/timeout after 2/);
    t.sim.control.setLatency(0);
    // The same signed message twice (a lost reply): the same reply, one record.
    const xml = buildX001({ messageId: 'dd000000-0000-7000-8000-000000000001', createdOn: '2026-12-06T08:30:00Z', senderId: UIN, senderISName: 'Distansia test' }, open('lrn-11'));
    const a = await t.transport.post(NHIS_PATHS.X001, xml);
    const b = await t.transport.post(NHIS_PATHS.X001, xml);
    expect(b.body).toBe(a.body);
    expect(parseReply(a.body)).toMatchObject({ ok: true });
    expect(t.sim.control.examinations().filter((e) => e.lrn === 'lrn-11')).toHaveLength(1);
  });

  it('NHIS_BASE_URL + NHIS_SIGNER_FILE: the configured connection speaks the signed protocol', async () => {
    const clock = fixedClock('2026-12-06T08:30:00Z');
    const ids = sequentialIds('ee');
    const sim = await startNhisHttpSimulator({ clock, ids, caPem: pki.caPem });
    running.push(sim);
    const file = join(await mkdtemp(join(tmpdir(), 'nhis-signer-')), 'signer.pem');
    await writeFile(file, `${pki.doctor.keyPem}${pki.doctor.certPem}`);
    const conn = await connectNhis({ NHIS_BASE_URL: sim.url, NHIS_SIGNER_FILE: file, NHIS_TIMEOUT_MS: 2_000, NHIS_SIMULATOR: 'in-process' }, { clock, ids });
    running.push(conn);
    expect(conn.mode).toBe('live');
    const client = createNhisClient({ transport: conn.transport, clock, ids });
    const { nrn } = await client.openExamination(UIN, open('lrn-12'), () => undefined);
    expect(sim.control.examinations()).toMatchObject([{ nrn, lrn: 'lrn-12' }]);
    expect(sim.http.counts()).toMatchObject({ tokens: 1, signatureRefusals: 0 });
  });

  it('a signed challenge is good once: a replayed one gets no token (§2.1)', async () => {
    const t = await setup();
    const signer = softwareXmlSigner(pki.doctor.keyPem, pki.doctor.certPem);
    const challenge = await (await fetch(`${t.sim.url}/token`)).text();
    const signed = await signer.sign(challenge);
    const first = await fetch(`${t.sim.url}/token`, { method: 'POST', body: signed, headers: { 'content-type': 'application/xml' } });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('accessToken');
    const replay = await fetch(`${t.sim.url}/token`, { method: 'POST', body: signed, headers: { 'content-type': 'application/xml' } });
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('unknown_challenge');
    // Without a bearer token a message is not even read.
    const xml = buildX001({ messageId: 'dd000000-0000-7000-8000-000000000002', createdOn: '2026-12-06T08:30:00Z', senderId: UIN, senderISName: 'Distansia test' }, open('lrn-13'));
    expect((await fetch(`${t.sim.url}${NHIS_PATHS.X001}`, { method: 'POST', body: await signer.sign(xml) })).status).toBe(401);
    expect(t.sim.control.examinations()).toHaveLength(0);
  });
});
