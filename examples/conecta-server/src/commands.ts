import type { Company, OrderListItem, Pipeline } from '@conecta/core';
import { orderSituation } from '@conecta/core';
import { plural } from './format.js';
import { companyLabel, describeError, describeFailure, shortfallLines, shortfallSentence } from './ui/messages.js';
import type { NoticeInput } from './ui/notices.js';

/** The steps a person runs on an order, by the name their URL and form use. */
export const ORDER_ACTIONS = ['movimentacao', 'sincronizar', 'pedido-maino', 'reprocessar'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];
/** The steps that can run on many orders at once. */
export const BULK_ACTIONS = ['movimentacao', 'sincronizar', 'pedido-maino'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

export const ACTION_NAMES: Record<OrderAction, string> = {
  movimentacao: 'Criar movimentação',
  sincronizar: 'Sincronizar',
  'pedido-maino': 'Criar pedido no Mainô',
  reprocessar: 'Tentar de novo as que falharam',
};

export interface ActionOutcome {
  ok: boolean;
  notice: NoticeInput;
  /** One sentence for a bulk run's summary. */
  summary: string;
}

/** Whether a step applies to an order as it stands (a bulk run skips the others instead of failing them). */
export function actionApplies(action: BulkAction, item: Pick<OrderListItem, 'order' | 'movementStates'>): boolean {
  const situation = orderSituation(item.order, item.movementStates);
  if (action === 'movimentacao') return situation === 'without-movements';
  if (situation !== 'pending-sync' && situation !== 'failed') return false;
  if (action === 'sincronizar') return (item.movementStates.created ?? 0) + (item.movementStates.failed ?? 0) > 0;
  return (item.movementStates.synced ?? 0) > 0;
}

/** Runs one step on one order and says what came of it, in Portuguese. Never throws for what the step reports. */
export async function runOrderAction(
  pipeline: Pipeline,
  action: OrderAction,
  orderId: string,
  options: { actor: string; companies: readonly Company[]; overrides?: Array<{ lineIndex: number; companyCnpj: string }> },
): Promise<ActionOutcome> {
  const { companies } = options;
  try {
    switch (action) {
      case 'movimentacao': {
        const result = await pipeline.createMovements(orderId, { actor: options.actor, overrides: options.overrides });
        if (result.movements.length === 0) {
          const lines = shortfallLines(result.allocation, companies);
          return { ok: false, notice: { code: 'shortfall', lines: lines.slice(0, 8) }, summary: shortfallSentence(lines) };
        }
        if (!result.created) return { ok: true, notice: { code: 'movements-existed' }, summary: 'Já tinha movimentações.' };
        return { ok: true, notice: { code: 'movements-created', count: result.movements.length }, summary: `${plural(result.movements.length, 'movimentação criada', 'movimentações criadas')}.` };
      }
      case 'sincronizar':
      case 'reprocessar': {
        const result = action === 'sincronizar' ? await pipeline.sync(orderId, { actor: options.actor }) : await pipeline.retryFailed(orderId, { actor: options.actor });
        const reasons = result.failed.map((movement) => describeFailure(movement.failure!, movement, companies));
        return {
          ok: result.failed.length === 0,
          notice: { code: 'synced', synced: result.synced.length, failed: result.failed.length },
          summary: reasons.length ? reasons.join(' ') : `${plural(result.synced.length, 'movimentação sincronizada', 'movimentações sincronizadas')}.`,
        };
      }
      case 'pedido-maino': {
        const result = await pipeline.createErpOrder(orderId, { actor: options.actor });
        const pending = result.pending.map((entry) => `${entry.companyCnpj === '*' ? 'O pedido' : companyLabel(companies, entry.companyCnpj)}: ${pendingReason(entry)}`);
        return {
          ok: pending.length === 0,
          notice: { code: 'erp-created', created: result.created.length, pending },
          summary: pending.length ? pending.join(' ') : `${plural(result.created.length, 'pedido criado', 'pedidos criados')} no Mainô.`,
        };
      }
    }
  } catch (error) {
    const message = describeError(error, companies);
    return { ok: false, notice: { code: 'action-failed', message }, summary: message };
  }
}

function pendingReason(entry: { reason: string; retryable: boolean }): string {
  if (/not synced yet/.test(entry.reason)) return 'há movimentações ainda não sincronizadas; sincronize antes.';
  if (/being created right now/.test(entry.reason)) return 'os pedidos no Mainô já estão sendo criados agora.';
  return entry.retryable ? 'o Mainô não respondeu a tempo; tente de novo (nada será duplicado).' : 'o Mainô recusou o pedido de venda; veja as movimentações com falha.';
}
