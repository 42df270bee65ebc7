import { isUtf8 } from 'node:buffer';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';
import { validatorCompiler as zodValidatorCompiler } from 'fastify-type-provider-zod';
import type { ZodType } from 'zod';
import { UNSAFE_TEXT_DETAIL, unsafeTextPointers } from '../contracts/text.js';
import { AppError } from './errors/app-error.js';

// fastify-type-provider-zod marks its validation issues with this registered symbol; ours carry it too,
// so the one problem handler maps both to `request.invalid` with pointers (STYLE C4).
const ZOD_ISSUE = Symbol.for('ZodFastifySchemaValidationError');

/**
 * The validator compiler for every route: the zod contract, preceded by the text rule (no NUL, no
 * unpaired surrogate; src/contracts/text.ts) applied to the whole body, query, params or headers, so
 * no route can forget it (docs/security-input.md).
 */
export const validatorCompiler: FastifySchemaCompiler<ZodType> = (route) => {
  const validate = zodValidatorCompiler(route);
  return (data: unknown) => {
    const pointers = unsafeTextPointers(data);
    if (pointers.length > 0) {
      return {
        error: pointers.map((p) => ({
          [ZOD_ISSUE]: true,
          keyword: 'custom',
          instancePath: p.slice(1),
          schemaPath: `${p}/custom`,
          message: UNSAFE_TEXT_DETAIL,
          params: {},
        })) as unknown as Error,
      };
    }
    return validate(data);
  };
};

/**
 * Replaces Fastify's JSON parser with one that refuses bodies that are not valid UTF-8 (Fastify decodes
 * them leniently, turning bad bytes into U+FFFD, which would be stored as if the client had sent it).
 * Parsing itself stays Fastify's own (prototype-poisoning protection included).
 * @param app - the root instance, before any plugin registers routes
 */
export function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const bytes = body as Buffer;
    if (!isUtf8(bytes)) {
      done(new AppError('request.invalid', { detail: 'The body is not valid UTF-8', errors: [{ in: 'body', pointer: '#', detail: 'not valid UTF-8' }] }), undefined);
      return;
    }
    void parseJson(req, bytes.toString('utf8'), done);
  });
}
