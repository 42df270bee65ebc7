import { readFile } from 'node:fs/promises';
import { toDate, type Clock } from '../../platform/clock.js';
import type { IdGen } from '../../platform/ids.js';
import type { NhisTransport } from './nhis-client.js';
import { startNhisHttpSimulator, type NhisHttpControl } from './nhis-http-simulator.js';
import { createHttpNhisTransport } from './nhis-http-transport.js';
import { createNhisSimulator, type NhisSimulatorControl } from './nhis-simulator.js';
import { createTestPki } from './test-pki.js';
import { softwareXmlSigner, type XmlSigner } from './xml-signature.js';

/** The NHIS settings of src/platform/config.ts this module reads. */
export interface NhisConnectionConfig {
  NHIS_BASE_URL?: string | undefined;
  NHIS_AUTH_URL?: string | undefined;
  NHIS_TIMEOUT_MS: number;
  NHIS_SIGNER_FILE?: string | undefined;
  NHIS_SIMULATOR: 'in-process' | 'http';
  /** The CAs of doctors' qualified certificates: the HTTP simulator trusts them too, as the NHIS trusts qualified CAs. */
  SIGNING_CA_BUNDLE?: string | undefined;
}

export interface NhisConnection {
  transport: NhisTransport;
  /** Where messages go: `live` (NHIS_BASE_URL), the `http` simulator or the `in-process` one. */
  mode: 'live' | 'http' | 'in-process';
  /** The bundled simulator's controls (idle when live: nothing is sent to it). */
  simulator: NhisSimulatorControl;
  /** The HTTP simulator's own controls (tokens, failures, who signed what); only with `NHIS_SIMULATOR=http`. */
  http?: NhisHttpControl;
  close(): Promise<void>;
}

/** Attempts per message before the outbox takes over, and the first backoff. */
const ATTEMPTS = 3;
const BACKOFF_MS = 500;

/**
 * Reads a PEM file holding a private key and its certificate.
 * @param file - the path
 * @returns a software signer over them
 * @throws {Error} when the file lacks either
 */
export async function readSignerFile(file: string): Promise<XmlSigner> {
  const pem = await readFile(file, 'utf8');
  const key = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/.exec(pem)?.[0];
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (!key || !cert) throw new Error(`NHIS_SIGNER_FILE must hold a private key and a certificate (PEM): ${file}`);
  return softwareXmlSigner(`${key}\n`, `${cert}\n`);
}

/**
 * How Distansia reaches the NHIS (docs/nhis.md): the live NHIS over HTTPS when NHIS_BASE_URL is set;
 * otherwise the bundled simulator, in process, or as a loopback HTTP server with a throw-away CA so the
 * signed protocol runs end to end (the demo).
 * @param config - the NHIS settings
 * @param deps - clock and ids
 * @returns the transport, the simulator's controls and close()
 */
export async function connectNhis(config: NhisConnectionConfig, deps: { clock: Clock; ids: IdGen }): Promise<NhisConnection> {
  if (config.NHIS_BASE_URL) {
    if (!config.NHIS_SIGNER_FILE) throw new Error('NHIS_SIGNER_FILE is required with NHIS_BASE_URL');
    const signer = await readSignerFile(config.NHIS_SIGNER_FILE);
    const transport = createHttpNhisTransport({
      settings: { baseUrl: config.NHIS_BASE_URL, ...(config.NHIS_AUTH_URL ? { authUrl: config.NHIS_AUTH_URL } : {}), timeoutMs: config.NHIS_TIMEOUT_MS, attempts: ATTEMPTS, backoffMs: BACKOFF_MS },
      // Tricky: one configured certificate signs for every sender; per-doctor КЕП comes through the PKCS#11 signer (docs/nhis.md).
      signerFor: () => signer,
      clock: deps.clock,
    });
    return { transport, mode: 'live', simulator: createNhisSimulator(deps).control, close: () => transport.close() };
  }
  if (config.NHIS_SIMULATOR === 'http') {
    const pki = await createTestPki({ notBefore: toDate(deps.clock.now().subtract({ hours: 24 })), days: 3650, doctorName: 'Distansia simulator signer' });
    // The doctors' card CAs (SIGNING_CA_BUNDLE) are trusted as well, so messages the card signs through the
    // local agent are checked like the server's (docs/nhis.md#signer).
    const cardCas = config.SIGNING_CA_BUNDLE ? (await readFile(config.SIGNING_CA_BUNDLE, 'utf8')).match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [] : [];
    const sim = await startNhisHttpSimulator({ clock: deps.clock, ids: deps.ids, caPem: [pki.caPem, ...cardCas.map((c) => `${c}\n`)] });
    const transport = createHttpNhisTransport({
      settings: { baseUrl: sim.url, timeoutMs: config.NHIS_TIMEOUT_MS, attempts: ATTEMPTS, backoffMs: BACKOFF_MS },
      signerFor: () => softwareXmlSigner(pki.doctor.keyPem, pki.doctor.certPem),
      clock: deps.clock,
    });
    return {
      transport,
      mode: 'http',
      simulator: sim.control,
      http: sim.http,
      async close() {
        await transport.close();
        await sim.close();
      },
    };
  }
  const sim = createNhisSimulator(deps);
  return { transport: sim.transport, mode: 'in-process', simulator: sim.control, close: () => Promise.resolve() };
}
