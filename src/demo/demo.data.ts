/** A small deterministic random generator, so every fresh demo has the same people and places. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    // mulberry32
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

export const maleGivenNames = ['Георги', 'Иван', 'Димитър', 'Николай', 'Петър', 'Христо', 'Стоян', 'Александър', 'Васил', 'Тодор', 'Калоян', 'Мартин'] as const;
export const femaleGivenNames = ['Мария', 'Елена', 'Иванка', 'Петя', 'Десислава', 'Гергана', 'Виктория', 'Надежда', 'Радостина', 'Теодора', 'Цветелина', 'Анна'] as const;
/** Family names in their male form; the female form adds "а" (Иванов → Иванова). */
export const familyNames = ['Иванов', 'Петров', 'Георгиев', 'Димитров', 'Николов', 'Стоянов', 'Христов', 'Тодоров', 'Василев', 'Ангелов', 'Колев', 'Маринов', 'Попов', 'Костадинов'] as const;

export function familyName(base: string, sex: 'male' | 'female'): string {
  return sex === 'female' ? `${base}а` : base;
}

/** Demo facilities: real settlements with their EKATTE codes and RHIF (РЗОК) regions. */
export const demoFacilities = [
  { name: 'МЦ „Св. Лука“ Телемедицина', typeCode: 'mc', rhifCode: '22', ekatte: '68134', settlement: 'София', address: 'бул. „Витоша“ 112' },
  { name: 'ДКЦ „Тракия“', typeCode: 'dkc', rhifCode: '16', ekatte: '56784', settlement: 'Пловдив', address: 'ул. „Иван Вазов“ 45' },
  { name: 'УМБАЛ „Море“ – Варна', typeCode: 'hospital', rhifCode: '03', ekatte: '10135', settlement: 'Варна', address: 'бул. „Сливница“ 20' },
  { name: 'АСМП „Кардио Бургас“', typeCode: 'isomp', rhifCode: '02', ekatte: '07079', settlement: 'Бургас', address: 'ул. „Александровска“ 77' },
] as const;

export const demoSpecialties = ['1020', '1004', '1046', '1001', '1043'] as const;
