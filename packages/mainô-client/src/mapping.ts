import { parseCents, parseQuantity, type ErpProduct, type ErpSalesOrder, type ErpSalesOrderLine } from '@conecta/core';
import type { MainoOrder, MainoProduct } from './schemas.js';

/** Status values that mean the order no longer holds stock. Assumed: the status list is not documented. */
const CANCELLED_STATUSES = new Set(['cancelado', 'cancelada', 'cancelled', 'excluido', 'excluído']);

export function isCancelledStatus(status: string | null | undefined): boolean {
  return status !== null && status !== undefined && CANCELLED_STATUSES.has(status.trim().toLowerCase());
}

/** Available to sell is on hand less committed; Mainô sends both, the ERP port wants only the difference. */
export function toErpProduct(product: MainoProduct, field: string): ErpProduct {
  const onHand = parseQuantity(product.qtde ?? 0, { field: `${field}.qtde`, decimalSeparator: '.', allowNegative: true });
  const committed = parseQuantity(product.qtde_comprometida ?? 0, { field: `${field}.qtde_comprometida`, decimalSeparator: '.', allowNegative: true });
  return { id: product.id, sku: product.codigo, name: product.descricao ?? product.codigo, availableMilli: onHand - committed };
}

export function toErpSalesOrder(order: MainoOrder, field: string): ErpSalesOrder {
  const lines: ErpSalesOrderLine[] = order.itens.map((item, index) => ({
    sku: item.codigo,
    name: item.descricao ?? item.codigo,
    quantityMilli: parseQuantity(item.qtde, { field: `${field}.itens.${index}.qtde`, decimalSeparator: '.' }),
    unitPriceCents: parseCents(item.valor_unitario, { field: `${field}.itens.${index}.valor_unitario`, decimalSeparator: '.' }),
  }));
  const tags = typeof order.tags === 'string' ? order.tags.split(',').map((tag) => tag.trim()) : (order.tags ?? []);
  return {
    id: order.id,
    externalReference: order.referencia_externa ?? '',
    tag: tags[0] ?? '',
    status: isCancelledStatus(order.status) ? 'cancelled' : 'open',
    lines,
    totalCents:
      order.valor_total === null || order.valor_total === undefined
        ? linesTotalCents(lines)
        : parseCents(order.valor_total, { field: `${field}.valor_total`, decimalSeparator: '.', round: true }),
  };
}

/** Line totals rounded half-up per line, the way a fiscal document rounds them. */
export function linesTotalCents(lines: readonly Pick<ErpSalesOrderLine, 'quantityMilli' | 'unitPriceCents'>[]): number {
  let total = 0;
  for (const line of lines) total += Math.round((line.quantityMilli * line.unitPriceCents) / 1000);
  return total;
}
