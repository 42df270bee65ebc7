import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import { connectSignal } from '../../test/signal-client.js';
import { onPostgres, testDatabaseUrl } from '../../platform/db/testing.js';
import type { Consultation } from '../../contracts/consultation.js';
import { SIGNAL_CHANNEL } from './signal-bus.js';

// Scale across nodes (docs/consultation.md): two server processes share one PostgreSQL; the patient is connected to
// one and the specialist to the other, and the call (admission, offer/answer, chat, end) crosses them
// over LISTEN/NOTIFY. PGlite is one process with an in-process bus, so this runs on PostgreSQL only.

const script = fileURLToPath(new URL('../../test/signal-node.ts', import.meta.url));

interface Node {
  proc: ChildProcess;
  port: number;
  nodeId: string;
}

function startNode(databaseUrl: string, dataDir: string): Promise<Node> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script, '2026-11-25T08:00:00Z', databaseUrl, dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('node did not start')), 30_000);
    proc.once('exit', (code) => reject(new Error(`node exited ${code}`)));
    // Tricky: the process logs (pino JSON) to the same stdout; wait for the line that carries the port,
    // and keep reading afterwards so a full pipe never blocks the child.
    let done = false;
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      if (done) return;
      let parsed: { port?: number; node?: string } = {};
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        return;
      }
      if (typeof parsed.port !== 'number' || !parsed.node) return;
      clearTimeout(timer);
      done = true;
      resolve({ proc, port: parsed.port, nodeId: parsed.node });
    });
  });
}

describe.skipIf(!onPostgres)('signalling across two server processes (PostgreSQL LISTEN/NOTIFY; needs DATABASE_URL)', () => {
  let t: TestApp;
  let w: AccessWorld;
  let a: Node;
  let b: Node;
  let consultation: Consultation;

  beforeAll(async () => {
    t = await createTestApp();
    w = await buildAccessWorld(t);
    const practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    const requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId });
    consultation = (await w.as('patientA', { method: 'POST', url: `/api/v1/requests/${requestId}/consultation` })).json<Consultation>();
    const url = testDatabaseUrl(t.deps.database);
    if (!url) throw new Error('no database url');
    [a, b] = await Promise.all([startNode(url, t.deps.config.DATA_DIR), startNode(url, t.deps.config.DATA_DIR)]);
  }, 120_000);

  afterAll(async () => {
    for (const n of [a, b]) {
      if (!n) continue;
      const exited = new Promise((r) => n.proc.once('exit', r));
      n.proc.kill('SIGTERM');
      await exited;
    }
    await t?.close();
  });

  it('relays admission, SDP and chat between a patient on node A and the specialist on node B', async () => {
    expect(a.nodeId).not.toBe(b.nodeId);
    const ws = (n: Node) => `ws://127.0.0.1:${n.port}/api/v1/consultations/${consultation.id}/signal`;
    const origin = (n: Node) => `http://127.0.0.1:${n.port}`;
    const patient = await connectSignal(ws(a), { cookie: w.sessions.patientA.headers.cookie!, origin: origin(a) });
    expect((await patient.next('welcome')).state).toBe('waiting');
    const doctor = await connectSignal(ws(b), { cookie: w.sessions.specialistWithCare.headers.cookie!, origin: origin(b) });
    await doctor.next('welcome');
    const waiting = await doctor.next('peer', (m) => m.peer.state === 'waiting');

    // Admission goes to node B over HTTP; the patient on node A is let in through the bus.
    const admit = await fetch(`${origin(b)}/api/v1/consultations/${consultation.id}/participants/${waiting.peer.accountId}/admit`, {
      method: 'POST',
      headers: { ...w.sessions.specialistWithCare.headers, origin: origin(b) },
    });
    expect(admit.status).toBe(200);
    await patient.next('admitted', undefined, 10_000);
    const peer = await patient.next('peer', (m) => m.peer.side === 'provider' && m.initiate, 10_000);

    // An SDP offer larger than a NOTIFY payload (8000 bytes) travels through the spill table.
    const bigSdp = `v=0\r\n${'a=candidate:1 1 udp 2122260223 192.168.1.20 50000 typ host\r\n'.repeat(200)}`;
    expect(bigSdp.length).toBeGreaterThan(8000);
    patient.send({ t: 'signal', to: peer.peer.connId, data: { type: 'offer', sdp: bigSdp } });
    const offer = await doctor.next('signal', undefined, 10_000);
    expect(offer.data).toEqual({ type: 'offer', sdp: bigSdp });
    doctor.send({ t: 'signal', to: offer.from, data: { type: 'answer', sdp: 'v=0 answer' } });
    for (let i = 0; i < 5; i += 1) doctor.send({ t: 'signal', to: offer.from, data: { candidate: `c${i}` } });
    expect((await patient.next('signal', undefined, 10_000)).data).toEqual({ type: 'answer', sdp: 'v=0 answer' });
    // Order is kept across the bus: candidates arrive after the answer, in order.
    const cands: unknown[] = [];
    for (let i = 0; i < 5; i += 1) cands.push((await patient.next('signal', undefined, 10_000)).data);
    expect(cands).toEqual([0, 1, 2, 3, 4].map((i) => ({ candidate: `c${i}` })));

    const chat = await fetch(`${origin(a)}/api/v1/consultations/${consultation.id}/messages`, {
      method: 'POST',
      headers: { ...w.sessions.patientA.headers, origin: origin(a), 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'чувате ли ме' }),
    });
    expect(chat.status).toBe(201);
    const ev = await doctor.next('event', (m) => m.event.kind === 'message', 10_000);
    expect(ev.event.kind === 'message' && ev.event.message.text).toBe('чувате ли ме');

    const done = await fetch(`${origin(b)}/api/v1/consultations/${consultation.id}/complete`, { method: 'POST', headers: { ...w.sessions.specialistWithCare.headers, origin: origin(b) } });
    expect(done.status).toBe(200);
    expect((await patient.closed).code).toBe(4001);
  });
  it('keeps a call between two people on the same process off the bus, and pushes the chat to a page on the other process', async () => {
    const practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    const requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId, start: '2026-11-25T10:00:00Z' });
    const c = (await w.as('patientA', { method: 'POST', url: `/api/v1/requests/${requestId}/consultation` })).json<Consultation>();
    // Everything that crosses PostgreSQL between the nodes, as it goes by.
    const url = testDatabaseUrl(t.deps.database);
    const spy = new pg.Client({ connectionString: url });
    await spy.connect();
    const wire: string[] = [];
    spy.on('notification', (n) => void (n.payload && wire.push(n.payload)));
    await spy.query(`LISTEN ${SIGNAL_CHANNEL}`);
    try {
      const ws = (n: Node, mode = 'call') => `ws://127.0.0.1:${n.port}/api/v1/consultations/${c.id}/signal?mode=${mode}`;
      const origin = (n: Node) => `http://127.0.0.1:${n.port}`;
      const doctor = await connectSignal(ws(a), { cookie: w.sessions.specialistWithCare.headers.cookie!, origin: origin(a) });
      await doctor.next('welcome');
      const patient = await connectSignal(ws(a), { cookie: w.sessions.patientA.headers.cookie!, origin: origin(a) });
      const pw = await patient.next('welcome');
      const waiting = await doctor.next('peer', (m) => m.peer.connId === pw.connId);
      const admit = await fetch(`${origin(a)}/api/v1/consultations/${c.id}/participants/${waiting.peer.accountId}/admit`, { method: 'POST', headers: { ...w.sessions.specialistWithCare.headers, origin: origin(a) } });
      expect(admit.status).toBe(200);
      await patient.next('admitted', undefined, 10_000);
      const peer = await patient.next('peer', (m) => m.peer.side === 'provider' && m.initiate, 10_000);

      patient.send({ t: 'signal', to: peer.peer.connId, data: { type: 'offer', sdp: 'v=0 same-node offer' } });
      for (let i = 0; i < 3; i += 1) patient.send({ t: 'signal', to: peer.peer.connId, data: { candidate: `local-${i}` } });
      // Then something for the whole room, which does cross the bus: NOTIFYs of one session arrive in
      // order, so once it is seen, a NOTIFY of any of the signals before it would have been seen too.
      patient.send({ t: 'media', audio: true, video: false, screen: false });
      const signals = [];
      for (let i = 0; i < 4; i += 1) signals.push((await doctor.next('signal', undefined, 10_000)).data);
      expect(signals).toEqual([{ type: 'offer', sdp: 'v=0 same-node offer' }, ...[0, 1, 2].map((i) => ({ candidate: `local-${i}` }))]);
      await doctor.next('event', (m) => m.event.kind === 'media', 10_000);
      const deadline = Date.now() + 10_000;
      while (!wire.some((p) => p.includes('"media"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(wire.some((p) => p.includes('"media"'))).toBe(true);
      expect(wire.filter((p) => p.includes('same-node') || p.includes('local-'))).toEqual([]);
      expect(doctor.received.filter((m) => m.t === 'signal')).toEqual([]);

      // The patient's chat page is served by node B; the doctor writes through node A.
      const chat = await connectSignal(ws(b, 'chat'), { cookie: w.sessions.patientA.headers.cookie!, origin: origin(b) });
      await chat.next('watching', undefined, 10_000);
      const posted = await fetch(`${origin(a)}/api/v1/consultations/${c.id}/messages`, {
        method: 'POST',
        headers: { ...w.sessions.specialistWithCare.headers, origin: origin(a), 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'ще ви се обадя след малко' }),
      });
      expect(posted.status).toBe(201);
      const ev = await chat.next('event', (m) => m.event.kind === 'message', 10_000);
      expect(ev.event.kind === 'message' && ev.event.message.text).toBe('ще ви се обадя след малко');
      for (const x of [doctor, patient, chat]) x.close();
    } finally {
      await spy.end();
    }
  });
});
