import * as z from 'zod';
import { CnpjSchema } from './cnpj.js';

export const CompanySchema = z.object({
  cnpj: CnpjSchema,
  name: z.string().min(1),
  /** 1 is tried first. Unique within a group. */
  priority: z.int().positive(),
  active: z.boolean().default(true),
});
export type Company = z.output<typeof CompanySchema>;
export type CompanyInput = z.input<typeof CompanySchema>;

export const AllocationStrategySchema = z.enum(['priority-greedy', 'fewest-companies', 'single-company-only']);
export type AllocationStrategy = z.output<typeof AllocationStrategySchema>;

/** all-or-nothing: allocate nothing for an order that cannot be covered in full; partial: allocate what is there. */
export const ShortfallPolicySchema = z.enum(['all-or-nothing', 'partial']);
export type ShortfallPolicy = z.output<typeof ShortfallPolicySchema>;

export const AllocationPolicySchema = z.object({
  strategy: AllocationStrategySchema.default('priority-greedy'),
  shortfall: ShortfallPolicySchema.default('all-or-nothing'),
  /** Upper bound on the companies one order may be split across (fewest-companies). */
  maxCompanies: z.int().positive().optional(),
});
export type AllocationPolicy = z.output<typeof AllocationPolicySchema>;
export type AllocationPolicyInput = z.input<typeof AllocationPolicySchema>;

export const CompanyGroupSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    companies: z.array(CompanySchema).min(1),
    allocation: AllocationPolicySchema.default({ strategy: 'priority-greedy', shortfall: 'all-or-nothing' }),
  })
  .superRefine((group, context) => {
    const priorities = new Map<number, number>();
    const cnpjs = new Map<string, number>();
    group.companies.forEach((company, index) => {
      const samePriority = priorities.get(company.priority);
      if (samePriority !== undefined) {
        context.addIssue({
          code: 'custom',
          path: ['companies', index, 'priority'],
          message: `priority ${company.priority} is already used by companies.${samePriority}`,
        });
      }
      priorities.set(company.priority, index);
      const sameCnpj = cnpjs.get(company.cnpj);
      if (sameCnpj !== undefined) {
        context.addIssue({ code: 'custom', path: ['companies', index, 'cnpj'], message: `CNPJ repeated (companies.${sameCnpj})` });
      }
      cnpjs.set(company.cnpj, index);
    });
  });
export type CompanyGroup = z.output<typeof CompanyGroupSchema>;
export type CompanyGroupInput = z.input<typeof CompanyGroupSchema>;

/** Active companies in priority order (1 first). */
export function companiesByPriority(group: Pick<CompanyGroup, 'companies'>): Company[] {
  return group.companies.filter((company) => company.active).sort((a, b) => a.priority - b.priority);
}
