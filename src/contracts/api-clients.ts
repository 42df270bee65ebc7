import { z } from 'zod';
import { Instant } from './common.js';
import { safeText } from './text.js';

/**
 * A facility's registered systems (OAuth 2.0 client credentials, RFC 6749 §4.4) and the SMART backend
 * scopes they may hold (docs/fhir.md#machine-clients). `system/*.read` covers every read the endpoint
 * serves to a system (Patient, `$everything`, Encounter, the clinical resources); `system/Patient.read`
 * the Patient resource only.
 */
export const SYSTEM_SCOPES = ['system/Patient.read', 'system/*.read'] as const;
export const SystemScopeSchema = z.enum(SYSTEM_SCOPES);
export type SystemScope = z.infer<typeof SystemScopeSchema>;

export const RegisterApiClientBodySchema = z
  .object({
    name: safeText(z.string().trim().min(1).max(200)),
    scopes: z.array(SystemScopeSchema).min(1).max(SYSTEM_SCOPES.length),
  })
  .meta({ id: 'RegisterApiClientBody' });
export type RegisterApiClientBody = z.infer<typeof RegisterApiClientBodySchema>;

export const ApiClientSchema = z
  .object({
    /** The OAuth `client_id`. */
    id: z.uuid(),
    facilityId: z.uuid(),
    name: z.string(),
    /** Space-separated, as OAuth writes scopes. */
    scope: z.string(),
    createdAt: Instant,
    revokedAt: Instant.nullable(),
  })
  .meta({ id: 'ApiClient' });
export type ApiClient = z.infer<typeof ApiClientSchema>;

export const ApiClientCreatedSchema = ApiClientSchema.extend({
  /** Shown once; only its digest is kept. */
  clientSecret: z.string(),
}).meta({ id: 'ApiClientCreated' });
export type ApiClientCreated = z.infer<typeof ApiClientCreatedSchema>;

export const ApiClientListSchema = z.object({ items: z.array(ApiClientSchema) }).meta({ id: 'ApiClientList' });

/** RFC 6749 §5.1. */
export const TokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
  scope: z.string(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;
