import { describe, expect, it } from 'vitest';
import { checkPassword, normalisePassword } from './password-policy.js';

describe('password policy', () => {
  it.each([
    ['short', 'Ab1!xyz', 'too_short'],
    ['common with decorations', 'Password12345!', 'common'],
    ['leetspeak of a common word', 'P@ssw0rd2024!!', 'common'],
    ['repeated common word', 'qwertyqwerty', 'common'],
    ['keyboard sequence', '123456789012', 'common'],
    ['the product name', 'Distansia2026!', 'common'],
    ['one character repeated', 'aaaaaaaaaaaaaaa', 'repetitive'],
  ])('refuses %s', (_name, password, problem) => {
    expect(checkPassword(password)).toContain(problem);
  });

  it('refuses a password built from the e-mail local part', () => {
    expect(checkPassword('ivan.petrov-2026!', 'ivan.petrov@example.bg')).toContain('contains_email');
  });

  it('refuses over-long passwords (hashing cost bound)', () => {
    expect(checkPassword('x'.repeat(64) + 'Y'.repeat(65))).toContain('too_long');
  });

  it.each(['Correct-Horse-Battery-Staple-7', 'Липа Витоша Март 2026', 'Rila-Ezero-Zvezda-2026'])('accepts a long passphrase %s', (password) => {
    expect(checkPassword(password, 'someone@example.bg')).toEqual([]);
  });

  it('normalises leetspeak and trailing symbols', () => {
    expect(normalisePassword('P@$$w0rd!!2024')).toBe('password');
  });
});
