import { z } from 'zod';

/** Every role Distansia knows. Deny by default: a role grants nothing until a service says so. */
export const RoleSchema = z.enum([
  'patient', // the person receiving care
  'representative', // parent, guardian or curator acting for linked patients (Health Act Art. 87)
  'specialist', // a doctor with a UIN, working in one or more facilities
  'facility_admin', // runs a facility's operational data, not clinical content
  'coordinator', // functional head of a telemedicine centre (Art. 5)
  'supervisor', // Executive Agency "Medical Supervision" (Art. 21): read-only compliance data
  'operator', // runs the platform; sees no patient data (Art. 28(3))
]);
export type Role = z.infer<typeof RoleSchema>;
