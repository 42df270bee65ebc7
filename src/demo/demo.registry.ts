import type { Deps } from '../composition.js';
import type { Tx } from '../platform/db/index.js';
import type { RequestCtx } from '../platform/auth/request-context.js';
import { makeFacilityNumber, makeUin } from '../platform/identifiers.js';
import { familyName, familyNames, femaleGivenNames, maleGivenNames, pick, seededRandom } from './demo.data.js';

export interface DemoRegistry {
  facilityIds: string[];
  /** Practitioners with the facility they work for (the first is always a cardiologist in facility 0). */
  practitioners: { id: string; facilityId: string; specialtyCode: string }[];
  /** The centre the demo coordinator account coordinates (Art. 5(4) item 1). */
  coordinatedCentreId: string;
}

/** Demo facilities: 20 across 12 regions; real settlements and EKATTE codes (check digit verified). */
const facilities = [
  { name: 'МЦ „Св. Лука“ Телемедицина', typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'бул. „Витоша“ 112' },
  { name: 'ДКЦ „Тракия“', typeCode: 'dkc', rhifCode: '16', ekatte: '56784', settlement: 'Пловдив', address: 'ул. „Иван Вазов“ 45' },
  { name: 'УМБАЛ „Море“ – Варна', typeCode: 'hospital', rhifCode: '03', ekatte: '10135', settlement: 'Варна', address: 'бул. „Сливница“ 20' },
  { name: 'АСМП „Кардио Бургас“', typeCode: 'isomp', rhifCode: '02', ekatte: '07079', settlement: 'Бургас', address: 'ул. „Александровска“ 77' },
  { name: 'МЦ „Витоша Мед“', typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ул. „Солунска“ 8' },
  { name: 'ДКЦ „Люлин“', typeCode: 'dkc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ж.к. „Люлин“, бл. 402' },
  { name: 'МЦ „Дунав“ – Русе', typeCode: 'mc', rhifCode: '18', ekatte: '63427', settlement: 'Русе', address: 'ул. „Борисова“ 15' },
  { name: 'ДКЦ „Августа“', typeCode: 'dkc', rhifCode: '24', ekatte: '68850', settlement: 'Стара Загора', address: 'бул. „Цар Симеон Велики“ 101' },
  { name: 'МЦ „Плевен Здраве“', typeCode: 'mc', rhifCode: '15', ekatte: '56722', settlement: 'Плевен', address: 'ул. „Дойран“ 3' },
  { name: 'АСМП „Пирин“', typeCode: 'isomp', rhifCode: '01', ekatte: '04279', settlement: 'Благоевград', address: 'ул. „Тодор Александров“ 24' },
  { name: 'ДКЦ „Царевец“', typeCode: 'dkc', rhifCode: '04', ekatte: '10447', settlement: 'Велико Търново', address: 'ул. „Васил Левски“ 9' },
  { name: 'МЦ „Мадара“', typeCode: 'mc', rhifCode: '27', ekatte: '83510', settlement: 'Шумен', address: 'бул. „Славянски“ 31' },
  { name: 'МЦ „Хасково Мед“', typeCode: 'mc', rhifCode: '26', ekatte: '77195', settlement: 'Хасково', address: 'ул. „Съединение“ 40' },
  { name: 'ДКЦ „Добруджа“', typeCode: 'dkc', rhifCode: '08', ekatte: '72624', settlement: 'Добрич', address: 'ул. „25 септември“ 12' },
  { name: 'МЦ „Тракия Мед“ – Пловдив', typeCode: 'mc', rhifCode: '16', ekatte: '56784', settlement: 'Пловдив', address: 'бул. „Марица“ 66' },
  { name: 'АСМП „Приморско“ – Варна', typeCode: 'isomp', rhifCode: '03', ekatte: '10135', settlement: 'Варна', address: 'ул. „Преслав“ 18' },
  { name: 'МЦ „Лудогорие“', typeCode: 'mc', rhifCode: '17', ekatte: '61710', settlement: 'Разград', address: 'бул. „Бели Лом“ 5' },
  { name: 'ДКЦ „Враца“', typeCode: 'dkc', rhifCode: '06', ekatte: '12259', settlement: 'Враца', address: 'ул. „Христо Ботев“ 50' },
  { name: 'МЦ „Тунджа“', typeCode: 'mc', rhifCode: '28', ekatte: '87374', settlement: 'Ямбол', address: 'ул. „Търговска“ 2' },
  { name: 'МЦ „Младост Мед“', typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'ж.к. „Младост 1“, бл. 24' },
] as const;

/** 15 specialties (CL006 codes shipped in migration 0006), cardiology first. */
const specialties = ['1020', '1004', '1046', '1001', '1043', '1018', '1038', '1030', '1050', '1051', '1048', '1005', '1039', '1045', '1059'] as const;

/** Weekly patterns (ISO weekday, wall time); a specialist gets one. */
const patterns = [
  [1, 3, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00' })),
  [2, 4].map((weekday) => ({ weekday, start: '14:00', end: '18:00' })),
  [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '17:00', end: '19:00' })),
  [3, 6].map((weekday) => ({ weekday, start: '10:00', end: '13:00' })),
] as const;

/**
 * Seeds the registry through the real services (rules and audit apply): 20 facilities, 80 specialists in
 * 15 specialties, a published synchronous consultation per facility and specialty (plus an asynchronous
 * results review for some), weekly schedules with eight weeks of slots, three active centres, an emergency
 * contract and certificates (one expired, to show the flag).
 * @param deps - the app dependencies
 * @param tx - the seeding transaction
 * @param ctx - the system actor
 * @returns ids for later seeding steps
 */
export async function seedRegistry(deps: Deps, tx: Tx, ctx: RequestCtx): Promise<DemoRegistry> {
  const rand = seededRandom(2026);
  // Concurrency: everything runs in the seeding transaction (PGlite has one connection).
  const registry = deps.registry.within(tx);
  const today = deps.clock.now().toZonedDateTimeISO(deps.config.DEFAULT_TIME_ZONE).toPlainDate().toString();
  const facilityIds: string[] = [];
  for (const [i, f] of facilities.entries()) {
    facilityIds.push(
      await deps.registry.createFacility(tx, ctx, {
        ...f,
        number: makeFacilityNumber(f.rhifCode, 1000 + i),
        phone: `+3592${String(8100000 + i * 7919).slice(0, 7)}`,
        email: `office${i + 1}@demo.distansia.bg`,
        description: 'Консултации от разстояние по видео и преглед на изследвания без пряко взаимодействие.',
      }),
    );
  }

  const practitioners: DemoRegistry['practitioners'] = [];
  const serviceOf = new Map<string, string>();
  let seed = 500;
  for (const [fi, facilityId] of facilityIds.entries()) {
    // Four specialists per facility; facility 0 starts with the demo cardiologist (the specialist account).
    for (let k = 0; k < 4; k += 1) {
      const specialtyCode = k === 0 && fi % 3 === 0 ? '1020' : (specialties[(fi * 4 + k) % specialties.length] as string);
      const sex = rand() < 0.5 ? 'male' : 'female';
      const id = await deps.registry.createPractitioner(tx, ctx, {
        uin: makeUin((seed += 1)),
        givenName: pick(rand, sex === 'male' ? maleGivenNames : femaleGivenNames),
        familyName: familyName(pick(rand, familyNames), sex),
        specialtyCodes: [specialtyCode],
        facilityIds: [facilityId],
      });
      practitioners.push({ id, facilityId, specialtyCode });
      const key = `${facilityId}/${specialtyCode}`;
      if (!serviceOf.has(key)) {
        const nhifPaid = (fi + k) % 3 === 0;
        const draft = await registry.createService(ctx, facilityId, {
          specialtyCode,
          kindCode: 'consultation',
          name: 'Видеоконсултация',
          description: 'Консултация в реално време по видео: преглед на оплакванията, изследванията и терапията.',
          mode: 'synchronous',
          typicalMinutes: 30,
          ...(nhifPaid ? { nhifPaid: true } : { priceEurCents: 3000 + ((fi * 7 + k * 5) % 6) * 500 }),
        });
        const published = await registry.publishService(ctx, facilityId, draft.id, draft.version);
        serviceOf.set(key, published.id);
        if (k === 1) {
          const review = await registry.createService(ctx, facilityId, {
            specialtyCode,
            kindCode: 'results_review',
            name: 'Преглед на изследвания',
            description: 'Изпратете резултати и образи; специалистът отговаря писмено без пряко взаимодействие.',
            mode: 'asynchronous',
            typicalMinutes: 20,
            priceEurCents: 2500,
          });
          await registry.publishService(ctx, facilityId, review.id, review.version);
        }
      }
      const rules = fi === 0 && k === 0
        ? // The demo cardiologist takes video calls every day, so the demo always shows a free slot this week.
          [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '07:00', end: '21:00' }))
        : patterns[(fi + k) % patterns.length];
      await deps.scheduling.seedSchedule(tx, ctx, facilityId, {
        practitionerId: id,
        serviceId: serviceOf.get(key) as string,
        slotMinutes: 30,
        validFrom: today,
        observeHolidays: !(fi === 0 && k === 0),
        rules: rules ?? [],
      });
    }
  }

  // Three telemedicine centres with complete Art. 5(4) contracts; the demo coordinator heads the first.
  const centres = [
    { name: 'Център за медицинска помощ от разстояние „София“', head: 'Д-р Весела Димова', reference: 'Договор по чл. 95, ал. 1, т. 1 ЗЛЗ № 3/2026', members: [0, 4, 5, 19] },
    { name: 'Център за медицинска помощ от разстояние „Юг“', head: 'Д-р Стефан Колев', reference: 'Договор по чл. 95, ал. 1, т. 1 ЗЛЗ № 14/2026', members: [1, 7, 12] },
    { name: 'Център за медицинска помощ от разстояние „Черноморие“', head: 'Д-р Анелия Маринова', reference: 'Договор по чл. 95, ал. 1, т. 1 ЗЛЗ № 27/2026', members: [2, 3, 13, 15] },
  ];
  const centreIds: string[] = [];
  for (const c of centres) {
    let centre = await registry.createCentre(ctx, { name: c.name, headName: c.head, contractReference: c.reference, contractSignedOn: today });
    for (const fi of c.members) {
      const facilityId = facilityIds[fi] as string;
      const codes = [...new Set(practitioners.filter((p) => p.facilityId === facilityId).map((p) => p.specialtyCode))];
      centre = await registry.setCentreMember(ctx, centre.id, {
        facilityId,
        rightsObligations: 'Осигурява специалисти по договорените специалности по графика на центъра; спазва сроците по чл. 17 и общите правила за сигурност.',
        structures: codes.map((specialtyCode) => ({ structure: 'Консултативен кабинет', specialtyCode })),
      });
    }
    await registry.activateCentre(ctx, centre.id, centre.version);
    centreIds.push(centre.id);
  }

  await registry.createEmergencyContract(ctx, {
    requesterFacilityId: facilityIds[3] as string,
    providerFacilityId: facilityIds[2] as string,
    reference: 'Договор за спешни консултации № 3/2026',
    specialtyCodes: ['1020', '1004'],
    validFrom: today,
  });
  const first = facilityIds[0] as string;
  await registry.recordCertificate(ctx, first, { kind: 'ce_mark', title: 'CE сертификат – видеоконферентна система', issuer: 'TÜV Rheinland', reference: 'CE-2024-118', issuedOn: '2024-03-01', expiresOn: '2026-03-01' });
  await registry.recordCertificate(ctx, first, { kind: 'software', title: 'Техническа документация на софтуера', issuer: 'Distansia', reference: 'TD-2026-01', issuedOn: '2026-01-15' });
  return { facilityIds, practitioners, coordinatedCentreId: centreIds[0] as string };
}
