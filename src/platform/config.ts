import { z } from 'zod';
import { isPostgresUrl } from './db/multi-host.js';

/**
 * A secret that never prints: `String(secret)`, JSON and util.inspect show `[redacted]`.
 * Security: config objects get logged by accident; the value is only reachable through `reveal()`.
 */
export class Redacted<T = string> {
  readonly #value: T;
  constructor(value: T) {
    this.#value = value;
  }
  reveal(): T {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[redacted]';
  }
}

const LogLevelSchema = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const optionalNonEmpty = z.string().trim().min(1).optional().or(z.literal('').transform(() => undefined));
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const ConfigSchema = z.object({
  /**
   * Interface to listen on. Security: loopback unless the operator says otherwise; a server reachable
   * from other hosts is a decision (behind the facility gateway, or 0.0.0.0 in a container).
   */
  HOST: z.string().trim().default('127.0.0.1').transform((v) => v || '127.0.0.1'),
  /** Only `production` matters: it refuses the development mail sink (DEV_MAIL_SINK). */
  NODE_ENV: optionalNonEmpty,
  /** TCP port of the HTTP API, web app and WebSocket signalling. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Embedded database (`DATA_DIR/pg`), demo accounts, and the demo's master keys and audit heads. */
  DATA_DIR: z.string().min(1).default('./data'),
  /**
   * A PostgreSQL server (`postgres://user@host:5432/db`); without it the embedded PGlite in DATA_DIR is used.
   * With a standby, name both (`postgres://user@site-a:5432,site-b:5432/db`): connections follow the writable one.
   */
  DATABASE_URL: optionalNonEmpty.pipe(z.string().refine(isPostgresUrl, 'must be a postgres:// URL (one host, or host:port,host:port)').optional()),
  /** The address users reach: links in e-mails, `Secure` cookies when https, the WebSocket origin check, WebAuthn. */
  PUBLIC_URL: z.url().optional(),
  /** pino log level; personal data is redacted and request bodies are never logged. */
  LOG_LEVEL: LogLevelSchema.default('info'),
  /** Where the built web app lives; served at `/` when it exists. */
  WEB_DIST_DIR: z.string().default('web/dist'),
  /** IANA zone of the platform's default organisation (STYLE C11: zones are data). */
  DEFAULT_TIME_ZONE: z.string().default('Europe/Sofia'),
  /** Trust X-Forwarded-For from the facility gateway (Art. 28(1)). */
  TRUST_PROXY: booleanFlag.default(false),
  /** Run migrations automatically at start (default on). */
  MIGRATE_ON_START: booleanFlag.default(true),
  /** Drain the outbox in this process. */
  OUTBOX_WORKER: booleanFlag.default(true),
  /**
   * Directory of the facilities' master keys (docs/decisions.md#d13). Security: in production mount it
   * from outside the database host; default is DATA_DIR/keys for the demo.
   */
  KEY_DIR: optionalNonEmpty,
  /**
   * Audit: the second site's directory for signed chain heads (mount it from another host). See
   * docs/decisions.md#d12, Art. 28(2); default DATA_DIR/audit-heads.
   */
  AUDIT_HEAD_EXPORT_DIR: optionalNonEmpty,
  /** Audit: a second PostgreSQL database that also receives the chain heads (optional). */
  AUDIT_HEAD_EXPORT_DATABASE_URL: optionalNonEmpty.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  /**
   * Audit: seconds between signed head exports (at most 10). An event older than this is named by a
   * head at the second location, so deleting it cannot go unseen; one more export at shutdown (docs/audit.md).
   */
  AUDIT_HEAD_EXPORT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(10).default(10),
  /** Identity: a session ends after this many minutes without a request. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  /** Identity: a session ends this many hours after sign-in, whatever the activity. */
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  /**
   * Identity: CIDRs staff may work from (Art. 28(1)-(2)). Empty means no gateway restriction. Behind a proxy, set TRUST_PROXY so the client IP is real.
   */
  STAFF_ALLOWED_NETWORKS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.union([z.cidrv4(), z.cidrv6()]))),
  /** Identity: mark cookies `Secure` (default: when PUBLIC_URL is https). */
  COOKIE_SECURE: booleanFlag.optional(),
  /** Identity: failed sign-ins per client IP in 15 minutes before it is throttled. */
  AUTH_IP_MAX_FAILURES: z.coerce.number().int().min(1).default(50),
  /** Identity: WebAuthn relying-party id (default: the PUBLIC_URL host, else the request host). */
  WEBAUTHN_RP_ID: optionalNonEmpty,
  /**
   * Demo: write e-mail and SMS to DATA_DIR/outbox/*.eml instead of sending them. Logs each file's path. For the demo and development; refused with NODE_ENV=production.
   */
  DEV_MAIL_SINK: booleanFlag.default(false),
  /** Notifications: SMTP server (`smtps://user:pass@host:465`, a secret). */
  SMTP_URL: optionalNonEmpty.pipe(z.url({ protocol: /^smtps?$/ }).optional()).transform((v) => (v ? new Redacted(v) : undefined)),
  /** Notifications: the From header of e-mails. */
  MAIL_FROM: z.string().default('Distansia <no-reply@distansia.local>'),
  /** Notifications: HTTP SMS gateway; receives POST {to, from, text} as JSON with a bearer token. */
  SMS_GATEWAY_URL: optionalNonEmpty.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Notifications: bearer token of the SMS gateway (a secret). */
  SMS_GATEWAY_TOKEN: optionalNonEmpty.transform((v) => (v ? new Redacted(v) : undefined)),
  /** Notifications: the SMS sender name. */
  SMS_SENDER: z.string().default('Distansia'),
  /** Consultation: STUN servers offered to browsers, comma-separated (e.g. `stun:turn.clinic.bg:3478`). */
  STUN_URLS: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Consultation: coturn URLs, comma-separated (`turn:host:3478?transport=udp,turns:host:5349`). */
  TURN_URLS: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Consultation: coturn's `static-auth-secret` (`use-auth-secret`); TURN credentials are HMACs of it. */
  TURN_SECRET: optionalNonEmpty.transform((v) => (v ? new Redacted(v) : undefined)),
  /** Consultation: lifetime of a TURN credential. Browsers fetch a new one on every (re)join. */
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /** Scheduling: local `HH:MM` after which slots roll forward each day. */
  SLOT_EXTEND_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('02:30'),
  /** Scheduling: how many days ahead published slots are materialised. */
  SLOT_HORIZON_DAYS: z.coerce.number().int().min(7).max(366).default(56),
  /**
   * Directory: seconds a public directory answer may be served from memory; 0 turns the cache off.
   * Default 15 on PostgreSQL (it bounds how late another server process's changes show) and 60 on PGlite
   * (one process: its own changes show at once anyway).
   * @default 15 (PostgreSQL) / 60 (PGlite)
   */
  DIRECTORY_CACHE_SECONDS: z.coerce.number().min(0).max(3600).optional(),
  /**
   * Rate limit per IP and route for `/api/v1/auth/*` writes (sign-in, 2FA, reset, activation). Counted per
   * client IP and route in RATE_LIMIT_WINDOW_SECONDS.
   */
  RATE_LIMIT_AUTH_MAX: z.coerce.number().int().min(1).default(20),
  /** Rate limit per IP and route for any other write without a session. */
  RATE_LIMIT_ANONYMOUS_WRITE_MAX: z.coerce.number().int().min(1).default(60),
  /** Rate limits: the window the limits above count in. */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /**
   * Consultation: signalling between processes, `postgres` (LISTEN/NOTIFY) or `memory` (one process).
   * @default postgres (PostgreSQL) / memory (PGlite)
   */
  SIGNAL_BUS: z.enum(['postgres', 'memory']).optional(),
  // The NHIS (docs/nhis.md)
  /**
   * NHIS: the API URL; unset: the bundled simulator. The NHIS test environment is
   * `https://ptest-api.his.bg`; needs NHIS_SIGNER_FILE.
   */
  NHIS_BASE_URL: optionalNonEmpty.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /**
   * NHIS: the token URL (default `NHIS_BASE_URL/token`). The NHIS's own is a separate host
   * (`https://ptest-auth.his.bg/token`, bulgarian-identifiers-codes-and-nhis.md §2.1).
   */
  NHIS_AUTH_URL: optionalNonEmpty.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** NHIS: `senderISName` of the messages. */
  NHIS_SENDER_IS_NAME: z.string().min(1).max(100).default('Distansia'),
  /** NHIS: timeout of one HTTP attempt (ms). Each message is tried 3 times with backoff, then the outbox retries. */
  NHIS_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /**
   * NHIS: PEM key and certificate that sign. A software key; a qualified signature (КЕП)
   * needs the PKCS#11 signer instead; tokens and messages are signed with the same certificate.
   */
  NHIS_SIGNER_FILE: optionalNonEmpty,
  /**
   * NHIS: simulator `in-process` or `http` (the demo's). With `http` a loopback HTTP server with a
   * generated test CA runs the live protocol end to end (signed messages).
   */
  NHIS_SIMULATOR: z.enum(['in-process', 'http']).default('in-process'),
  // Backups (Art. 28(1) items 5-7, docs/operations.md)
  /**
   * Backups: where each backup goes, comma-separated directories (at least two, on different hosts or
   * mounts). Empty: no daily backup job.
   */
  BACKUP_DESTINATIONS: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Backups: the operator's age public key(s) (`age1…`), comma-separated; backups are encrypted to them. */
  BACKUP_RECIPIENTS: z.string().default('').transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  /** Backups: file with the operator's age secret key (`AGE-SECRET-KEY-1…`); only restore and its check read it. */
  BACKUP_IDENTITY_FILE: optionalNonEmpty,
  /** Backups: local `HH:MM` (DEFAULT_TIME_ZONE) after which the daily backup runs. */
  BACKUP_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('01:30'),
  /** Backups: local `HH:MM` on the 1st of each month after which the monthly restore check runs. */
  RESTORE_CHECK_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').default('04:00'),
  /** Backups: daily backups kept per destination (the newest of each day). */
  BACKUP_KEEP_DAILY: z.coerce.number().int().min(1).max(366).default(14),
  /** Backups: monthly backups kept per destination (the first of each month), beyond the daily ones. */
  BACKUP_KEEP_MONTHLY: z.coerce.number().int().min(0).max(120).default(12),
  /** Signatures: PEM file of the CAs trusted for qualified signatures (КЕП); without it none is accepted. */
  SIGNING_CA_BUNDLE: optionalNonEmpty,
  /** Signatures: PKCS#11 library of a server-side HSM holding doctors' qualified keys (e.g. `/usr/lib/softhsm/libsofthsm2.so`). */
  PKCS11_MODULE: optionalNonEmpty,
  /** Signatures: label of the HSM token to use (default: the first token present). */
  PKCS11_TOKEN_LABEL: optionalNonEmpty,
  /** Signatures: file holding the HSM token's user PIN (read once at start, never logged). */
  PKCS11_PIN_FILE: optionalNonEmpty,
});

type RawConfig = z.infer<typeof ConfigSchema>;
export type Config = Readonly<Omit<RawConfig, 'DATABASE_URL' | 'KEY_DIR' | 'AUDIT_HEAD_EXPORT_DIR' | 'AUDIT_HEAD_EXPORT_DATABASE_URL'> & {
  KEY_DIR: string;
  AUDIT_HEAD_EXPORT_DIR: string;
  AUDIT_HEAD_EXPORT_DATABASE_URL: Redacted | undefined;
  DATABASE_URL: Redacted | undefined;
}>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at boot, and reports every problem at once (STYLE C15).
 * @param env - the variables to read; defaults to the process environment
 * @returns the frozen configuration
 * @throws {ConfigError} listing all invalid variables
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      // Security: never echo the received value, it may be a secret.
      return `${key}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  // Security: the development sink writes every message (reset and activation links, phone numbers) to
  // disk instead of sending it; a production server must never run with it.
  if (parsed.data.DEV_MAIL_SINK && parsed.data.NODE_ENV === 'production') {
    throw new ConfigError(['DEV_MAIL_SINK: the development mail sink is refused when NODE_ENV=production; configure SMTP_URL and SMS_GATEWAY_URL']);
  }
  // A server-side HSM signs qualified only with its PIN and against trusted CAs (docs/records.md#signatures).
  if (parsed.data.PKCS11_MODULE && (!parsed.data.PKCS11_PIN_FILE || !parsed.data.SIGNING_CA_BUNDLE)) {
    throw new ConfigError(['PKCS11_MODULE: also set PKCS11_PIN_FILE and SIGNING_CA_BUNDLE']);
  }
  // A live NHIS refuses unsigned messages: without a signer the transport could not say a word.
  if (parsed.data.NHIS_BASE_URL && !parsed.data.NHIS_SIGNER_FILE) {
    throw new ConfigError(['NHIS_SIGNER_FILE: required with NHIS_BASE_URL (the NHIS accepts only signed messages)']);
  }
  const { DATABASE_URL, AUDIT_HEAD_EXPORT_DATABASE_URL, ...rest } = parsed.data;
  return Object.freeze({
    ...rest,
    KEY_DIR: rest.KEY_DIR ?? `${rest.DATA_DIR.replace(/\/$/, '')}/keys`,
    AUDIT_HEAD_EXPORT_DIR: rest.AUDIT_HEAD_EXPORT_DIR ?? `${rest.DATA_DIR.replace(/\/$/, '')}/audit-heads`,
    AUDIT_HEAD_EXPORT_DATABASE_URL: AUDIT_HEAD_EXPORT_DATABASE_URL ? new Redacted(AUDIT_HEAD_EXPORT_DATABASE_URL) : undefined,
    DATABASE_URL: DATABASE_URL ? new Redacted(DATABASE_URL) : undefined,
  });
}

/**
 * The configuration of `distansia demo`: as `loadConfig`, with the development mail/SMS sink on unless the
 * environment says otherwise (the demo needs no mail server; messages are written to DATA_DIR/outbox/),
 * and the NHIS simulator over loopback HTTP, so the demo runs the signed NHIS protocol (docs/nhis.md).
 * @returns the frozen configuration
 */
export function loadDemoConfig(): Config {
  return loadConfig({ DEV_MAIL_SINK: 'true', NHIS_SIMULATOR: 'http', ...process.env });
}
