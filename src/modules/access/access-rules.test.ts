import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/request-context.js';
import type { Role } from '../../contracts/identity.js';
import { decideAct, decideRead, factsNeeded, type AccessFacts } from './access-rules.js';

const A = '0190a000-0000-7000-8000-00000000000a';
const B = '0190a000-0000-7000-8000-00000000000b';
const user = (role: Role, extra: Partial<Extract<Actor, { type: 'user' }>> = {}): Actor => ({
  type: 'user',
  id: '0190a000-0000-7000-8000-0000000000ff',
  role,
  sessionId: 's',
  facilityIds: [],
  ...extra,
});
const allFacts: AccessFacts = {
  representativeLinkId: 'link-1',
  care: { id: 'c', sourceType: 'request', sourceId: 'r-1', facilityId: 'f-1' },
  grantId: 'grant-1',
  supervisionCase: { id: 'case-1', facilityId: 'f-1' },
};

describe('decideRead (deny by default)', () => {
  it("a facility's registered system reads only patients under care at its facility, and only what it recorded", () => {
    const client: Actor = { type: 'client', id: 'cl-1', facilityId: 'f-1', scopes: ['system/*.read'] };
    // Every other relationship is irrelevant to a system: only the facility's own care opens anything.
    expect(decideRead(client, A, allFacts)).toEqual({ allow: false, why: 'no_relationship' });
    const care = { facilityCare: { sourceType: 'encounter', sourceId: 'e-1' } };
    expect(decideRead(client, A, care)).toEqual({ allow: true, basis: 'facility_system', reason: 'api_client:cl-1', facilityId: 'f-1', facilityScope: ['f-1'] });
    expect(decideRead(client, A, care, 'f-1')).toMatchObject({ allow: true });
    expect(decideRead(client, A, care, 'f-2')).toEqual({ allow: false, why: 'outside_scope' });
    expect(factsNeeded(client, A)).toEqual({ representativeLink: false, care: false, grant: false, supervision: false, facilityCare: true });
  });

  it('lets a patient read their own record and nobody else’s without a grant', () => {
    expect(decideRead(user('patient', { patientId: A }), A, {})).toEqual({ allow: true, basis: 'self', reason: 'self' });
    expect(decideRead(user('patient', { patientId: A }), B, {})).toEqual({ allow: false, why: 'no_relationship' });
    expect(decideRead(user('patient', { patientId: A }), B, { grantId: 'g' })).toMatchObject({ allow: true, basis: 'grant', reason: 'access_grant:g' });
  });

  it('a patient account without a patient record is never "self"', () => {
    expect(decideRead(user('patient'), A, {})).toEqual({ allow: false, why: 'no_relationship' });
  });

  it('opens a representative only through a link or a grant', () => {
    expect(decideRead(user('representative'), A, {})).toEqual({ allow: false, why: 'no_relationship' });
    expect(decideRead(user('representative'), A, { representativeLinkId: 'l' })).toMatchObject({ allow: true, basis: 'representative', reason: 'representative_link:l' });
  });

  it('opens a specialist through a care relationship (Art. 13) or a grant (Art. 28(4))', () => {
    expect(decideRead(user('specialist'), A, {})).toEqual({ allow: false, why: 'no_relationship' });
    expect(decideRead(user('specialist'), A, { care: allFacts.care! })).toMatchObject({ allow: true, basis: 'care', reason: 'request:r-1', facilityId: 'f-1' });
    expect(decideRead(user('specialist'), A, { grantId: 'g' })).toMatchObject({ allow: true, basis: 'grant' });
  });

  it('opens the supervisor only inside an open case (Art. 21), never through a grant', () => {
    expect(decideRead(user('supervisor'), A, { grantId: 'g' })).toEqual({ allow: false, why: 'no_relationship' });
    expect(decideRead(user('supervisor'), A, { supervisionCase: allFacts.supervisionCase! })).toMatchObject({ allow: true, basis: 'supervision' });
  });

  it('Art. 21: a case reaches only what its facilities recorded', () => {
    const facts = { supervisionCase: { id: 'case-1', facilityId: 'f-1' }, supervisionFacilityIds: ['f-1', 'f-2'] };
    expect(decideRead(user('supervisor'), A, facts)).toMatchObject({ allow: true, basis: 'supervision', facilityId: 'f-1', facilityScope: ['f-1', 'f-2'] });
    expect(decideRead(user('supervisor'), A, facts, 'f-2')).toMatchObject({ allow: true, facilityId: 'f-2' });
    expect(decideRead(user('supervisor'), A, facts, 'f-3')).toEqual({ allow: false, why: 'outside_scope' });
    // Other bases are not scoped by the recording facility.
    expect(decideRead(user('specialist'), A, { grantId: 'g' }, 'f-3')).toMatchObject({ allow: true, basis: 'grant' });
  });

  it.each(['facility_admin', 'coordinator', 'operator'] as const)('never opens patient data to %s, whatever the facts (Art. 28(3))', (role) => {
    expect(decideRead(user(role), A, allFacts)).toEqual({ allow: false, why: 'role_excluded' });
  });

  it('denies anonymous and system actors, and unknown roles', () => {
    expect(decideRead({ type: 'anonymous' }, A, allFacts)).toEqual({ allow: false, why: 'unauthenticated' });
    expect(decideRead({ type: 'system', id: 'outbox' }, A, allFacts)).toEqual({ allow: false, why: 'role_excluded' });
    expect(decideRead(user('auditor' as Role), A, allFacts)).toEqual({ allow: false, why: 'role_excluded' });
  });
});

describe('decideAct (writes for a patient)', () => {
  it('allows only the patient and a linked representative; a grant never allows writing', () => {
    expect(decideAct(user('patient', { patientId: A }), A, {})).toMatchObject({ allow: true, basis: 'self' });
    expect(decideAct(user('patient', { patientId: A }), B, {})).toMatchObject({ allow: false });
    expect(decideAct(user('representative'), A, { representativeLinkId: 'l' })).toMatchObject({ allow: true, basis: 'representative' });
    expect(decideAct(user('representative'), A, {})).toMatchObject({ allow: false });
    for (const role of ['specialist', 'facility_admin', 'coordinator', 'supervisor', 'operator'] as const) {
      expect(decideAct(user(role), A, { representativeLinkId: 'l' })).toEqual({ allow: false, why: 'role_excluded' });
    }
    expect(decideAct({ type: 'anonymous' }, A, {})).toEqual({ allow: false, why: 'unauthenticated' });
  });
});

describe('factsNeeded', () => {
  it('queries nothing for roles that can never be opened', () => {
    for (const role of ['facility_admin', 'coordinator', 'operator'] as const) {
      expect(factsNeeded(user(role), A)).toEqual({ representativeLink: false, care: false, grant: false, supervision: false, facilityCare: false });
    }
    expect(factsNeeded(user('patient', { patientId: A }), A).grant).toBe(false);
    expect(factsNeeded(user('specialist'), A)).toMatchObject({ care: true, grant: true });
  });
});
