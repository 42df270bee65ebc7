import { Temporal } from 'temporal-polyfill';

/**
 * Validation and demo-data generation for Bulgarian identifiers: ЕГН (EGN), ЛНЧ (LNCh), УИН (UIN) of a
 * doctor or dentist, and the РЗИ number of a medical establishment. Pure: no I/O and no clock.
 *
 * Regulatory: algorithms from /work/shared/domain/bulgarian-identifiers-codes-and-nhis.md §1.1-§1.6.
 * Tricky: EGN and LNCh checksums are independent, so one string can pass both; never guess the type
 * from the digits — callers store an explicit identifier type (§1.2).
 */

/** Sex encoded in an EGN. */
export type Sex = 'male' | 'female';

/** Result of {@link validateEgn}. */
export type EgnValidation =
  | { ok: true; birthDate: Temporal.PlainDate; sex: Sex }
  | { ok: false; reason: 'format' | 'date' | 'checksum' };

/** Result of {@link validateLnch}; an LNCh encodes no date or sex. */
export type LnchValidation = { ok: true } | { ok: false; reason: 'format' | 'checksum' };

/** Result of {@link validateUin}; `regionCode` is the 2-digit regional college / oblast prefix. */
export type UinValidation = { ok: true; regionCode: string } | { ok: false; reason: 'format' | 'region' };

/**
 * Result of {@link validateFacilityNumber}. `rhifCode` (RZOK, 01-28) and `municipality` (digits 3-4) are
 * parsed only for the 01-28 prefixes the domain document verifies; for 31-58 both are null.
 */
export type FacilityNumberValidation =
  | { ok: true; prefix: string; rhifCode: string | null; municipality: string | null }
  | { ok: false; reason: 'format' | 'region' };

/** Regulatory: EGN check weights on digits 1-9 (§1.1). */
const EGN_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6] as const;
/** Regulatory: LNCh check weights on digits 1-9 (§1.2). */
const LNCH_WEIGHTS = [21, 19, 17, 13, 11, 9, 7, 3, 1] as const;

const TEN_DIGITS = /^\d{10}$/;
const UIN_FORMAT = /^\d{9,10}$/;

/**
 * Validates an ЕГН (EGN) and reads its birth date and sex.
 *
 * @param s - the candidate, exactly 10 ASCII digits (no spaces)
 * @returns the birth date and sex, or why the value is invalid (checked in the order format, date, checksum)
 */
export function validateEgn(s: string): EgnValidation {
  if (!TEN_DIGITS.test(s)) return { ok: false, reason: 'format' };
  const digits = toDigits(s);
  const birthDate = egnBirthDate(s);
  if (!birthDate) return { ok: false, reason: 'date' };
  if (egnCheckDigit(digits) !== digits[9]) return { ok: false, reason: 'checksum' };
  // Regulatory: sex is the 9th digit (index 8): even = male, odd = female (§1.1, Egn.php parse()).
  return { ok: true, birthDate, sex: (digits[8] ?? 0) % 2 === 0 ? 'male' : 'female' };
}

/**
 * Validates an ЛНЧ (LNCh), the personal number of a foreigner.
 *
 * @param s - the candidate, exactly 10 ASCII digits (no spaces)
 * @returns ok, or why the value is invalid
 */
export function validateLnch(s: string): LnchValidation {
  if (!TEN_DIGITS.test(s)) return { ok: false, reason: 'format' };
  const digits = toDigits(s);
  if (lnchCheckDigit(digits) !== digits[9]) return { ok: false, reason: 'checksum' };
  return { ok: true };
}

/**
 * Validates the format of a УИН (UIN) of a doctor or dentist, the NHIS `pmi`.
 *
 * @param s - the candidate, 9 or 10 ASCII digits
 * @returns the 2-digit region prefix, or why the value is invalid
 */
export function validateUin(s: string): UinValidation {
  // Regulatory: §1.4 knows no checksum; digits only, 9-10 long, first two digits 01-28. The BLS/BZS
  // registers or NHIS are the authority on whether a UIN exists.
  if (!UIN_FORMAT.test(s)) return { ok: false, reason: 'format' };
  const regionCode = s.slice(0, 2);
  if (!isRhifCode(regionCode)) return { ok: false, reason: 'region' };
  return { ok: true, regionCode };
}

/**
 * Validates the format of a medical establishment's РЗИ number (NHIS `practiceNumber`).
 *
 * @param s - the candidate, exactly 10 ASCII digits
 * @returns the prefix and, for prefixes 01-28, the RZOK code and municipality number; or why the value is invalid
 */
export function validateFacilityNumber(s: string): FacilityNumberValidation {
  // Regulatory: §1.5 — 10 digits, no checksum, first two digits 01-28 or 31-58 (DinoDent RziValidator).
  if (!TEN_DIGITS.test(s)) return { ok: false, reason: 'format' };
  const prefix = s.slice(0, 2);
  if (isRhifCode(prefix)) return { ok: true, prefix, rhifCode: prefix, municipality: s.slice(2, 4) };
  const n = Number(prefix);
  // Tricky: the 31-58 range is accepted but its meaning is unverified (§1.5), so nothing is parsed from it.
  if (n >= 31 && n <= 58) return { ok: true, prefix, rhifCode: null, municipality: null };
  return { ok: false, reason: 'region' };
}

/**
 * Builds a valid EGN for demo data.
 *
 * @param birth - the birth date, 1800-01-01 to 2099-12-31
 * @param sex - the sex to encode in the 9th digit
 * @param serial - an integer 0-499 selecting one of the 500 regional serials of that sex (000-999 by parity)
 * @returns a 10-digit EGN that {@link validateEgn} accepts with the same birth date and sex
 * @throws {RangeError} when birth is outside 1800-2099 or serial is not an integer 0-499
 */
export function makeEgn(birth: Temporal.PlainDate, sex: Sex, serial: number): string {
  if (birth.year < 1800 || birth.year > 2099) throw new RangeError(`makeEgn: birth year must be 1800-2099, got ${birth.year}`);
  if (!Number.isInteger(serial) || serial < 0 || serial > 499) {
    throw new RangeError(`makeEgn: serial must be an integer 0-499, got ${serial}`);
  }
  // Regulatory: month offset +20 for the 1800s and +40 for the 2000s (§1.1).
  const monthOffset = birth.year < 1900 ? 20 : birth.year >= 2000 ? 40 : 0;
  const regional = 2 * serial + (sex === 'female' ? 1 : 0);
  const body = pad(birth.year % 100, 2) + pad(birth.month + monthOffset, 2) + pad(birth.day, 2) + pad(regional, 3);
  return body + String(egnCheckDigit(toDigits(body)));
}

/**
 * Builds a valid LNCh for demo data.
 *
 * @param seed - an integer 0 to 999,999,999; distinct seeds give distinct values
 * @returns a 10-digit LNCh that {@link validateLnch} accepts
 * @throws {RangeError} when seed is out of range
 */
export function makeLnch(seed: number): string {
  const body = pad(scramble(seed, 1_000_000_000, 'makeLnch'), 9);
  return body + String(lnchCheckDigit(toDigits(body)));
}

/**
 * Builds a format-valid 10-digit UIN for demo data (a UIN has no check digit).
 *
 * @param seed - an integer 0 to 2,799,999,999; distinct seeds give distinct values
 * @returns a UIN with a 01-28 prefix that {@link validateUin} accepts
 * @throws {RangeError} when seed is out of range
 */
export function makeUin(seed: number): string {
  const regions = 28;
  if (!Number.isInteger(seed) || seed < 0 || seed >= regions * 100_000_000) {
    throw new RangeError(`makeUin: seed must be an integer 0-${regions * 100_000_000 - 1}, got ${seed}`);
  }
  const region = (seed % regions) + 1;
  return pad(region, 2) + pad(scramble(Math.floor(seed / regions), 100_000_000, 'makeUin'), 8);
}

/**
 * Builds a format-valid facility (РЗИ) number for demo data (it has no check digit).
 *
 * @param rhifCode - the RZOK code, '01' to '28', used as digits 1-2
 * @param seed - an integer 0 to 99,999,999 for digits 3-10; distinct seeds give distinct values
 * @returns a 10-digit number that {@link validateFacilityNumber} accepts with that RZOK code
 * @throws {RangeError} when rhifCode is not 01-28 or seed is out of range
 */
export function makeFacilityNumber(rhifCode: string, seed: number): string {
  if (!isRhifCode(rhifCode)) throw new RangeError(`makeFacilityNumber: rhifCode must be '01'-'28', got ${JSON.stringify(rhifCode)}`);
  // Tricky: digits 3-4 are synthetic here, so they need not name a real municipality of that oblast.
  return rhifCode + pad(scramble(seed, 100_000_000, 'makeFacilityNumber'), 8);
}

/** Parses YYMMDD with the century in the month field; undefined when it is not a real date. */
function egnBirthDate(s: string): Temporal.PlainDate | undefined {
  const yy = Number(s.slice(0, 2));
  const mm = Number(s.slice(2, 4));
  const day = Number(s.slice(4, 6));
  let year: number;
  let month: number;
  if (mm >= 1 && mm <= 12) [year, month] = [1900 + yy, mm];
  else if (mm >= 21 && mm <= 32) [year, month] = [1800 + yy, mm - 20];
  else if (mm >= 41 && mm <= 52) [year, month] = [2000 + yy, mm - 40];
  else return undefined;
  try {
    return Temporal.PlainDate.from({ year, month, day }, { overflow: 'reject' });
  } catch {
    // Tricky: Temporal reports an impossible day (e.g. 31 April, 29 Feb 1900) by throwing RangeError.
    return undefined;
  }
}

/** Regulatory: c = Σ wᵢ·dᵢ mod 11, and 10 becomes 0 (§1.1). */
function egnCheckDigit(digits: readonly number[]): number {
  const c = weightedSum(digits, EGN_WEIGHTS) % 11;
  return c === 10 ? 0 : c;
}

/** Regulatory: c = Σ wᵢ·dᵢ mod 10 (§1.2). */
function lnchCheckDigit(digits: readonly number[]): number {
  return weightedSum(digits, LNCH_WEIGHTS) % 10;
}

function weightedSum(digits: readonly number[], weights: readonly number[]): number {
  return weights.reduce((sum, w, i) => sum + w * (digits[i] ?? 0), 0);
}

/** Regulatory: RZOK / oblast codes 01-28 in the ISO 3166-2:BG order (§1.6). */
function isRhifCode(code: string): boolean {
  if (!/^\d{2}$/.test(code)) return false;
  const n = Number(code);
  return n >= 1 && n <= 28;
}

function toDigits(s: string): number[] {
  return [...s].map(Number);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Maps 0..modulus-1 onto itself one-to-one so consecutive demo seeds do not give consecutive numbers.
 * Tricky: the multiplier is a power of 3, coprime to every power of 10, so the map is a bijection;
 * BigInt avoids the precision loss of seed × multiplier above 2^53.
 */
function scramble(seed: number, modulus: number, caller: string): number {
  if (!Number.isInteger(seed) || seed < 0 || seed >= modulus) {
    throw new RangeError(`${caller}: seed must be an integer 0-${modulus - 1}, got ${seed}`);
  }
  const m = BigInt(modulus);
  return Number((BigInt(seed) * 387_420_489n + 123_456_789n) % m);
}
