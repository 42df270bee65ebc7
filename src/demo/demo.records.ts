import { sql } from 'drizzle-orm';
import type { Deps } from '../composition.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { AppError } from '../platform/errors/app-error.js';
import { totpCode } from '../modules/identity/index.js';
import { ART7_CHECKLIST_ALL_MET } from '../contracts/common.js';

/** Demo: the signed ambulatory sheet the demo patient finds in the health record. */
const DEMO_SHEET = {
  purpose: 'consultation' as const,
  anamnesis: 'Демо: главоболие сутрин от две седмици; домашни стойности на кръвното налягане около 150/95 mmHg.',
  objectiveFindings: 'Демо: по видео – в добро общо състояние, говори свободно, без видими отоци.',
  diagnoses: [
    { code: 'I10', title: 'Есенциална (първична) хипертония', rank: 'primary' as const },
    { code: 'R51', title: 'Главоболие', rank: 'additional' as const },
  ],
  therapy: 'Демо: ограничаване на солта, ежедневно движение.',
  medications: [{ name: 'Амлодипин 5 mg', dosage: '1 таблетка сутрин' }],
  recommendations: 'Демо: измерване на кръвното налягане сутрин и вечер, записване в дневник.',
  followUp: 'Демо: контролна консултация след 4 седмици.',
};

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Seeds one complete remote service of the demo patient with the demo cardiologist, through the real
 * use cases so that every rule, signature and audit entry applies: filed on the earliest free time,
 * accepted with the Art. 7 checklist, identity verified, informed consent signed, started, completed,
 * the ambulatory sheet written and signed, and the service closed. The bundled NHIS simulator records
 * the sheet when the outbox runs, which meets the deadline. Runs after the seeding transaction.
 * @param deps - the app dependencies
 * @param refs - the demo patient, cardiologist and facility
 * @param secrets - the demo patient's and cardiologist's authenticator secrets (demo-accounts.json)
 * @param referralNrn - the demo patient's № 3 to cardiology the NHIF-paid booking takes (W14)
 * @returns the signed document's id, or undefined when the demo has no free time to use
 */
export async function seedDemoHealthRecord(deps: Deps, refs: { patientId: string; practitionerId: string; facilityId: string }, secrets: { patient: string; specialist: string }, referralNrn?: string): Promise<string | undefined> {
  // Demo only: the identity module has no lookup of an account by patient or practitioner; read the two ids.
  const accounts = await deps.db.execute<{ id: string; role: string }>(
    sql`SELECT id, role FROM user_account WHERE patient_id = ${refs.patientId} OR practitioner_id = ${refs.practitionerId}`,
  );
  const patientAccount = accounts.rows.find((a) => a.role === 'patient')?.id;
  const specialistAccount = accounts.rows.find((a) => a.role === 'specialist')?.id;
  if (!patientAccount || !specialistAccount) return undefined;
  const base = { requestId: 'system:demo', ip: '127.0.0.1', userAgent: undefined, lang: 'bg' as const };
  const patientCtx: RequestCtx = { ...base, actor: { type: 'user', id: patientAccount, role: 'patient', sessionId: 'demo', facilityIds: [], patientId: refs.patientId } };
  const specialistCtx: RequestCtx = { ...base, actor: { type: 'user', id: specialistAccount, role: 'specialist', sessionId: 'demo', facilityIds: [refs.facilityId] } };

  // The earliest free time of the cardiologist's video consultation, from the public directory.
  const page = await deps.directory.getFacilityPage(refs.facilityId);
  const serviceId = page.specialists.find((s) => s.id === refs.practitionerId)?.services[0]?.serviceId;
  const service = page.services.find((s) => s.id === serviceId);
  if (!serviceId || !service) return undefined;
  const now = deps.clock.now();
  const slots = await deps.directory.listFreeSlots({ specialistId: refs.practitionerId, serviceId, from: now.toString(), to: now.add({ hours: 24 * 14 }).toString() });
  const slot = slots.items[0];
  if (!slot) return undefined;

  const filed = await deps.requests.createRequest(patientCtx, {
    urgency: 'planned',
    mode: 'synchronous',
    facilityId: refs.facilityId,
    specialtyCode: service.specialtyCode,
    serviceId,
    slotId: slot.id,
    phone: '+359 88 800 0001',
    circumstances: 'Демо: консултация, завършена с подписан амбулаторен лист',
    intake: { anamnesis: 'Демо: главоболие сутрин', medicines: 'Демо: без постоянна терапия' },
    referralNrn,
  });
  const requestId = filed.request.id;
  await deps.requests.transition(specialistCtx, requestId, {
    action: 'accept',
    checklist: ART7_CHECKLIST_ALL_MET,
  });
  await deps.admissibility.recordIdentityVerification(specialistCtx, requestId, { method: 'video_document_check', outcome: 'verified', note: 'Демо: лична карта, показана на видео' });

  // Regulatory: R-TM-23/24 — the patient reads the form, then signs it with a fresh second factor.
  const shown = await deps.consent.presentConsent(patientCtx, requestId, { kind: 'treatment', lang: 'bg' });
  await wait(5); // R-TM-24: signed strictly after it was shown (millisecond clock)
  await withDemoCode(deps, patientCtx, secrets.patient, (code) => deps.consent.signConsent(patientCtx, requestId, { kind: 'treatment', presentationId: shown.presentationId, code, healthInfoDutyAcknowledged: true }));
  await wait(5); // the start gate wants the consent signed before now

  await deps.requests.transition(specialistCtx, requestId, { action: 'start' });
  await deps.requests.transition(specialistCtx, requestId, { action: 'complete' });
  const draft = await deps.records.createDraft(specialistCtx, requestId, { kind: 'ambulatory_sheet', body: { ...DEMO_SHEET, diagnoses: DEMO_SHEET.diagnoses.map((d) => ({ ...d, clinicalStatus: 'active' as const, verificationStatus: 'confirmed' as const })) } });
  const signed = await withDemoCode(deps, specialistCtx, secrets.specialist, (code) => deps.records.signDocument(specialistCtx, draft.id, draft.version, code));
  await deps.requests.transition(specialistCtx, requestId, { action: 'document' });
  return signed.id;
}

/**
 * Demo only: the seed signs (the consent, the sheet) as a demo account with its demo authenticator.
 * It uses the code of the previous 30-second step (accepted within the ±30 s tolerance); on the rare
 * step boundary between computing and checking the code, it tries once more. The step it spent is then
 * forgotten: that code was computed by the seed and never shown to anyone, and keeping it spent would
 * refuse the account's own codes of that step for the next minute.
 */
async function withDemoCode<T>(deps: Deps, ctx: RequestCtx, secret: string, sign: (code: string) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const code = await totpCode(secret, Math.floor(deps.clock.now().epochMilliseconds / 1000) - 30);
    try {
      const result = await sign(code);
      if (ctx.actor.type === 'user') await deps.db.execute(sql`UPDATE totp_credential SET last_step = NULL WHERE account_id = ${ctx.actor.id}`);
      return result;
    } catch (err) {
      if (attempt > 0 || !(err instanceof AppError) || err.code !== 'auth.mfa_invalid') throw err;
    }
  }
}
