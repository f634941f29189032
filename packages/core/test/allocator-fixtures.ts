import type { Company } from '../src/models/company.js';
import type { AllocationLineInput, AllocationPolicyOptions, AllocationResult } from '../src/allocator/index.js';

/** CNPJs are plain strings to the allocator; short ids keep the expectations readable. */
export const MATRIZ: Company = { cnpj: 'A', name: 'Matriz', priority: 1, active: true };
export const FILIAL_SP: Company = { cnpj: 'B', name: 'Filial SP', priority: 2, active: true };
export const FILIAL_RJ: Company = { cnpj: 'C', name: 'Filial RJ', priority: 3, active: true };
export const GROUP: Company[] = [MATRIZ, FILIAL_SP, FILIAL_RJ];

export const u = (units: number): number => units * 1000;

export function line(sku: string, units: number, unitPriceCents = 1000): AllocationLineInput {
  return { sku, quantityMilli: u(units), unitPriceCents };
}

export function policy(overrides: Partial<AllocationPolicyOptions> = {}): AllocationPolicyOptions {
  return { companies: GROUP, strategy: 'priority-greedy', shortfall: 'partial', ...overrides };
}

/** "A:X=2" per movement, in result order: compact and order-sensitive. */
export function moves(result: AllocationResult): string[] {
  return result.movements.map((m) => `${m.companyCnpj}:${m.sku}=${m.quantityMilli / 1000}`);
}

export function companiesUsed(result: AllocationResult): Set<string> {
  return new Set(result.movements.map((m) => m.companyCnpj));
}
