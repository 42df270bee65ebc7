import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths that may carry personal data or secrets. Security: bodies are never logged at all (STYLE C5);
 * these paths are the net under that rule for objects someone passes to `log.info(obj)` by mistake.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.mfaToken',
  // One-time codes (TOTP, recovery) travel as `code` in request bodies. Not `*.code`: that censors
  // `err.code`, and ECONNREFUSED or a SQLSTATE is exactly what an error log must show.
  'body.code',
  '*.body.code',
  '*.totpCode',
  '*.recoveryCode',
  '*.secret',
  '*.totpSecret',
  '*.patient',
  '*.name',
  '*.firstName',
  '*.lastName',
  '*.birthDate',
  '*.phone',
  '*.email',
  '*.egn',
  '*.lnch',
  '*.identifier',
  '*.address',
  'DATABASE_URL',
];

/**
 * Pino options shared by the server and the CLI.
 * @param level - the minimum level to write
 * @returns logger options with redaction and request serializers that keep only ids and routes
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: redactPaths, censor: '[redacted]' },
    serializers: {
      // Security: the URL may carry identifiers in the query string; log the path only.
      req: (req: { method?: string; url?: string; id?: string }) => ({
        method: req.method,
        path: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
        id: req.id,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}

export type { Logger };
