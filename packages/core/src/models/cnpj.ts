import * as z from 'zod';

/**
 * CNPJ and CPF. Since IN RFB 2.229/2024 a CNPJ's first 12 characters may be letters (0-9A-Z); each character is worth
 * its ASCII code minus 48 in the modulo-11 check, so numeric CNPJs keep their check digits. The two check digits stay
 * numeric. The normal form is 14 characters, uppercase, punctuation stripped.
 */

/** What people type around a tax id: dots, slashes, dashes and spaces. */
const PUNCTUATION = /[.\-/\s]/g;
const CNPJ_SHAPE = /^[0-9A-Z]{12}\d{2}$/;
const CPF_SHAPE = /^\d{11}$/;

/** Why a text is not a valid CNPJ, for an error that says what is wrong; undefined when it is valid. */
export function cnpjProblem(input: string): string | undefined {
  const value = stripTaxIdPunctuation(input);
  if (/[^0-9A-Z]/.test(value)) return 'only digits, letters A-Z and the punctuation . / - are allowed';
  if (value.length !== 14) return `a CNPJ has 14 characters, got ${value.length}`;
  if (!CNPJ_SHAPE.test(value)) return 'the last two characters (the check digits) must be digits';
  if (/^(.)\1{13}$/.test(value)) return 'a CNPJ cannot repeat one character 14 times';
  const first = cnpjCheckDigit(value.slice(0, 12));
  const second = cnpjCheckDigit(value.slice(0, 12) + String(first));
  if (!value.endsWith(`${first}${second}`)) return `check digits do not match (expected ${first}${second})`;
  return undefined;
}

/**
 * Normalises a CNPJ ("12.345.678/0001-95", "12.abc.345/01de-35" or bare) to its 14 characters, uppercase, or returns
 * null when it is malformed or the check digits fail.
 */
export function normaliseCnpj(input: string): string | null {
  return cnpjProblem(input) === undefined ? stripTaxIdPunctuation(input) : null;
}

/** "12345678000195" -> "12.345.678/0001-95"; "12ABC34501DE35" -> "12.ABC.345/01DE-35". Anything else is returned as is. */
export function formatCnpj(value: string): string {
  return value.replace(/^([0-9A-Z]{2})([0-9A-Z]{3})([0-9A-Z]{3})([0-9A-Z]{4})(\d{2})$/, '$1.$2.$3/$4-$5');
}

/** "52998224725" -> "529.982.247-25". */
export function formatCpf(value: string): string {
  return value.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
}

/** Normalises a CPF to its 11 digits, or returns null when it is malformed or the check digits fail. */
export function normaliseCpf(input: string): string | null {
  const value = input.replace(PUNCTUATION, '');
  if (!CPF_SHAPE.test(value) || /^(\d)\1{10}$/.test(value)) return null;
  const digit = (base: string): number => {
    let sum = 0;
    for (let i = 0; i < base.length; i++) sum += Number(base[i]) * (base.length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  const first = digit(value.slice(0, 9));
  const second = digit(value.slice(0, 9) + String(first));
  return value.endsWith(`${first}${second}`) ? value : null;
}

export type TaxId = { kind: 'cpf' | 'cnpj'; value: string };

/**
 * A customer's document as platforms send it (formatted or bare, any case) to its normal form: a CPF's 11 digits or a
 * CNPJ's 14 characters. Undefined when it is neither (wrong length, wrong characters, check digits that do not match).
 */
export function normalizeTaxId(input: string | null | undefined): TaxId | undefined {
  if (typeof input !== 'string') return undefined;
  // A connector normalises the document it picks and the order's parsing normalises it again: the last answer is kept.
  if (input !== lastTaxIdInput) {
    lastTaxIdInput = input;
    lastTaxId = readTaxId(input);
  }
  return lastTaxId && { kind: lastTaxId.kind, value: lastTaxId.value };
}

let lastTaxIdInput: string | undefined;
let lastTaxId: TaxId | undefined;

function readTaxId(input: string): TaxId | undefined {
  const value = stripTaxIdPunctuation(input);
  if (value.length === 11) {
    const cpf = normaliseCpf(value);
    return cpf ? { kind: 'cpf', value: cpf } : undefined;
  }
  const cnpj = normaliseCnpj(value);
  return cnpj ? { kind: 'cnpj', value: cnpj } : undefined;
}

/**
 * A customer's document from the fields a platform may carry it in (CNPJ field, CPF field, ...): the first one that
 * is a valid CPF or CNPJ, normalised; else the first non-blank text as sent, so the order's parsing drops it with a
 * `field-ignored` warning that quotes it (never silently, never with letters stripped out of a CNPJ).
 */
export function customerDocument(...candidates: Array<string | null | undefined>): string | undefined {
  for (const candidate of candidates) {
    const taxId = normalizeTaxId(candidate);
    if (taxId) return taxId.value;
  }
  return candidates.find((candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '');
}

/** Why a customer document is not a CPF nor a CNPJ, for warnings and errors. */
export function taxIdProblem(input: string): string | undefined {
  const value = stripTaxIdPunctuation(input);
  if (value.length === 11 && /^\d+$/.test(value)) return normaliseCpf(value) ? undefined : 'CPF check digits do not match';
  if (value.length === 14) {
    const problem = cnpjProblem(value);
    return problem ? `not a valid CNPJ: ${problem}` : undefined;
  }
  return `a CPF has 11 digits and a CNPJ 14 characters, got ${value.length}`;
}

function stripTaxIdPunctuation(input: string): string {
  return input.replace(PUNCTUATION, '').toUpperCase();
}

/** Each character's worth is its ASCII code minus 48 ("0" is 0, "A" is 17); weights run 2..9 from the right. */
function cnpjCheckDigit(base: string): number {
  let weight = 2;
  let sum = 0;
  for (let i = base.length - 1; i >= 0; i--) {
    sum += (base.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

export const CnpjSchema = z.string().transform((value, context) => {
  const problem = cnpjProblem(value);
  if (problem !== undefined) {
    context.addIssue({ code: 'custom', message: `"${value}" is not a valid CNPJ: ${problem}` });
    return z.NEVER;
  }
  return stripTaxIdPunctuation(value);
});
export type Cnpj = z.output<typeof CnpjSchema>;

/** A CNPJ already in normal form (what stores and movements keep). */
export const NORMALISED_CNPJ = CNPJ_SHAPE;
