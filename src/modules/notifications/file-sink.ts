import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { Notifier, OutgoingMessage } from './notifier.js';

/** RFC 2047 encoded-word, so Cyrillic subjects survive any mail reader. */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/**
 * Renders one message as an RFC 5322 file (8-bit UTF-8 text). SMS are written the same way, with the
 * phone number in `To` and `X-Distansia-Channel: sms`, so one reader handles both.
 * @param msg - the message
 * @param opts - From header, message id and date
 * @returns the file's text
 */
export function renderEml(msg: OutgoingMessage, opts: { from: string; id: string; date: Date }): string {
  const headers = [
    `From: ${opts.from}`,
    `To: ${msg.to}`,
    `Subject: ${encodeHeader(msg.channel === 'sms' ? 'SMS' : msg.subject)}`,
    `Date: ${opts.date.toUTCString()}`,
    `Message-ID: <${opts.id}@distansia.dev-sink>`,
    `X-Distansia-Channel: ${msg.channel}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${msg.text.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/**
 * The development mail sink (DEV_MAIL_SINK): every e-mail and SMS is written to `dir` as an `.eml` file,
 * as Django's file e-mail backend does, and the file's path is logged at info level. Security: nothing
 * is served over HTTP (the sink once answered anyone at /dev/outbox, links and phone numbers included),
 * and the log line names only the file and the channel, never the address or the text.
 * @param deps - the directory (DATA_DIR/outbox), the logger, the clock and the From header
 * @returns a notifier for both channels
 */
export function fileSinkNotifier(deps: { dir: string; log: Logger; clock: Clock; from: string }): Notifier {
  let ready: Promise<unknown> | undefined;
  return {
    async send(msg, notificationId) {
      ready ??= mkdir(deps.dir, { recursive: true, mode: 0o700 });
      await ready;
      const date = new Date(deps.clock.now().epochMilliseconds);
      const stamp = date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const file = join(deps.dir, `${stamp}-${msg.channel}-${notificationId}.eml`);
      // A retried notification has the same id and was not marked sent: writing the file again is the retry.
      await writeFile(file, renderEml(msg, { from: deps.from, id: notificationId, date }), { mode: 0o600, flag: 'w' });
      deps.log.info({ file, channel: msg.channel }, 'development mail sink: message written');
    },
  };
}
