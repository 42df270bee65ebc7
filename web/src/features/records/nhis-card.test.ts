import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NhisCardStep, NhisCardStepBody } from '../../../../src/contracts/records.js';
import type { RecordsApi } from './api.js';
import { sendNhisWithCard } from './nhis-card.js';

// The browser's side of the card's NHIS messages (docs/nhis.md#signer): it signs what the server asks
// for through the local agent until the server says done; a failure of the agent or the server ends in
// `unreachable`, which the signed record shows in words (the outbox sends later with the system's key).

const DOC = '0190a000-0000-7000-8000-0000000000dd';

function fakeApi(answers: NhisCardStep[], seen: NhisCardStepBody[]): RecordsApi {
  return {
    nhisCardStep: (documentId: string, body: NhisCardStepBody) => {
      expect(documentId).toBe(DOC);
      seen.push(body);
      const next = answers.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('no more steps'));
    },
  } as unknown as RecordsApi;
}

function agentAnswering(status: number) {
  const calls: { url: string; body: { certificateId: string; xml: string } }[] = [];
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    const body = JSON.parse(String(init.body)) as { certificateId: string; xml: string };
    calls.push({ url, body });
    return Promise.resolve(new Response(JSON.stringify(status === 200 ? { xml: `signed:${body.xml}` } : { code: 'signing.device_error', title: 'failed' }), { status }));
  });
  return calls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the card signs the NHIS messages the server asks for', () => {
  it('signs each step with the chosen certificate and posts it back until recorded', async () => {
    const seen: NhisCardStepBody[] = [];
    const calls = agentAnswering(200);
    const api = fakeApi(
      [
        { step: 'sign', kind: 'challenge', xml: '<c/>' },
        { step: 'sign', kind: 'X001', xml: '<x1/>' },
        { step: 'sign', kind: 'X003', xml: '<x3/>' },
        { step: 'done', outcome: 'recorded', nrn: '26SIM0000001' },
      ],
      seen,
    );
    expect(await sendNhisWithCard(api, DOC, 'card-01')).toBe('recorded');
    expect(calls.map((c) => [c.url.replace(/:\d+/, ':PORT'), c.body.certificateId, c.body.xml])).toEqual([
      ['http://127.0.0.1:PORT/v1/sign/xml', 'card-01', '<c/>'],
      ['http://127.0.0.1:PORT/v1/sign/xml', 'card-01', '<x1/>'],
      ['http://127.0.0.1:PORT/v1/sign/xml', 'card-01', '<x3/>'],
    ]);
    expect(seen).toEqual([{}, { signed: { kind: 'challenge', xml: 'signed:<c/>' } }, { signed: { kind: 'X001', xml: 'signed:<x1/>' } }, { signed: { kind: 'X003', xml: 'signed:<x3/>' } }]);
  });

  it('passes on the server’s end: the NHIS unreachable now, or a record the outbox sends', async () => {
    agentAnswering(200);
    expect(await sendNhisWithCard(fakeApi([{ step: 'sign', kind: 'X001', xml: '<x1/>' }, { step: 'done', outcome: 'unreachable', nrn: null }], []), DOC, 'card-01')).toBe('unreachable');
    expect(await sendNhisWithCard(fakeApi([{ step: 'done', outcome: 'outbox', nrn: null }], []), DOC, 'card-01')).toBe('outbox');
  });

  it('ends in `unreachable` when the agent fails mid-way (the record is signed; the outbox sends it)', async () => {
    const seen: NhisCardStepBody[] = [];
    agentAnswering(500);
    expect(await sendNhisWithCard(fakeApi([{ step: 'sign', kind: 'X001', xml: '<x1/>' }], seen), DOC, 'card-01')).toBe('unreachable');
    expect(seen).toEqual([{}]);
  });
});
