/**
 * Password policy: long enough, not common, not the e-mail. Pure: no I/O.
 * Security: follows NIST SP 800-63B §5.1.1.2 and OWASP ASVS 2.1 — length and a blocklist instead of
 * composition rules; no forced periodic change. The blocklist is checked on a normalised form so
 * `Password123!` and `p@ssw0rd` count as common too.
 */

/** Minimum length (ASVS 2.1.1 asks for at least 12 characters). */
export const PASSWORD_MIN_LENGTH = 12;
/** Maximum length: argon2 accepts more, but a bound stops hashing megabytes per request. */
export const PASSWORD_MAX_LENGTH = 128;

// The most common passwords and base words of leaked-password corpora (SecLists top lists, NCSC
// "100k most used"), plus Bulgarian transliterations and the product's own name.
const COMMON_BASES = `
password passw0rd pass passwort motdepasse parola parolata qwerty qwertyuiop qwertz azerty asdfgh asdfghjkl
zxcvbn zxcvbnm 123456 1234567 12345678 123456789 1234567890 12345678910 0123456789 987654321 111111 000000
123123 654321 666666 121212 112233 123321 7777777 iloveyou princess admin administrator welcome login letmein
monkey dragon master sunshine football baseball shadow superman batman trustno1 starwars whatever freedom
michael jennifer jordan hunter ranger buster soccer harley hockey killer george charlie andrew thomas
summer winter spring autumn flower hello hello123 secret secret123 test tester testing changeme default
guest root toor user abc123 abcdef abcd1234 qazwsx 1qaz2wsx zaq12wsx q1w2e3r4 1q2w3e4r 1q2w3e4r5t 1qazxsw2
computer internet samsung google apple microsoft facebook linkedin mustang maggie pepper ginger cheese
chocolate cookie banana orange purple yellow silver golden diamond matrix access passw0rd1 myp@ssword
qwerty123 qwe123 asd123 zxc123 aa123456 a123456 a12345678 1234qwer qwer1234 abc12345 password1 password12
bulgaria balgaria sofia plovdiv varna burgas bulgaria2026 sofia2026 obicham obichamte parolaparola
kompyutar zdravei zdraveite bylgaria lekar doktor doctor hospital bolnica pacient patient nurse
distansia telemedicine telemedicina medicine medicina health zdrave
`;

const COMMON = new Set(COMMON_BASES.split(/\s+/).filter(Boolean));

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i' };

/** Lower-case, undo leetspeak, and strip leading/trailing digits and symbols: `P@ssw0rd2024!` → `password`. */
export function normalisePassword(password: string): string {
  const lower = password.normalize('NFKC').toLowerCase();
  const stripped = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return [...stripped].map((ch) => LEET[ch] ?? ch).join('');
}

/** `unchanged` is reported by a password change whose new password is the current one. */
export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'repetitive' | 'unchanged';

/**
 * Checks a candidate password against the policy.
 * @param password - the candidate
 * @param email - the account's e-mail; its local part must not be the password's substance
 * @returns the problems found (empty when the password is acceptable)
 */
export function checkPassword(password: string, email?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const chars = [...password];
  if (chars.length < PASSWORD_MIN_LENGTH) problems.push('too_short');
  if (chars.length > PASSWORD_MAX_LENGTH) problems.push('too_long');
  const lower = password.normalize('NFKC').toLowerCase();
  const base = normalisePassword(password);
  const compact = lower.replace(/[^\p{L}\p{N}]/gu, '');
  // Repeating the same word ("passwordpassword") or a keyboard walk is still common.
  const halves = base.length % 2 === 0 && base.slice(0, base.length / 2) === base.slice(base.length / 2) ? base.slice(0, base.length / 2) : base;
  if (COMMON.has(lower) || COMMON.has(compact) || COMMON.has(base) || COMMON.has(halves) || isSequence(compact)) problems.push('common');
  if (new Set(chars).size <= 3) problems.push('repetitive');
  const local = email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && (lower.includes(local) || base.includes(normalisePassword(local)))) problems.push('contains_email');
  return problems;
}

/** True for runs such as `abcdefghijkl` or `123456789012`, ascending or descending. */
function isSequence(s: string): boolean {
  if (s.length < 6) return false;
  let up = true;
  let down = true;
  for (let i = 1; i < s.length; i += 1) {
    const d = (s.codePointAt(i) ?? 0) - (s.codePointAt(i - 1) ?? 0);
    if (d !== 1 && !(d === -9 && s[i] === '0')) up = false;
    if (d !== -1) down = false;
  }
  return up || down;
}
