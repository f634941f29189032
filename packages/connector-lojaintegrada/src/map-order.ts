import { customerDocument, parseCents, parseQuantity, parseWith, type PlatformOrderInput } from '@conecta/core';
import { liDateTimeToMicros, microsToInstant } from './dates.js';
import { PedidoSchema } from './schemas.js';

/**
 * One LI order (a `GET /v1/pedido/{numero}` detail or a webhook body) to the canonical order. Decimal strings and
 * webhook numbers both go through core's exact parsers; field paths name LI's own fields.
 */
export function mapPedido(raw: unknown, timeZone: string): PlatformOrderInput {
  const pedido = parseWith(PedidoSchema, raw);
  const cents = (value: unknown, field: string) => parseCents(value ?? '0', { field, decimalSeparator: '.' });
  const cliente = typeof pedido.cliente === 'object' && pedido.cliente !== null ? pedido.cliente : undefined;
  const document = customerDocument(cliente?.cpf, cliente?.cnpj);
  const phone = cliente?.telefone_celular || cliente?.telefone_principal || undefined;
  return {
    externalId: String(pedido.numero),
    number: String(pedido.numero),
    status: pedido.situacao.codigo,
    ...(pedido.situacao.nome ? { statusLabel: pedido.situacao.nome } : {}),
    customer: {
      name: cliente?.nome || cliente?.razao_social || pedido.endereco_entrega?.nome || pedido.endereco_entrega?.razao_social || '',
      ...(cliente?.email ? { email: cliente.email } : {}),
      ...(document ? { document } : {}),
      ...(phone ? { phone } : {}),
    },
    lines: pedido.itens.map((item, index) => ({
      ...(item.id !== null && item.id !== undefined ? { lineId: String(item.id) } : {}),
      sku: item.sku.trim(),
      name: item.nome ?? '',
      quantityMilli: parseQuantity(item.quantidade, { field: `itens.${index}.quantidade`, decimalSeparator: '.' }),
      unitPriceCents: cents(item.preco_venda, `itens.${index}.preco_venda`),
    })),
    totals: {
      itemsCents: cents(pedido.valor_subtotal, 'valor_subtotal'),
      shippingCents: cents(pedido.valor_envio, 'valor_envio'),
      discountCents: cents(pedido.valor_desconto, 'valor_desconto'),
      totalCents: cents(pedido.valor_total, 'valor_total'),
    },
    createdAt: microsToInstant(liDateTimeToMicros(pedido.data_criacao, timeZone, 'data_criacao')),
    updatedAt: microsToInstant(liDateTimeToMicros(pedido.data_modificacao, timeZone, 'data_modificacao')),
    raw,
  };
}

