import * as z from 'zod';
import { CnpjSchema } from './cnpj.js';
import { StatusDictionarySchema } from './status-dictionary.js';

export const StockBufferSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('units'), units: z.number().nonnegative() }),
  z.object({ kind: z.literal('percent'), percent: z.number().min(0).max(100) }),
]);
export type StockBuffer = z.output<typeof StockBufferSchema>;

export const StockPushSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  /** Companies whose Mainô stock counts for this store; empty means every active company of the group. */
  companies: z.array(CnpjSchema).default([]),
  buffer: StockBufferSchema.default({ kind: 'units', units: 0 }),
});
export type StockPushSettings = z.output<typeof StockPushSettingsSchema>;

export const IntegrationModeSchema = z.enum(['automatic', 'on-command']);
export type IntegrationMode = z.output<typeof IntegrationModeSchema>;

export const IntegrationSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  platform: z.string().min(1),
  /** Shown to people and used as the tag on the sales orders created in Mainô. */
  name: z.string().min(1),
  groupId: z.string().min(1),
  statusDictionary: StatusDictionarySchema,
  stockPush: StockPushSettingsSchema.default({ enabled: false, companies: [], buffer: { kind: 'units', units: 0 } }),
  /** Left out: automatic for single-company groups, on-command otherwise (see `effectiveMode`). */
  mode: IntegrationModeSchema.optional(),
  /**
   * Mercos only: the caller states that Mainô's own Mercos integration is not active for this account. Without it a
   * Mercos integration on a one-company group is refused, since Mainô would import the same orders directly and each
   * would be created twice (see `mercosRuleViolations`).
   */
  noDirectIntegration: z.boolean().optional(),
});
export type Integration = z.output<typeof IntegrationSchema>;
export type IntegrationInput = z.input<typeof IntegrationSchema>;

/** A group of one company runs every step automatically unless told otherwise. */
export function effectiveMode(integration: Pick<Integration, 'mode'>, companyCount: number): IntegrationMode {
  return integration.mode ?? (companyCount === 1 ? 'automatic' : 'on-command');
}
