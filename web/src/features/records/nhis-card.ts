import type { RecordsApi } from './api.js';
import { agentSignXml } from './signer-agent.js';

/** How the NHIS messages of a record signed with the card went (shown in words on the signed record). */
export type CardNhisOutcome = 'recorded' | 'rejected' | 'unreachable' | 'outbox';

/** A bound on the loop: the challenge, X001 and X003, and one more challenge if a token expires meanwhile. */
const MAX_CARD_STEPS = 6;

/**
 * The NHIS messages of a just-signed record, signed by the same card while the doctor is at the screen
 * (docs/nhis.md#signer): the server answers what to sign next (the token challenge, X001, X003), the agent
 * signs it, and the server checks and sends it. Whatever goes wrong here, the record is already signed and
 * the outbox sends it later with the server's key, so this never throws.
 */
export async function sendNhisWithCard(api: RecordsApi, documentId: string, certificateId: string): Promise<CardNhisOutcome> {
  try {
    let next = await api.nhisCardStep(documentId, {});
    for (let i = 0; next.step === 'sign' && i < MAX_CARD_STEPS; i += 1) {
      next = await api.nhisCardStep(documentId, { signed: { kind: next.kind, xml: await agentSignXml(certificateId, next.xml) } });
    }
    return next.step === 'done' ? next.outcome : 'unreachable';
  } catch {
    return 'unreachable';
  }
}
