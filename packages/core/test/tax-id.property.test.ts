import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CnpjSchema, CompanySchema, MovementSchema, customerDocument, formatCnpj, normaliseCnpj, normalizeTaxId } from '../src/index.js';

/**
 * Independent check digits, written from IN RFB 2.229/2024 Anexo XV as the Receita describes them: each of the 12
 * characters is converted to (ASCII code - 48); weights 5,4,3,2,9,8,7,6,5,4,3,2 for the first digit and
 * 6,5,4,3,2,9,8,7,6,5,4,3,2 for the second; remainder of 11 below 2 gives 0, otherwise 11 - remainder.
 */
const FIRST_WEIGHTS = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
const SECOND_WEIGHTS = [6, ...FIRST_WEIGHTS];
function referenceDigit(chars: string, weights: number[]): number {
  const total = [...chars].reduce((sum, char, i) => sum + (char.charCodeAt(0) - 48) * weights[i]!, 0);
  return total % 11 < 2 ? 0 : 11 - (total % 11);
}
function referenceCnpj(base: string): string {
  const first = referenceDigit(base, FIRST_WEIGHTS);
  return `${base}${first}${referenceDigit(base + first, SECOND_WEIGHTS)}`;
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const base12 = fc
  .array(fc.constantFrom(...ALPHANUMERIC), { minLength: 12, maxLength: 12 })
  .map((chars) => chars.join(''))
  .filter((base) => !/^(.)\1{11}$/.test(base));
const numericBase12 = fc.array(fc.constantFrom(...'0123456789'), { minLength: 12, maxLength: 12 }).map((chars) => chars.join('')).filter((base) => !/^(.)\1{11}$/.test(base));

const formatted = (cnpj: string) => `${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}/${cnpj.slice(8, 12)}-${cnpj.slice(12)}`;

describe('alphanumeric CNPJ (IN RFB 2.229/2024)', () => {
  it('accepts the Receita example 12.ABC.345/01DE-35 and numeric CNPJs as before', () => {
    expect(normaliseCnpj('12.ABC.345/01DE-35')).toBe('12ABC34501DE35');
    expect(normaliseCnpj('12.abc.345/01de-35')).toBe('12ABC34501DE35');
    expect(normaliseCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(formatCnpj('12ABC34501DE35')).toBe('12.ABC.345/01DE-35');
    expect(normalizeTaxId('12.ABC.345/01DE-35')).toEqual({ kind: 'cnpj', value: '12ABC34501DE35' });
  });

  it('accepts every CNPJ whose check digits the reference computes, bare, formatted or lowercase', () => {
    fc.assert(
      fc.property(base12, (base) => {
        const cnpj = referenceCnpj(base);
        expect(normaliseCnpj(cnpj)).toBe(cnpj);
        expect(normaliseCnpj(formatted(cnpj).toLowerCase())).toBe(cnpj);
        expect(formatCnpj(cnpj)).toBe(formatted(cnpj));
        expect(CnpjSchema.parse(formatted(cnpj))).toBe(cnpj);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses any other pair of check digits', () => {
    fc.assert(
      fc.property(base12, fc.integer({ min: 0, max: 99 }), (base, digits) => {
        const suffix = String(digits).padStart(2, '0');
        const valid = referenceCnpj(base);
        fc.pre(valid.slice(12) !== suffix);
        expect(normaliseCnpj(base + suffix)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('gives numeric CNPJs the same check digits as the classic algorithm', () => {
    fc.assert(
      fc.property(numericBase12, (base) => {
        expect(normaliseCnpj(referenceCnpj(base))).not.toBeNull();
      }),
      { numRuns: 200 },
    );
  });

  it('refuses letters in the check digits and says what is wrong', () => {
    const letters = CnpjSchema.safeParse('12.ABC.345/01DE-3A');
    expect(letters.error!.issues[0]!.message).toBe('"12.ABC.345/01DE-3A" is not a valid CNPJ: the last two characters (the check digits) must be digits');
    const wrong = CompanySchema.safeParse({ cnpj: '12.ABC.345/01DE-36', name: 'Filial', priority: 1 });
    expect(wrong.error!.issues[0]!.message).toBe('"12.ABC.345/01DE-36" is not a valid CNPJ: check digits do not match (expected 35)');
    expect(CnpjSchema.safeParse('12.ABC.345/01DE').error!.issues[0]!.message).toContain('a CNPJ has 14 characters, got 12');
    expect(CnpjSchema.safeParse('12.AB*.345/01DE-35').error!.issues[0]!.message).toContain('only digits, letters A-Z');
  });

  it('lets a movement belong to a company with an alphanumeric CNPJ, and only in normal form', () => {
    const movement = {
      id: 'm1', orderId: 'woo:1', integrationId: 'woo', lineIndex: 0, sku: 'A', companyCnpj: '12ABC34501DE35', quantityMilli: 1000,
      unitPriceCents: 100, state: 'created', idempotencyKey: 'k', audit: [], createdAt: '2026-07-01T00:00:00Z', updatedAt: '2026-07-01T00:00:00Z',
    };
    expect(MovementSchema.parse(movement).companyCnpj).toBe('12ABC34501DE35');
    expect(MovementSchema.safeParse({ ...movement, companyCnpj: '12.ABC.345/01DE-35' }).success).toBe(false);
    expect(MovementSchema.safeParse({ ...movement, companyCnpj: '12abc34501de35' }).success).toBe(false);
  });

  it('takes a customer document from the first platform field that holds a valid one, never stripping letters', () => {
    expect(customerDocument('12.ABC.345/01DE-35')).toBe('12ABC34501DE35');
    expect(customerDocument('', undefined, '529.982.247-25')).toBe('52998224725');
    expect(customerDocument('12.ABC.345/01DE-36', '529.982.247-25')).toBe('52998224725');
    // Nothing valid: the text goes on as sent, for the order's parsing to drop with a warning that quotes it.
    expect(customerDocument('12.ABC.345/01DE-36')).toBe('12.ABC.345/01DE-36');
    expect(customerDocument(null, '  ')).toBeUndefined();
  });

  it('keeps a CPF at 11 digits and never reads 11 characters as a CNPJ', () => {
    expect(normalizeTaxId('529.982.247-25')).toEqual({ kind: 'cpf', value: '52998224725' });
    expect(normalizeTaxId('529.982.247-26')).toBeUndefined();
    expect(normalizeTaxId('123450135')).toBeUndefined();
    expect(normalizeTaxId('')).toBeUndefined();
  });
});
