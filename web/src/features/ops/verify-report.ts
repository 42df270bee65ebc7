import { restoreCheckSigningText } from '../../../../src/contracts/backup.js';
import type { RestoreCheckDocument } from './api.js';

/**
 * Checks the report's Ed25519 signature in the browser (Web Crypto), with the public key the server
 * sends beside it. Security: this shows the report was not changed after signing; that the key is the
 * platform's own is checked against the operator's copy of it (docs/operations.md#restore-check).
 * @param doc - the report, its signature and public key
 * @returns true when the signature verifies; false when it does not or cannot be checked
 */
export async function verifyRestoreCheck(doc: RestoreCheckDocument): Promise<boolean> {
  if (!doc.publicKeyPem || !globalThis.crypto?.subtle) return false;
  try {
    const der = Uint8Array.from(atob(doc.publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey('spki', der, { name: 'Ed25519' }, false, ['verify']);
    const signature = Uint8Array.from(atob(doc.signature), (c) => c.charCodeAt(0));
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, new TextEncoder().encode(restoreCheckSigningText(doc.report)));
  } catch {
    return false;
  }
}
