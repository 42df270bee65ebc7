import { connect } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app-harness.js';
import { buildAccessWorld, type AccessWorld } from '../../test/access-world.js';
import { insertRequestFixture } from '../../test/consultation-world.js';
import type { Consultation, ConsultationFile } from '../../contracts/consultation.js';
import type { ConsultationGates, RequestLifecycle } from './consultation.ports.js';

// The "trust first" probe's input findings on the consultation channel (docs/security-input.md), on
// PGlite and PostgreSQL: finding 6 (bodies read before authentication) and finding 7's files, text and
// existence answers.

const gates: ConsultationGates = { assertServiceMayStart: async () => undefined, assertRecordingAllowed: async () => ({ consentId: '0190aaaa-0000-7000-8000-000000000001' }) };
const lifecycle: RequestLifecycle = { startService: async () => undefined, completeService: async () => undefined };

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A well-formed PNG header declaring `w`x`h` pixels (8-bit grey), with one tiny IDAT: a few dozen bytes. */
function pngOf(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(w <= 4 ? (w + 1) * h : 1))), chunk('IEND', Buffer.alloc(0))]);
}

const pdfOf = (catalogue: string, extra = '') =>
  Buffer.from(`%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ${catalogue} >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n${extra}trailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');

describe('consultation input rules (trust first, findings 6 and 7)', () => {
  let t: TestApp;
  let w: AccessWorld;
  let c: Consultation;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp({ overrides: { consultationPorts: { gates, lifecycle } } });
    w = await buildAccessWorld(t);
    const practitionerId = (await t.deps.db.execute(sql`SELECT practitioner_id FROM user_account WHERE id = ${w.sessions.specialistWithCare.accountId}`)).rows[0]?.practitioner_id as string;
    const requestId = await insertRequestFixture(t.deps.db, t.deps, { facilityId: w.facilityId, practitionerId, patientId: w.patientA.id, requesterAccountId: w.sessions.patientA.accountId, mode: 'asynchronous' });
    c = (await w.as('patientA', { method: 'POST', url: `/api/v1/requests/${requestId}/consultation` })).json<Consultation>();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const addr = t.app.server.address();
    port = typeof addr === 'object' && addr ? addr.port : 0;
  });

  afterAll(async () => {
    await t?.close();
  });

  const upload = (body: Buffer, type: string, name = 'file') =>
    t.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/files?name=${encodeURIComponent(name)}`, headers: { ...w.sessions.patientA.headers, 'content-type': type }, payload: body });

  /**
   * Starts a 49 MB upload over a real socket, sends 64 KB, and waits for the answer. Returns the status
   * line and how much had been sent when it came: the server must answer without reading the body.
   */
  async function postHuge(path: string, headers: Record<string, string>, total = 49 * 1024 * 1024, type = 'application/dicom'): Promise<{ status: string; sentBytes: number }> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const head = [`POST ${path} HTTP/1.1`, `host: 127.0.0.1:${port}`, `content-type: ${type}`, `content-length: ${total}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
    let sent = 0;
    socket.on('error', () => undefined);
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer before the body was sent')), 5000);
      socket.once('data', (d: Buffer) => {
        clearTimeout(timer);
        resolve(d.toString('latin1').split('\r\n')[0] ?? '');
      });
    });
    socket.write(head);
    socket.write(Buffer.alloc(64 * 1024));
    sent += 64 * 1024;
    const status = await answer;
    socket.destroy();
    return { status, sentBytes: sent };
  }

  it('finding 6: an anonymous 49 MB upload is refused with 401 before its body is read', async () => {
    const res = await postHuge(`/api/v1/consultations/${c.id}/files?name=x.dcm`, {});
    expect(res.status).toBe('HTTP/1.1 401 Unauthorized');
    expect(res.sentBytes).toBeLessThan(1024 * 1024);
    // A signed-in non-participant is refused before the body too (authorised, not only authenticated).
    const s = w.sessions.specialistWithout.headers;
    const foreign = await postHuge(`/api/v1/consultations/${c.id}/files?name=x.dcm`, { cookie: s.cookie ?? '', 'x-csrf-token': s['x-csrf-token'] ?? '' });
    expect(foreign.status).toBe('HTTP/1.1 403 Forbidden');
    // The same for recording chunks, whose route used to buffer 8 MB first.
    const chunkRes = await postHuge(`/api/v1/consultations/${c.id}/recordings/0190aaaa-0000-7000-8000-000000000009/chunks?seq=0`, {});
    expect(chunkRes.status).toMatch(/^HTTP\/1\.1 40[14]/);
    // The JSON attachment route of requests (8 MB) refuses an anonymous caller before reading too.
    const json = await postHuge(`/api/v1/requests/${c.requestId}/attachments`, {}, 7 * 1024 * 1024, 'application/json');
    expect(json.status).toBe('HTTP/1.1 401 Unauthorized');
    // A signed-in caller with nothing to do with that request is refused before its body is read too.
    const strangerJson = await postHuge(`/api/v1/requests/${c.requestId}/attachments`, { cookie: s.cookie ?? '', 'x-csrf-token': s['x-csrf-token'] ?? '' }, 7 * 1024 * 1024, 'application/json');
    expect(strangerJson.status).toBe('HTTP/1.1 404 Not Found');
    expect(strangerJson.sentBytes).toBeLessThan(1024 * 1024);
    // A participant declaring more than the largest file limit is refused from the header alone.
    const p = w.sessions.patientA.headers;
    const tooBig = await postHuge(`/api/v1/consultations/${c.id}/files?name=x.dcm`, { cookie: p.cookie ?? '', 'x-csrf-token': p['x-csrf-token'] ?? '' }, 60 * 1024 * 1024);
    expect(tooBig.status).toBe('HTTP/1.1 413 Payload Too Large');
  });

  it('finding 7: a 60000x60000 PNG header is refused, as is one that does not decode; a real small PNG is accepted and shown inline', async () => {
    const huge = pngOf(60000, 60000);
    expect(huge.length).toBeLessThan(200);
    const refused = await upload(huge, 'image/png', 'bomb.png');
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ code: string }>().code).toBe('file.image_too_large');
    const broken = await upload(Buffer.concat([huge.subarray(0, 8), Buffer.from('not an IHDR chunk at all, 1234567890')]), 'image/png');
    expect(broken.json<{ code: string }>().code).toBe('file.type_mismatch');
    const ok = await upload(pngOf(2, 2), 'image/png', 'ok.png');
    expect(ok.statusCode).toBe(201);
    const dl = await w.as('specialistWithCare', { method: 'GET', url: `/api/v1/consultations/${c.id}/files/${ok.json<ConsultationFile>().id}` });
    expect(dl.headers['content-disposition']).toMatch(/^inline;/);
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
  });

  it('finding 7: a PDF with /OpenAction JavaScript is refused, also when hidden in a compressed object stream or behind #-escapes', async () => {
    const open = await upload(pdfOf('/OpenAction 3 0 R', '3 0 obj\n<< /S /JavaScript /JS (app.alert(1)) >>\nendobj\n'), 'application/pdf', 'a.pdf');
    expect(open.statusCode).toBe(415);
    expect(open.json<{ code: string }>().code).toBe('file.active_content');
    expect((await upload(pdfOf('/Op#65nAction 3 0 R'), 'application/pdf')).json<{ code: string }>().code).toBe('file.active_content');
    const objects = deflateSync(Buffer.from('3 0 << /Type /Page /AA << /O 4 0 R >> >>', 'latin1'));
    const objStm = Buffer.concat([Buffer.from(`5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${objects.length} >>\nstream\n`, 'latin1'), objects, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    const hidden = Buffer.concat([pdfOf(''), objStm]);
    expect((await upload(hidden, 'application/pdf')).json<{ code: string }>().code).toBe('file.active_content');
    // A passive PDF is shown inline; one that cannot be scanned fully (encrypted) is only a download.
    const plain = await upload(pdfOf(''), 'application/pdf', 'plain.pdf');
    expect(plain.statusCode).toBe(201);
    const inline = await w.as('specialistWithCare', { method: 'GET', url: `/api/v1/consultations/${c.id}/files/${plain.json<ConsultationFile>().id}` });
    expect(inline.headers['content-disposition']).toMatch(/^inline;/);
    const encrypted = await upload(Buffer.from(pdfOf('').toString('latin1').replace('<< /Root 1 0 R >>', '<< /Root 1 0 R /Encrypt 9 0 R >>'), 'latin1'), 'application/pdf', 'enc.pdf');
    expect(encrypted.statusCode).toBe(201);
    const asDownload = await w.as('specialistWithCare', { method: 'GET', url: `/api/v1/consultations/${c.id}/files/${encrypted.json<ConsultationFile>().id}` });
    expect(asDownload.headers['content-disposition']).toMatch(/^attachment;/);
    expect(asDownload.headers['x-content-type-options']).toBe('nosniff');
  });

  it('finding 7: a lone surrogate or NUL in clinical free text is 400 with its pointer, and invalid UTF-8 JSON is 400; nothing is stored', async () => {
    const post = (payload: string | Buffer) =>
      t.app.inject({ method: 'POST', url: `/api/v1/consultations/${c.id}/messages`, headers: { ...w.sessions.patientA.headers, 'content-type': 'application/json' }, payload });
    const surrogate = await post('{"kind":"case","text":"Обрив \\ud800 от 3 дни"}');
    expect(surrogate.statusCode).toBe(400);
    expect(surrogate.json()).toMatchObject({ code: 'request.invalid', errors: [{ in: 'body', pointer: '#/text' }] });
    const nul = await post('{"kind":"case","text":"a\\u0000b"}');
    expect(nul.json()).toMatchObject({ code: 'request.invalid', errors: [{ in: 'body', pointer: '#/text' }] });
    const badUtf8 = await post(Buffer.concat([Buffer.from('{"kind":"case","text":"abc', 'latin1'), Buffer.from([0xff, 0xfe]), Buffer.from('"}', 'latin1')]));
    expect(badUtf8.statusCode).toBe(400);
    expect(badUtf8.json<{ code: string }>().code).toBe('request.invalid');
    // A surrogate pair (an emoji) is fine.
    expect((await post('{"kind":"case","text":"ok \\ud83d\\ude00"}')).statusCode).toBe(201);
    const stored = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM consultation_message WHERE consultation_id = ${c.id}`);
    expect(stored.rows[0]?.n).toBe(1);
    // The file name in the query string follows the same rule.
    const name = await upload(pngOf(2, 2), 'image/png', 'a\u0000.png');
    expect(name.json()).toMatchObject({ code: 'request.invalid', errors: [{ in: 'query', pointer: '#/name' }] });
  });

  it('finding 7: authorisation before existence: a non-participant gets the same answer for an unknown id and a real one', async () => {
    const unknown = '0190aaaa-0000-7000-8000-0000000000ee';
    for (const path of ['', '/messages', '/files', '/quality', '/ice-servers', '/recordings']) {
      const real = await w.as('specialistWithout', { method: 'GET', url: `/api/v1/consultations/${c.id}${path}` });
      const none = await w.as('specialistWithout', { method: 'GET', url: `/api/v1/consultations/${unknown}${path}` });
      expect([path, none.statusCode, none.json<{ code: string }>().code]).toEqual([path, real.statusCode, real.json<{ code: string }>().code]);
      expect(real.statusCode).toBe(403);
    }
    const realFile = await w.as('specialistWithout', { method: 'GET', url: `/api/v1/consultations/${c.id}/files/${unknown}` });
    expect(realFile.statusCode).toBe(403);
    const noRequest = await w.as('specialistWithout', { method: 'POST', url: `/api/v1/requests/${unknown}/consultation` });
    const someoneElses = await w.as('specialistWithout', { method: 'POST', url: `/api/v1/requests/${c.requestId}/consultation` });
    expect(noRequest.statusCode).toBe(someoneElses.statusCode);
    expect(noRequest.statusCode).toBe(403);
  });
});
