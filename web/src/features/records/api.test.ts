import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../api/client.js';

describe('records API client', () => {
  it('sends the draft version as If-Match with saves, signatures and discards (STYLE C9)', async () => {
    const seen: { method: string; url: string; ifMatch: string | null }[] = [];
    const client = createApiClient({
      fetch: async (url, init) => {
        seen.push({ method: String(init.method), url, ifMatch: new Headers(init.headers).get('if-match') });
        return new Response(null, { status: 204 });
      },
    });
    const id = '0190a000-0000-7000-8000-0000000000dd';
    await client.records.saveDraft(id, 3, { purpose: 'consultation', diagnoses: [], medications: [] }).catch(() => undefined);
    await client.records.sign(id, 4, '123456').catch(() => undefined);
    await client.records.discardDraft(id, 5);
    expect(seen).toEqual([
      { method: 'PUT', url: `/api/v1/records/documents/${id}`, ifMatch: '"3"' },
      { method: 'POST', url: `/api/v1/records/documents/${id}/sign`, ifMatch: '"4"' },
      { method: 'DELETE', url: `/api/v1/records/documents/${id}`, ifMatch: '"5"' },
    ]);
  });
});
