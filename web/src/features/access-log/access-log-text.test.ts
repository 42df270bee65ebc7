import { describe, expect, it } from 'vitest';
import { messages, type MessageKey } from '../../i18n/messages.js';
import { formatMessage } from '../../i18n/catalogue.js';
import { basisText, didText } from './routes/access-log-page.js';

const t = (key: MessageKey, params?: Record<string, string | number>) => formatMessage(messages.bg[key], params);

describe('access log in words (no codes on screen)', () => {
  it('says what every audited action about a patient did, never its code', () => {
    // The actions the issue saw as raw codes, and the banner's reveal.
    for (const action of ['record.read', 'consent.presented', 'patient.read', 'patient.identifier_revealed', 'request.read', 'health_record.read', 'unknown.thing']) {
      const text = didText(t, action);
      expect(text, action).not.toContain('.');
      expect(text, action).not.toMatch(/[a-z_]{3,}/);
    }
    expect(didText(t, 'record.read')).toBe(messages.bg['accessLog.did.record.read']);
    expect(didText(t, 'no.such_action')).toBe(messages.bg['accessLog.did.other']);
  });

  it('says why in words, never `self` or `request:<id>`', () => {
    expect(basisText(t, 'self')).toBe(messages.bg['accessLog.basis.self']);
    expect(basisText(t, 'request:0190a000-0000-7000-8000-000000000001')).toBe(messages.bg['accessLog.basis.request']);
    expect(basisText(t, 'something_internal:1')).toBeUndefined();
  });
});
