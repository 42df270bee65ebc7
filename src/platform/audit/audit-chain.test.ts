import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_FIELD_ORDER, GENESIS_HASH, canonicalEncoding, encodeField, eventHash, eventHashOfFields, sealOfFields, type AuditEventText } from './audit-chain.js';

const event: AuditEventText = {
  chain: '3',
  seq: '1',
  id: '01900000-0000-7000-8000-000000000001',
  recordedAtMicros: '1774747800123457',
  action: 'patient.read',
  outcome: 'success',
  actorType: 'user',
  actorId: '01900000-0000-7000-8000-0000000000aa',
  actorRole: 'specialist',
  onBehalfOf: null,
  patientId: '01900000-0000-7000-8000-0000000000bb',
  facilityId: null,
  subjectType: 'patient',
  subjectId: '01900000-0000-7000-8000-0000000000bb',
  reason: 'request:1',
  requestId: 'req-1',
  ip: '10.0.0.7',
  userAgent: 'Mozilla/5.0 (ж)',
  data: '{"fields": ["name"]}',
  schemaVersion: '1',
};

describe('audit hash chain encoding (docs/decisions.md#d12, Art. 28(2))', () => {
  it('encodes NULL as "-" and values as <utf-8 byte length>:<value>', () => {
    expect(encodeField(null)).toBe('-');
    expect(encodeField('')).toBe('0:');
    expect(encodeField('ж')).toBe('2:ж');
    expect(encodeField('a:b')).toBe('3:a:b');
  });

  it('concatenates the twenty fields in the order of migrations/0004_audit.sql', () => {
    expect(AUDIT_FIELD_ORDER).toHaveLength(20);
    const enc = canonicalEncoding(event);
    expect(enc.startsWith('1:31:136:01900000-0000-7000-8000-00000000000116:1774747800123457')).toBe(true);
    expect(enc.endsWith('20:{"fields": ["name"]}1:1')).toBe(true);
  });

  it('hashes sha256(prev_hash || utf8(encoding)) and matches a hand-computed value', () => {
    const expected = createHash('sha256').update(Buffer.concat([GENESIS_HASH, Buffer.from(canonicalEncoding(event), 'utf8')])).digest('hex');
    expect(eventHash(GENESIS_HASH, event).toString('hex')).toBe(expected);
    expect(eventHashOfFields(GENESIS_HASH, AUDIT_FIELD_ORDER.map((k) => event[k])).toString('hex')).toBe(expected);
  });

  it('distinguishes NULL from the string "-" and an empty string, and shifted field boundaries', () => {
    const h = (e: AuditEventText) => eventHash(GENESIS_HASH, e).toString('hex');
    expect(h({ ...event, reason: null })).not.toBe(h({ ...event, reason: '-' }));
    expect(h({ ...event, reason: null })).not.toBe(h({ ...event, reason: '' }));
    // moving a character from one field to the next must change the hash
    expect(h({ ...event, actorRole: 'specialis', onBehalfOf: 't' })).not.toBe(h({ ...event, actorRole: 'specialist', onBehalfOf: '' }));
  });

  it('chains: the same event after a different predecessor has a different hash', () => {
    const other = createHash('sha256').update('x').digest();
    expect(eventHash(other, event).equals(eventHash(GENESIS_HASH, event))).toBe(false);
  });

  it('every field takes part in the hash', () => {
    const base = eventHash(GENESIS_HASH, event).toString('hex');
    for (const k of AUDIT_FIELD_ORDER) {
      const changed = { ...event, [k]: `${event[k] ?? ''}x` };
      expect(eventHash(GENESIS_HASH, changed).toString('hex'), k).not.toBe(base);
    }
  });
});

describe('audit seal, schema 2 (docs/audit.md)', () => {
  const key = createHash('sha256').update('test audit key').digest();
  const fields = [...AUDIT_FIELD_ORDER.map((k) => (k === 'schemaVersion' ? '2' : event[k])), '1'];

  it('is HMAC-SHA-256(key, prev || utf8(encoding)) over the fields, chain position and key version', () => {
    const expected = createHmac('sha256', key).update(GENESIS_HASH).update(fields.map(encodeField).join(''), 'utf8').digest('hex');
    expect(sealOfFields(key, GENESIS_HASH, fields).toString('hex')).toBe(expected);
  });

  it('changes with every field, the predecessor and the key: a forged, rewritten or moved event does not verify', () => {
    const base = sealOfFields(key, GENESIS_HASH, fields).toString('hex');
    fields.forEach((f, i) => {
      const changed = fields.map((g, j) => (j === i ? `${f ?? ''}x` : g));
      expect(sealOfFields(key, GENESIS_HASH, changed).toString('hex'), `field ${i}`).not.toBe(base);
    });
    expect(sealOfFields(key, createHash('sha256').update('x').digest(), fields).toString('hex')).not.toBe(base);
    expect(sealOfFields(createHash('sha256').update('other key').digest(), GENESIS_HASH, fields).toString('hex')).not.toBe(base);
  });
});
