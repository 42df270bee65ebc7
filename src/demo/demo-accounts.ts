import type { Queryable } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import type { Role } from '../contracts/identity.js';
import type { IdentityService } from '../modules/identity/index.js';
import { enrolTotpForDemo } from './enrol-totp.js';

/** One line of `DATA_DIR/demo-accounts.json`. Demo only: these credentials are for a local demo. */
export interface DemoAccount {
  role: Role;
  email: string;
  password: string;
  totpSecret?: string;
  description: string;
}

/** Registry rows the demo accounts link to, created by the earlier seeding steps. */
export interface DemoAccountRefs {
  /** Facility 0 is the telemedicine centre the admin and coordinator work for. */
  facilityIds: readonly string[];
  /** A specialist practitioner (the demo cardiologist). */
  practitionerId: string;
  /** An adult patient. */
  patientId: string;
}

/**
 * Creates one account per role, each with TOTP already enrolled (docs/decisions.md#d14), through the
 * real identity service so password policy, encryption and audit apply. Demo only: the passwords and
 * TOTP secrets are written to demo-accounts.json for a local demo.
 * @param deps - the identity service, and what `enrolTotpForDemo` needs
 * @param tx - the seeding transaction
 * @param ctx - the system actor
 * @param refs - rows to link to
 * @returns the accounts with their credentials
 */
export async function seedDemoAccounts(deps: Parameters<typeof enrolTotpForDemo>[0] & { identity: IdentityService }, tx: Queryable, ctx: RequestCtx, refs: DemoAccountRefs): Promise<DemoAccount[]> {
  const facility = refs.facilityIds[0];
  if (!facility) throw new Error('demo accounts need a facility');
  const specs: { role: Role; email: string; password: string; description: string; links: { practitionerId?: string; patientId?: string; facilityIds?: string[] } }[] = [
    { role: 'patient', email: 'patient@demo.distansia.bg', password: 'Lipa-Vitosha-Mart-2026', description: 'Patient (adult)', links: { patientId: refs.patientId } },
    { role: 'representative', email: 'parent@demo.distansia.bg', password: 'Rila-Ezero-Zvezda-2026', description: 'Representative (parent of the demo child; link created by the access module)', links: {} },
    { role: 'specialist', email: 'cardiologist@demo.distansia.bg', password: 'Pirin-Vrah-Oblak-2026', description: 'Specialist (cardiology), works at the demo telemedicine centre', links: { practitionerId: refs.practitionerId } },
    { role: 'facility_admin', email: 'facility.admin@demo.distansia.bg', password: 'Strandzha-Gora-Ruzha-2026', description: 'Facility administrator of the demo telemedicine centre', links: { facilityIds: [facility] } },
    { role: 'coordinator', email: 'coordinator@demo.distansia.bg', password: 'Dunav-Most-Vecher-2026', description: 'Coordinator (functional head) of the demo telemedicine centre', links: { facilityIds: [facility] } },
    { role: 'supervisor', email: 'supervisor@demo.distansia.bg', password: 'Balkan-Reka-Kamak-2026', description: 'Supervisor (Executive Agency "Medical Supervision"), read-only', links: {} },
    { role: 'operator', email: 'operator@demo.distansia.bg', password: 'Rodopi-Selo-Gaida-2026', description: 'Platform operator (sees no patient data)', links: {} },
  ];
  const accounts: DemoAccount[] = [];
  for (const spec of specs) {
    const id = await deps.identity.createAccount(tx, ctx, { email: spec.email, password: spec.password, role: spec.role, ...spec.links });
    const { secret } = await enrolTotpForDemo(deps, tx, ctx, id);
    accounts.push({ role: spec.role, email: spec.email, password: spec.password, totpSecret: secret, description: spec.description });
  }
  return accounts;
}
