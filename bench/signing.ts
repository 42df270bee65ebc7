/**
 * Signing one document through PKCS#11 (SoftHSM), the path of a qualified signature
 * (docs/records.md#signatures): RFC 8785 digest of an ambulatory sheet's content, then a JAdES-B-B
 * compact JWS whose signature the token makes (C_SignInit + C_Sign); also an NHIS message as an
 * enveloped XMLDSig. Target: under 20 ms per document. Creates its own token in a temp directory.
 *
 *   npx tsx bench/signing.ts [iterations=500]
 */
import { performance } from 'node:perf_hooks';
import { createSoftHsm, createTestPki, SOFTHSM_MODULE } from '../src/test/softhsm.js';
import { openPkcs11Token, signJades, xmlSignerOver } from '../src/modules/signing/index.js';
import { contentDigest } from '../src/modules/records/index.js';

const n = Number(process.argv[2] ?? 500);
const pki = await createTestPki();
const ec = await pki.issue({ uin: '0400000001', name: 'Д-р Бенч', alg: 'ES256' });
const rsa = await pki.issue({ uin: '0400000002', name: 'Д-р Бенч RSA', alg: 'RS256' });
const hsm = await createSoftHsm([{ label: 'bench', pin: '1234', keys: [{ id: 'e1', label: 'ec', issued: ec }, { id: 'b1', label: 'rsa', issued: rsa }] }]);
process.env.SOFTHSM2_CONF = hsm.conf;
const token = openPkcs11Token({ module: SOFTHSM_MODULE, tokenLabel: 'bench', pin: '1234' });

const content = {
  schema: 'distansia.clinical-document/1', kind: 'ambulatory_sheet', revision: 1,
  body: { anamnesis: 'Главоболие сутрин от 2 седмици; домашни стойности 150/95.'.repeat(20), diagnoses: [{ code: 'I10', rank: 'primary' }], therapy: 'Промяна в начина на живот.'.repeat(10) },
};
const xml = `<nhis:message xmlns:nhis="https://www.his.bg"><nhis:header><nhis:senderId value="0400000001"/></nhis:header><nhis:contents>${'<nhis:diagnosis code="I10"/>'.repeat(20)}</nhis:contents></nhis:message>`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function measure(name: string, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 20; i += 1) await fn(i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const t0 = performance.now();
    await fn(i);
    times.push(performance.now() - t0);
  }
  console.log(`${name.padEnd(44)} p50 ${pct(times, 50).toFixed(2)} ms  p99 ${pct(times, 99).toFixed(2)} ms  max ${Math.max(...times).toFixed(2)} ms  (${n} runs)`);
}

for (const [alg, id] of [['ES256', 'e1'], ['RS256', 'b1']] as const) {
  const signer = await token.signer(id);
  await measure(`document (digest + JAdES), ${alg}`, async (i) => {
    const { sha256 } = contentDigest({ ...content, revision: i });
    return signJades(signer, { typ: 'distansia.document-signature/1', sha256, revision: i }, { at: new Date('2026-12-06T10:00:00Z'), cty: 'application/json' });
  });
  const xmlSigner = xmlSignerOver(signer);
  await measure(`NHIS message (enveloped XMLDSig), ${alg}`, () => xmlSigner.sign(xml));
}
token.close();
await hsm.remove();
