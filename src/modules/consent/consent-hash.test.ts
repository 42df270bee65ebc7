import { describe, expect, it } from 'vitest';
import { canonicalJson, consentContentSha256, sha256Hex, templateTextSha256, type ConsentContent } from './consent-hash.js';

const content: ConsentContent = {
  kind: 'recording',
  requestId: '0190aaaa-0000-7000-8000-000000000001',
  patientId: '0190aaaa-0000-7000-8000-000000000002',
  facilityId: '0190aaaa-0000-7000-8000-000000000003',
  template: { id: '0190aaaa-0000-7000-8000-000000000004', version: 2, textSha256: 'a'.repeat(64), lang: 'bg', title: 'Съгласие', body: 'Текст' },
  signer: { accountId: '0190aaaa-0000-7000-8000-000000000005', role: 'representative' },
  onBehalfOf: '0190aaaa-0000-7000-8000-000000000002',
  presentation: { id: '0190aaaa-0000-7000-8000-000000000006', presentedAt: '2026-11-25T08:00:00Z' },
  signedAt: '2026-11-25T08:01:00Z',
  method: 'totp-step-up',
  stepUpId: '0190aaaa-0000-7000-8000-000000000007',
  recording: { reason: 'Второ мнение', media: ['video', 'audio'], purpose: 'Консултант' },
  documentSha256: null,
};

describe('consent content hash (docs/decisions.md#d5)', () => {
  it('canonical JSON sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
  it('is stable and ignores the order of the recording types', () => {
    const h = consentContentSha256(content);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(consentContentSha256({ ...content, recording: { reason: 'Второ мнение', media: ['audio', 'video'], purpose: 'Консултант' } })).toBe(h);
  });
  it.each([
    ['signer', { signer: { accountId: '0190aaaa-0000-7000-8000-000000000009', role: 'representative' as const } }],
    ['on whose behalf', { onBehalfOf: null }],
    ['time', { signedAt: '2026-11-25T08:01:01Z' }],
    ['text version', { template: { ...content.template, version: 3 } }],
    ['text', { template: { ...content.template, body: 'Друг текст' } }],
    ['request', { requestId: '0190aaaa-0000-7000-8000-000000000010' }],
    ['purpose (R-TM-26)', { recording: { reason: 'Второ мнение', media: ['video', 'audio'], purpose: 'Обучение' } }],
  ])('changes when the %s changes', (_what, patch) => {
    expect(consentContentSha256({ ...content, ...patch })).not.toBe(consentContentSha256(content));
  });
  it('fingerprints both languages of a form version', () => {
    const t = { kind: 'treatment' as const, version: 1, title: { bg: 'А', en: 'A' }, body: { bg: 'Б', en: 'B' } };
    expect(templateTextSha256(t)).toBe(sha256Hex(canonicalJson(t)));
    expect(templateTextSha256({ ...t, body: { bg: 'Б', en: 'B.' } })).not.toBe(templateTextSha256(t));
  });
});
