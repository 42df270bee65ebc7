import { describe, expect, it } from 'vitest';
import type { Art7Checklist } from '../../contracts/consent.js';
import { ART7_CHECKLIST_ALL_MET } from '../../contracts/common.js';
import { CHECKLIST_RULES, hardBlocks, missingGates, recordingDecision, unconfirmedItems } from './admissibility-rules.js';

const plain = { specialtyDental: false, kindCode: 'consultation', prohibitedRule: null, latestIdentityOutcome: null } as const;

describe('Art. 7 hard blocks (docs/decisions.md#d8)', () => {
  it('R-TM-13: a dental specialty is blocked except for imaging for dental purposes', () => {
    expect(hardBlocks({ ...plain, specialtyDental: true, kindCode: 'consultation' })).toEqual(['R-TM-13']);
    expect(hardBlocks({ ...plain, specialtyDental: true, kindCode: null })).toEqual(['R-TM-13']);
    expect(hardBlocks({ ...plain, specialtyDental: true, kindCode: 'dental_imaging' })).toEqual([]);
    expect(hardBlocks({ ...plain, kindCode: 'dental_treatment', prohibitedRule: 'R-TM-13' })).toEqual(['R-TM-13']);
  });
  it('R-TM-16: conducting a birth is never remote', () => {
    expect(hardBlocks({ ...plain, kindCode: 'childbirth', prohibitedRule: 'R-TM-16' })).toEqual(['R-TM-16']);
  });
  it('R-TM-17: establishing death is never remote', () => {
    expect(hardBlocks({ ...plain, kindCode: 'death_certification', prohibitedRule: 'R-TM-17' })).toEqual(['R-TM-17']);
  });
  it('R-TM-15: a failed identity check blocks; a missing one does not block the decision', () => {
    expect(hardBlocks({ ...plain, latestIdentityOutcome: 'failed' })).toEqual(['R-TM-15']);
    expect(hardBlocks({ ...plain, latestIdentityOutcome: 'verified' })).toEqual([]);
    expect(hardBlocks(plain)).toEqual([]);
  });
  it('reports every block at once, sorted', () => {
    expect(hardBlocks({ specialtyDental: true, kindCode: 'childbirth', prohibitedRule: 'R-TM-16', latestIdentityOutcome: 'failed' })).toEqual(['R-TM-13', 'R-TM-15', 'R-TM-16']);
  });
});

describe('Art. 7 checklist (R-TM-11..R-TM-17)', () => {
  it('maps each item to its rule', () => {
    expect(CHECKLIST_RULES).toEqual({
      noRiskToLifeOrHealth: 'R-TM-11',
      qualityAndSafetyAssured: 'R-TM-12',
      notDentalExceptImaging: 'R-TM-13',
      noDirectContactNeeded: 'R-TM-14',
      requesterIdentityVerifiable: 'R-TM-15',
      notConductingBirth: 'R-TM-16',
      notEstablishingDeath: 'R-TM-17',
    });
  });
  it.each(Object.keys(ART7_CHECKLIST_ALL_MET) as (keyof Art7Checklist)[])('an accept needs %s confirmed', (key) => {
    expect(unconfirmedItems({ ...ART7_CHECKLIST_ALL_MET, [key]: false })).toEqual([key]);
  });
  it('a complete checklist leaves nothing open', () => {
    expect(unconfirmedItems(ART7_CHECKLIST_ALL_MET)).toEqual([]);
  });
});

describe('start gates (R-TM-10, R-TM-15, R-TM-23, R-TM-24)', () => {
  const now = Date.parse('2026-11-25T09:00:00Z');
  const ready = { decisionOutcome: 'accept', latestIdentityOutcome: 'verified', consentRequired: true, treatmentConsentSignedAt: now - 60_000 } as const;
  it('passes when the accept, the verified identity and an earlier consent exist', () => {
    expect(missingGates(ready, now)).toEqual([]);
  });
  it('R-TM-10: needs the accept decision (a decline does not count)', () => {
    expect(missingGates({ ...ready, decisionOutcome: null }, now)).toEqual(['admissibility.decision_required']);
    expect(missingGates({ ...ready, decisionOutcome: 'decline' }, now)).toEqual(['admissibility.decision_required']);
  });
  it('R-TM-15: needs a verified identity (missing or failed refuses)', () => {
    expect(missingGates({ ...ready, latestIdentityOutcome: null }, now)).toEqual(['identity.not_verified']);
    expect(missingGates({ ...ready, latestIdentityOutcome: 'failed' }, now)).toEqual(['identity.not_verified']);
  });
  it('R-TM-23: needs written consent', () => {
    expect(missingGates({ ...ready, treatmentConsentSignedAt: null }, now)).toEqual(['consent.missing']);
  });
  it('R-TM-24: the consent must precede the start', () => {
    expect(missingGates({ ...ready, treatmentConsentSignedAt: now }, now)).toEqual(['consent.missing']);
  });
  it('R-TM-18: a consult without personal data needs no patient consent', () => {
    expect(missingGates({ ...ready, consentRequired: false, treatmentConsentSignedAt: null }, now)).toEqual([]);
  });
  it('lists every missing gate in a fixed order', () => {
    expect(missingGates({ decisionOutcome: null, latestIdentityOutcome: null, consentRequired: true, treatmentConsentSignedAt: null }, now)).toEqual([
      'admissibility.decision_required',
      'identity.not_verified',
      'consent.missing',
    ]);
  });
});

describe('recording consent (R-TM-25, R-TM-26)', () => {
  const terms = { reason: 'Второ мнение', purpose: 'Преглед от консултант', media: ['audio', 'video'] };
  it('R-TM-25: no consent, no recording', () => {
    expect(recordingDecision(null, 'video')).toBe('recording.consent_missing');
  });
  it('R-TM-26: a missing reason, type or purpose makes the consent invalid', () => {
    expect(recordingDecision({ ...terms, reason: ' ' }, 'video')).toBe('recording.consent_missing');
    expect(recordingDecision({ ...terms, purpose: '' }, 'video')).toBe('recording.consent_missing');
    expect(recordingDecision({ ...terms, media: [] }, 'video')).toBe('recording.consent_missing');
  });
  it('covers only the types consented to', () => {
    expect(recordingDecision(terms, 'video')).toBe('ok');
    expect(recordingDecision(terms, 'screen')).toBe('recording.media_not_consented');
  });
});
