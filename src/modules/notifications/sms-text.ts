import { Temporal } from 'temporal-polyfill';

// SMS length and wording helpers (docs/notifications.md#texts): one segment is 160 GSM-7 characters, or 70
// UCS-2 code units as soon as one character (any Cyrillic letter) is outside GSM-7.

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '^{}\\[~]|€\f';

/** The encoding an SMS text needs: GSM-7 when every character is in the GSM 03.38 alphabet, else UCS-2. */
export function smsEncoding(text: string): 'gsm7' | 'ucs2' {
  for (const ch of text) if (!GSM7_BASIC.includes(ch) && !GSM7_EXTENSION.includes(ch)) return 'ucs2';
  return 'gsm7';
}

/**
 * How much of one segment a text uses: GSM-7 septets (extension characters count two) or UCS-2 code units.
 * @returns the length and the one-segment limit of its encoding
 */
export function smsLength(text: string): { encoding: 'gsm7' | 'ucs2'; length: number; limit: number } {
  const encoding = smsEncoding(text);
  if (encoding === 'ucs2') return { encoding, length: text.length, limit: 70 };
  let length = 0;
  for (const ch of text) length += GSM7_EXTENSION.includes(ch) ? 2 : 1;
  return { encoding, length, limit: 160 };
}

/**
 * The first candidate that fits one SMS segment, else the shortest: texts are written from the fullest to
 * the barest, so a long facility name drops out before the time does.
 * @returns the text to send
 */
export function fitSms(candidates: readonly string[]): string {
  for (const c of candidates) {
    const l = smsLength(c);
    if (l.length <= l.limit) return c;
  }
  return [...candidates].sort((a, b) => smsLength(a).length - smsLength(b).length)[0] ?? '';
}

// The Bulgarian streamlined transliteration (Закон за транслитерацията, Art. 3): English SMS name Bulgarian
// places and people in Latin letters, so that the message stays GSM-7.
const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p',
  р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sht', ъ: 'a', ь: 'y', ю: 'yu', я: 'ya',
};
const QUOTES: Record<string, string> = { '„': '"', '“': '"', '”': '"', '«': '"', '»': '"', '‘': "'", '’': "'", '–': '-', '—': '-', '№': 'No' };

/**
 * Bulgarian Cyrillic in Latin letters (the law's table; "ия" at a word's end is "ia"), and typographic quotes
 * and dashes as their ASCII forms.
 * @returns the transliterated text
 */
export function transliterate(text: string): string {
  const words = text.replace(/ия(?=$|[^а-яА-Я])/g, 'иa').replace(/ИЯ(?=$|[^а-яА-Я])/g, 'ИA');
  let out = '';
  for (const ch of words) {
    const lower = ch.toLowerCase();
    const t = TRANSLIT[lower];
    if (t !== undefined) out += ch === lower ? t : t.charAt(0).toUpperCase() + t.slice(1);
    else out += QUOTES[ch] ?? ch;
  }
  return out;
}

export type Lang = 'bg' | 'en';

/**
 * A local date and time as people write it: "пн, 7 декември, 10:00" / "Mon 7 December, 10:00"; `short`
 * for SMS: "7.12, 10:00" / "7 Dec, 10:00".
 * @returns the text
 */
export function whenText(instant: string, zone: string, lang: Lang, style: 'long' | 'short' = 'long'): string {
  const t = Temporal.Instant.from(instant).toZonedDateTimeISO(zone);
  const hhmm = `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
  if (style === 'short') return lang === 'bg' ? `${t.day}.${String(t.month).padStart(2, '0')}, ${hhmm}` : `${t.day} ${MONTHS.en[t.month - 1]?.slice(0, 3) ?? ''}, ${hhmm}`;
  const weekday = WEEKDAYS[lang][t.dayOfWeek - 1] ?? '';
  const month = MONTHS[lang][t.month - 1] ?? '';
  return lang === 'bg' ? `${weekday}, ${t.day} ${month}, ${hhmm}` : `${weekday} ${t.day} ${month}, ${hhmm}`;
}

/**
 * A calendar day as people write it: "7 декември 2026" / "7 December 2026"; `short` for SMS: "7.12.2026".
 * @param day - `YYYY-MM-DD`
 * @returns the text
 */
export function dayText(day: string, lang: Lang, style: 'long' | 'short' = 'long'): string {
  const d = Temporal.PlainDate.from(day);
  if (style === 'short') return `${d.day}.${String(d.month).padStart(2, '0')}.${d.year}`;
  return `${d.day} ${MONTHS[lang][d.month - 1] ?? ''} ${d.year}`;
}

/**
 * A month as people write it: "май 2026" / "May 2026".
 * @param month - `YYYY-MM`
 * @returns the text
 */
export function monthText(month: string, lang: Lang): string {
  const m = Temporal.PlainYearMonth.from(month);
  return `${MONTHS[lang][m.month - 1] ?? ''} ${m.year}`;
}

const WEEKDAYS: Record<Lang, readonly string[]> = { bg: ['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'нд'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };
const MONTHS: Record<Lang, readonly string[]> = {
  bg: ['януари', 'февруари', 'март', 'април', 'май', 'юни', 'юли', 'август', 'септември', 'октомври', 'ноември', 'декември'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
