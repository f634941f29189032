import * as z from 'zod';

/** Normalises a CNPJ ("12.345.678/0001-95" or bare) to its 14 digits, or returns null when the check digits fail. */
export function normaliseCnpj(input: string): string | null {
  if (!/^[\d./\s-]+$/.test(input)) return null;
  const digits = input.replace(/\D/g, '');
  if (digits.length !== 14 || /^(\d)\1{13}$/.test(digits)) return null;
  const checkDigit = (base: string): number => {
    let weight = base.length - 7;
    let sum = 0;
    for (const char of base) {
      sum += Number(char) * weight;
      weight = weight === 2 ? 9 : weight - 1;
    }
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  const first = checkDigit(digits.slice(0, 12));
  const second = checkDigit(digits.slice(0, 12) + String(first));
  return digits.endsWith(`${first}${second}`) ? digits : null;
}

/** "12345678000195" -> "12.345.678/0001-95". */
export function formatCnpj(digits: string): string {
  return digits.replace(/^(\d{2})(\d{3})(\d{3})(\d{4})(\d{2})$/, '$1.$2.$3/$4-$5');
}

export const CnpjSchema = z
  .string()
  .transform((value, context) => {
    const digits = normaliseCnpj(value);
    if (!digits) {
      context.addIssue({ code: 'custom', message: `"${value}" is not a valid CNPJ (check digits do not match)` });
      return z.NEVER;
    }
    return digits;
  });
export type Cnpj = z.output<typeof CnpjSchema>;
