import { z } from 'zod';

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
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string(),
    errors: z.array(FieldIssueSchema).optional(),
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Problem' });

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
