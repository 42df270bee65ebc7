import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loggerOptions } from './logger.js';

/** A logger writing JSON lines into an array. */
function capture(): { log: pino.Logger; lines: () => Record<string, unknown>[] } {
  const out: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      out.push(chunk.toString());
      cb();
    },
  });
  return { log: pino(loggerOptions('info'), stream), lines: () => out.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('log redaction (STYLE C5)', () => {
  it("keeps an error's code (ECONNREFUSED, SQLSTATE) readable", () => {
    const { log, lines } = capture();
    log.error({ err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }) }, 'request failed');
    log.error({ err: Object.assign(new Error('deadlock detected'), { code: '40P01' }) }, 'request failed');
    const [a, b] = lines();
    expect((a?.err as { code: string }).code).toBe('ECONNREFUSED');
    expect((b?.err as { code: string }).code).toBe('40P01');
  });

  it('still censors one-time codes, passwords and personal data passed by mistake', () => {
    const { log, lines } = capture();
    log.info({ body: { code: '123456', password: 'secret-pass' }, req: { body: { code: '654321' } }, patient: { name: 'Мария', egn: '8403171234' } }, 'oops');
    const [line] = lines();
    const text = JSON.stringify(line);
    for (const secret of ['123456', '654321', 'secret-pass', 'Мария', '8403171234']) expect(text).not.toContain(secret);
  });
});
