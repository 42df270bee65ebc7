import type { Facility } from './api.js';

/** An active medical centre in Sofia, as the registry-admin API answers it (for the screens' tests). */
export const facilityFixture = (id: string, name: string): Facility => ({
  id,
  number: '2201001000',
  name,
  typeCode: 'mc',
  rhifCode: '22',
  ekatte: null,
  settlement: 'София',
  address: 'ул. Тест 1',
  phone: null,
  email: null,
  website: null,
  description: '',
  status: 'active',
  timeZone: 'Europe/Sofia',
  maxWeeklyHoursPerSpecialist: 40,
  version: 1,
  updatedAt: '2026-11-25T08:00:00Z',
});
