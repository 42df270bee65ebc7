import { describe, expect, it } from 'vitest';
import { ConsentKindSchema, RecordingMediaSchema } from '../../../src/contracts/consent.js';
import { ParticipantSideSchema } from '../../../src/contracts/consultation.js';
import { RoleSchema, StaffAccountStatusSchema } from '../../../src/contracts/identity.js';
import { DeadlineStatusSchema, DocumentKindSchema } from '../../../src/contracts/records.js';
import { CertificateKindSchema, FacilityStatusSchema, ServiceModeSchema, ServiceStatusSchema } from '../../../src/contracts/registry.js';
import { ModeSchema, RequestActionSchema, RequestStatusSchema, UrgencySchema } from '../../../src/contracts/requests.js';
import { messages } from './messages.js';

// Words, not codes (docs/design-system.md): every value of an enum a screen shows through a template key
// (`t(`requests.status.${status}`)`) has a Bulgarian and an English sentence; a missing one would put the
// raw code on screen, since `t` falls back to the key.
const shown: [prefix: string, values: readonly string[]][] = [
  ['requests.status', RequestStatusSchema.options],
  ['requests.urgency', UrgencySchema.options],
  ['requests.mode', ModeSchema.options],
  // The worklist offers these actions as buttons (worklist-page.tsx); the others have their own screens.
  ['requests.action', RequestActionSchema.extract(['accept', 'decline', 'cancel', 'start', 'complete']).options],
  ['records.kind', DocumentKindSchema.options],
  ['healthRecord.kind', DocumentKindSchema.options],
  ['records.deadline.state', DeadlineStatusSchema.options],
  ['consent.media', RecordingMediaSchema.options],
  ['consent.kind', ConsentKindSchema.options],
  ['consultation.side', ParticipantSideSchema.options],
  ['auth.role', RoleSchema.options],
  ['staffAdmin.status', StaffAccountStatusSchema.options],
  ['registryAdmin.facility.status', FacilityStatusSchema.options],
  ['registryAdmin.svc.status', ServiceStatusSchema.options],
  ['registryAdmin.svc.mode', ServiceModeSchema.options],
  ['directory.mode', ServiceModeSchema.options],
  ['registryAdmin.cert.kind', CertificateKindSchema.options],
];

describe('every status and kind a screen shows has a message in both languages', () => {
  for (const [prefix, values] of shown) {
    it(prefix, () => {
      for (const language of ['bg', 'en'] as const) {
        const catalogue = messages[language] as Record<string, string>;
        const missing = values.filter((v) => !catalogue[`${prefix}.${v}`]?.trim());
        expect(missing, `${language}: ${prefix}.*`).toEqual([]);
      }
    });
  }
});
