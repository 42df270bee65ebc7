import { openPkcs11Token, startSignerAgent, type Pkcs11Token, type SignerAgent } from '../modules/signing/index.js';
import { createSoftHsm, SOFTHSM_MODULE, type SoftHsm, type TokenSpec } from './softhsm.js';

/** The web app's origin the agent answers (it refuses every other origin). */
export const CARD_APP_ORIGIN = 'https://app.distansia.test';

export interface CardAgent {
  hsm: SoftHsm;
  token: Pkcs11Token;
  agent: SignerAgent;
  /**
   * Calls the paired agent as the browser does (origin and bearer token).
   * @throws when the agent does not answer 200
   */
  call<T>(path: string, payload?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * A doctor's card on this computer for tests: a SoftHSM token holding the given keys and certificates,
 * `distansia signer` serving it on a free loopback port, and the browser's pairing done.
 * @param card - the token's label, PIN and keys
 * @param pairingCode - the code the agent "prints"
 * @returns the agent, its token, and a caller
 */
export async function startCardAgent(card: TokenSpec, pairingCode = '13572468'): Promise<CardAgent> {
  const hsm = await createSoftHsm([card]);
  // The PKCS#11 library reads SOFTHSM2_CONF once per process, at its first call.
  // eslint-disable-next-line no-restricted-syntax -- test fixture: SoftHSM is configured through the environment only
  process.env.SOFTHSM2_CONF = hsm.conf;
  const token = openPkcs11Token({ module: SOFTHSM_MODULE, tokenLabel: card.label, pin: card.pin });
  const agent = await startSignerAgent({ token, appOrigin: CARD_APP_ORIGIN, port: 0, pairingCode });
  let bearer = '';
  const call = async <T>(path: string, payload?: unknown): Promise<T> => {
    const res = await fetch(`${agent.url}${path}`, {
      method: payload ? 'POST' : 'GET',
      headers: { origin: CARD_APP_ORIGIN, 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: payload ? JSON.stringify(payload) : undefined,
    });
    if (res.status !== 200) throw new Error(`agent ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  bearer = (await call<{ token: string }>('/v1/pair', { code: pairingCode })).token;
  return {
    hsm,
    token,
    agent,
    call,
    async close() {
      await agent.close();
      token.close();
      await hsm.remove();
    },
  };
}
