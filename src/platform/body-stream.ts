import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors/app-error.js';

// Upload bodies are read lazily, by the use case, after it has authenticated and authorised the caller
// (docs/security-input.md): until then no byte of a large body is buffered. The JSON parser keeps the
// global 1 MB limit.

/** A request body not yet read: the raw stream, or bytes already in memory (tests, internal callers). */
export type BodySource = Buffer | AsyncIterable<Uint8Array>;

/**
 * Registers content types whose body is handed to the route unread (the raw stream becomes `req.body`).
 * Register inside the plugin of the upload routes only, so no other route accepts these types. A reply
 * sent before the body was read closes the connection, so the rest of a refused upload is not received.
 * @param app - the (encapsulated) plugin instance of the upload routes
 * @param types - the content types
 */
export function registerLazyBody(app: FastifyInstance, types: readonly string[]): void {
  for (const type of types) app.addContentTypeParser(type, (_req, payload, done) => done(null, payload));
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.raw.complete) void reply.header('connection', 'close');
    return payload;
  });
}

/**
 * An `onRequest` hook for a JSON route whose body limit is above the global 1 MB: an anonymous caller is
 * refused before any byte of the body is read (docs/security-input.md). The use case still authorises.
 * @example app.post('/x', { bodyLimit: 8 * 1024 * 1024, onRequest: signedInBeforeBody }, handler)
 */
export async function signedInBeforeBody(req: FastifyRequest): Promise<void> {
  if (req.ctx.actor.type !== 'user') throw new AppError('auth.unauthenticated');
}

/**
 * Reads a body into memory, refusing it as soon as it grows past `limit` (and before reading anything
 * when the declared Content-Length already does).
 * @param source - the unread body
 * @param limit - the largest accepted size in bytes
 * @param declaredLength - the Content-Length header, if any
 * @returns the bytes
 * @throws {AppError} `request.too_large`
 */
export async function readBody(source: BodySource | undefined, limit: number, declaredLength?: string): Promise<Buffer> {
  const tooLarge = () => new AppError('request.too_large', { detail: `At most ${limit} bytes` });
  if (declaredLength !== undefined && Number(declaredLength) > limit) throw tooLarge();
  if (source === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(source)) {
    if (source.length > limit) throw tooLarge();
    return source;
  }
  if (isReadable(source)) return readStream(source, limit, tooLarge);
  if (typeof (source as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator] !== 'function') {
    throw new AppError('request.invalid', { detail: 'Send the file as the raw request body' });
  }
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(parts, size);
}

const isReadable = (s: unknown): s is Readable => typeof (s as Readable).on === 'function' && typeof (s as Readable).pause === 'function';

// Tricky: not `for await` over the request: leaving that loop early destroys the stream, and with it the
// socket, so the client would never see the 413. Pausing leaves the socket to answer, then close.
function readStream(stream: Readable, limit: number, tooLarge: () => AppError): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      if (err) {
        stream.pause();
        reject(err);
      } else resolve(Buffer.concat(parts, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(tooLarge());
      else parts.push(chunk);
    };
    const onEnd = () => done();
    const onError = (err: Error) => done(new AppError('request.invalid', { detail: 'The body was not received completely', cause: err }));
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
