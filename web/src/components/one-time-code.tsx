import type { InputHTMLAttributes } from 'react';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & { value: string; onChange: (value: string) => void };

/**
 * A fresh second-factor code for a signature: the numeric keyboard on phones, the browser's one-time-code
 * autofill, digits and spaces only (authenticator apps show "123 456").
 */
export function OneTimeCodeInput({ value, onChange, ...rest }: Props) {
  return <input inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={8} {...rest} value={value} onChange={(e) => onChange(e.target.value)} />;
}
