import {
  StaffAccountSchema,
  StaffFacilityListSchema,
  StaffListSchema,
  type CreateStaffAccountBody,
  type StaffAccount,
  type StaffFacilityList,
  type StaffList,
} from '../../../../src/contracts/identity.js';
import type { Http } from '../../api/http.js';

export type { CreateStaffAccountBody, StaffAccount, StaffFacilityList, StaffList };

/** What an administrator does to one account (the last segment of its action route). */
export type StaffAccountAction = 'deactivate' | 'reactivate' | 'reset-mfa' | 'unlock' | 'activation';

/**
 * Staff accounts of a facility (server module `identity`, `staff-accounts.routes.ts`): its administrators
 * list, create, deactivate, reactivate, unlock and reset the second factor of accounts; the operator may
 * list, unlock and deactivate. The server decides every call.
 */
export interface StaffAdminApi {
  /** `GET /api/v1/admin/staff/facilities`: the facilities the caller manages, and what the caller may do. */
  facilities(): Promise<StaffFacilityList>;
  /** `GET /api/v1/admin/facilities/:id/staff`: the accounts and the specialists without one. */
  list(facilityId: string): Promise<StaffList>;
  /** `POST /api/v1/admin/facilities/:id/staff`. */
  create(facilityId: string, body: CreateStaffAccountBody): Promise<StaffAccount>;
  /** `POST /api/v1/admin/facilities/:id/staff/:accountId/<action>`: the account as it is afterwards. */
  act(facilityId: string, accountId: string, action: StaffAccountAction): Promise<StaffAccount>;
}

export function createStaffAdminApi(http: Http): StaffAdminApi {
  const f = (facilityId: string) => `/api/v1/admin/facilities/${encodeURIComponent(facilityId)}/staff`;
  return {
    facilities: () => http.getJson('/api/v1/admin/staff/facilities', StaffFacilityListSchema),
    list: (facilityId) => http.getJson(f(facilityId), StaffListSchema),
    create: (facilityId, body) => http.sendJson('POST', f(facilityId), body, StaffAccountSchema),
    act: (facilityId, accountId, action) => http.sendJson('POST', `${f(facilityId)}/${encodeURIComponent(accountId)}/${action}`, undefined, StaffAccountSchema),
  };
}
