import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One message of the development mail sink, read back from its .eml file. */
export interface SinkMessage {
  file: string;
  /** The notification row it belongs to (the Message-ID). */
  notificationId: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string;
  body: string;
}

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_m, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

/**
 * Reads the messages the development sink wrote to DATA_DIR/outbox/ (oldest first), as a person
 * running the demo would open them.
 * @param dataDir - the server's DATA_DIR
 * @returns the messages
 */
export async function readOutbox(dataDir: string): Promise<SinkMessage[]> {
  const dir = join(dataDir, 'outbox');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
  const out: SinkMessage[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    const split = text.indexOf('\r\n\r\n');
    const headers = new Map<string, string>();
    for (const line of text.slice(0, split).split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
    }
    out.push({
      file: name,
      notificationId: /^<([^@>]+)@/.exec(headers.get('message-id') ?? '')?.[1] ?? '',
      channel: headers.get('x-distansia-channel') === 'sms' ? 'sms' : 'email',
      to: headers.get('to') ?? '',
      subject: decodeHeader(headers.get('subject') ?? ''),
      body: text.slice(split + 4).replace(/\r\n/g, '\n'),
    });
  }
  return out;
}

/**
 * Waits until a message matching `match` is in the sink (the outbox worker sends after commit).
 * @param dataDir - the server's DATA_DIR
 * @param match - which message
 * @param timeoutMs - how long to wait
 * @returns the message
 */
export async function waitForMessage(dataDir: string, match: (m: SinkMessage) => boolean, timeoutMs = 10_000): Promise<SinkMessage> {
  for (let waited = 0; waited <= timeoutMs; waited += 100) {
    const found = (await readOutbox(dataDir)).find(match);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no matching message in the development mail sink');
}
