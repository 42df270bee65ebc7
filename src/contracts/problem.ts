import * as z from 'zod/mini';

// Performance: in `zod/mini`, so any page (the directory's first load too) reads problem answers without
// the whole of zod (bench/README.md, first load and LCP). Other contracts embed these schemas, never
// call methods on them (mini schemas have none).

/** RFC 9457 problem details, as every Distansia error is sent (STYLE C4). */
export const FieldIssueSchema = z.object({
  in: z.enum(['body', 'query', 'params', 'headers']),
  pointer: z.string(),
  detail: z.string(),
});

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.optional(z.string()),
    instance: z.optional(z.string()),
    code: z.string(),
    errors: z.optional(z.array(FieldIssueSchema)),
    meta: z.optional(z.record(z.string(), z.unknown())),
  })
  .register(z.globalRegistry, { id: 'Problem' });

export type Problem = z.infer<typeof ProblemSchema>;
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

/** Spread into every route's `response` map so errors are documented and serialised (STYLE C3). */
export const problemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  404: ProblemSchema,
  409: ProblemSchema,
  412: ProblemSchema,
  413: ProblemSchema,
  422: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
  503: ProblemSchema,
} as const;
