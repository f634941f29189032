import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ValidationError, parsePlatformOrder } from '@conecta/core';
import { RecompraOrderSchema, identifyRecompraOrder, recompraCentsField, createRecompraConnector, recompraQuantityField, type RecompraOrderMapping } from '../src/index.js';
import { headersFor } from './helpers.js';

const TOKEN = 'schema-test-webhook-token';
const NOW = Date.UTC(2025, 0, 15, 10, 0, 0);

/** A differently shaped payload (Portuguese names, nested totals, epoch seconds) as a real vendor might send. */
const PortugueseSchema: RecompraOrderMapping = z
  .object({
    codigo: z.string(),
    situacao: z.object({ codigo: z.string(), nome: z.string() }),
    comprador: z.object({ nome: z.string(), cpf: z.string().optional() }),
    itens: z.array(z.object({ referencia: z.string(), descricao: z.string(), qtd: recompraQuantityField({ decimalSeparator: ',' }), preco: recompraCentsField({ decimalSeparator: ',' }) })),
    valores: z.object({ produtos: recompraCentsField({ decimalSeparator: ',' }), frete: recompraCentsField({ decimalSeparator: ',' }), total: recompraCentsField({ decimalSeparator: ',' }) }),
    criado_em: z.int(),
    alterado_em: z.int(),
  })
  .transform((pedido) => ({
    externalId: pedido.codigo,
    number: pedido.codigo,
    status: pedido.situacao.codigo,
    statusLabel: pedido.situacao.nome,
    customer: { name: pedido.comprador.nome, document: pedido.comprador.cpf },
    lines: pedido.itens.map((item) => ({ sku: item.referencia, name: item.descricao, quantityMilli: item.qtd, unitPriceCents: item.preco })),
    totals: { itemsCents: pedido.valores.produtos, shippingCents: pedido.valores.frete, totalCents: pedido.valores.total },
    createdAt: new Date(pedido.criado_em * 1000).toISOString(),
    updatedAt: new Date(pedido.alterado_em * 1000).toISOString(),
  }));

const pedido = (codigo: string, alteradoEm: number, qtd: unknown = '1,5') => ({
  codigo,
  situacao: { codigo: 'APROVADO', nome: 'Aprovado' },
  comprador: { nome: 'Maria', cpf: '12345678909' },
  itens: [{ referencia: 'SKU-9', descricao: 'Café 1kg', qtd, preco: '33,10' }],
  valores: { produtos: '49,65', frete: '10,00', total: '59,65' },
  criado_em: 1_736_900_000,
  alterado_em: alteradoEm,
});

describe('schema override', () => {
  const connector = (fetchImpl?: typeof fetch) =>
    createRecompraConnector({
      webhookToken: TOKEN,
      now: () => NOW,
      schema: PortugueseSchema,
      identify: (raw) => {
        const record = raw as { codigo?: string; alterado_em?: number };
        return { externalId: record.codigo, updatedAt: record.alterado_em ? new Date(record.alterado_em * 1000).toISOString() : undefined };
      },
      ...(fetchImpl ? { polling: { baseUrl: 'https://recompra.example/api', apiToken: 'schema-test-api-token', pageSize: 2 }, fetch: fetchImpl } : {}),
    });

  it('maps a differently shaped webhook payload to exact canonical values', async () => {
    const body = JSON.stringify({ event: 'pedido.aprovado', order: pedido('P-77', 1_736_935_200) });
    const event = await connector().parseWebhook!({ rawBody: body, headers: headersFor(body, String(NOW / 1000), 'd-1', TOKEN) });
    expect(event.rejected).toEqual([]);
    expect(event.orders[0]).toMatchObject({
      externalId: 'P-77',
      status: 'APROVADO',
      statusLabel: 'Aprovado',
      lines: [{ sku: 'SKU-9', quantityMilli: 1500, unitPriceCents: 3310 }],
      totals: { itemsCents: 4965, shippingCents: 1000, discountCents: 0, totalCents: 5965 },
      updatedAt: '2025-01-15T10:00:00.000Z',
    });
  });

  it('drives the polling cursor through `identify`, rejected orders included', async () => {
    const all = [pedido('A', 100), pedido('B', 100, 'muito'), pedido('C', 101), pedido('D', 102)];
    const seenQueries: string[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const url = new URL(new Request(input, init).url);
      seenQueries.push(url.search);
      const since = url.searchParams.get('updated_since');
      const page = Number(url.searchParams.get('page'));
      const matching = all.filter((item) => since === null || item.alterado_em * 1000 >= Date.parse(since));
      const slice = matching.slice((page - 1) * 2, page * 2);
      return Response.json({ orders: slice, has_more: page * 2 < matching.length });
    };
    const pages = [];
    for await (const page of connector(fetchImpl).listOrders()) pages.push(page);
    expect(pages.flatMap((page) => page.orders.map((order) => order.externalId))).toEqual(['A', 'C', 'D']);
    const rejected = pages.flatMap((page) => page.rejected);
    expect(rejected.map((item) => [item.externalId, item.error.path])).toEqual([['B', 'itens.0.qtd']]);
    expect(JSON.parse(pages.at(-1)!.cursor)).toMatchObject({ since: new Date(102_000).toISOString(), seen: ['D'] });
  });
});

describe('default schema', () => {
  const connector = createRecompraConnector({ webhookToken: TOKEN, now: () => NOW });
  const send = (order: Record<string, unknown>) => {
    const body = JSON.stringify({ event: 'order.created', order });
    return connector.parseWebhook!({ rawBody: body, headers: headersFor(body, String(NOW / 1000), `d-${Math.random()}`, TOKEN) });
  };
  const order = {
    id: 42,
    number: 1042,
    status: 'paid',
    customer: { name: 'Ana', document: '123.456.789-09', email: null },
    items: [{ sku: 'X', name: 'X', quantity: 0.1, unit_price: 0.7 }, { sku: 'Y', name: 'Y', quantity: '3', unit_price: '19.99' }],
    subtotal: '60.04',
    total: 60.04,
    created_at: '2025-01-15T07:00:00-03:00',
    updated_at: '2025-01-15T07:00:01-03:00',
  };

  it('reads decimals exactly, numeric ids as text, offsets as UTC and nulls as absent', async () => {
    const event = await send(order);
    expect(event.orders[0]).toMatchObject({
      externalId: '42',
      number: '1042',
      customer: { name: 'Ana', document: '12345678909' },
      lines: [
        { sku: 'X', quantityMilli: 100, unitPriceCents: 70 },
        { sku: 'Y', quantityMilli: 3000, unitPriceCents: 1999 },
      ],
      totals: { itemsCents: 6004, shippingCents: 0, discountCents: 0, totalCents: 6004 },
      updatedAt: '2025-01-15T10:00:01.000Z',
    });
    expect(event.orders[0]!.customer).not.toHaveProperty('email', null);
  });

  it('rejects a third decimal place in money, naming the field', async () => {
    const event = await send({ ...order, items: [{ sku: 'X', name: 'X', quantity: 1, unit_price: '1.999' }] });
    expect(event.rejected[0]!.error).toBeInstanceOf(ValidationError);
    expect(event.rejected[0]!.error.path).toBe('items.0.unit_price');
    expect(event.rejected[0]!.externalId).toBe('42');
  });
});

describe('default mapping (assumed contract)', () => {
  const wire = (overrides: Record<string, unknown> = {}, item: Record<string, unknown> = {}) => ({
    id: '500001',
    number: 'R-1001',
    status: 'paid',
    customer: { name: 'Café & Cia LTDA', document: '12.abc.345/01de-35' },
    items: [{ id: '1-1', sku: 'RC-2', name: 'Produto 2', quantity: '2', unit_price: '10.00', ...item }],
    subtotal: '20.00',
    shipping: '5.00',
    discount: '1.00',
    fees: '2.50',
    tax: '0.50',
    total: '27.00',
    created_at: '2024-05-01T12:00:00Z',
    updated_at: '2024-05-01T12:00:00Z',
    ...overrides,
  });

  it('carries fees and taxes in the breakdown and normalises an alphanumeric CNPJ', () => {
    const mapped = RecompraOrderSchema.parse(wire());
    expect(mapped.totals).toEqual({ itemsCents: 2000, shippingCents: 500, discountCents: 100, feesCents: 250, taxCents: 50, totalCents: 2700 });
    expect(mapped.customer.document).toBe('12ABC34501DE35');
  });

  it('imports a line without SKU unmatched, and a numeric SKU as its decimal string', () => {
    for (const sku of ['', '  ', null, undefined]) {
      const result = parsePlatformOrder(wire({}, { sku }), (raw) => ({ ...RecompraOrderSchema.parse(raw), raw }), { platform: 'recompra', externalId: '500001' });
      expect('order' in result, String(sku)).toBe(true);
      if (!('order' in result)) continue;
      expect(result.order.lines[0]!.sku).toBeUndefined();
      expect(result.order.lines[0]!.unmatched?.reason).toBe('sku-missing');
      expect(result.order.warnings.map((warning) => warning.code)).toEqual(['line-unmatched']);
    }
    expect(RecompraOrderSchema.parse(wire({}, { sku: 345 })).lines[0]!.sku).toBe('345');
  });

  it('reads money with the separator it is told, and never guesses', () => {
    expect(() => recompraCentsField({ decimalSeparator: ',' }).parse('1.234,50')).not.toThrow();
    expect(recompraCentsField({ decimalSeparator: ',' }).parse('1.234,50')).toBe(123_450);
    expect(recompraCentsField().parse('1234.50')).toBe(123_450);
  });
});

describe('identity of a rejected order', () => {
  it('reads an impossible updated_at as unreadable, not as another day', () => {
    expect(identifyRecompraOrder({ id: 7, updated_at: '2024-02-30T12:00:00Z' })).toEqual({ externalId: '7', updatedAt: undefined });
    expect(identifyRecompraOrder({ id: 7, updated_at: '2024-05-01T09:00:00-03:00' })).toEqual({ externalId: '7', updatedAt: '2024-05-01T12:00:00.000Z' });
  });

  it('reports an order with an impossible updated_at after later orders, instead of skipping it as already read', async () => {
    const good = { id: 'A', number: '1', status: 'paid', customer: { name: 'Ana' }, items: [{ sku: 'X', name: 'X', quantity: 1, unit_price: '1.00' }], subtotal: '1.00', total: '1.00', created_at: '2024-05-01T12:00:00Z', updated_at: '2024-05-01T12:00:00Z' };
    const broken = { ...good, id: 'B', updated_at: '2024-02-30T12:00:00Z' };
    const fetchImpl: typeof fetch = async () => Response.json({ orders: [good, broken], has_more: false });
    const connector = createRecompraConnector({ webhookToken: TOKEN, polling: { baseUrl: 'https://api.recompra.test/v1', apiToken: 'schema-test-api-token' }, fetch: fetchImpl });
    const pages = [];
    for await (const page of connector.listOrders()) pages.push(page);
    expect(pages.flatMap((page) => page.orders.map((order) => order.externalId))).toEqual(['A']);
    expect(pages.flatMap((page) => page.rejected.map((entry) => [entry.externalId, entry.error.path]))).toEqual([['B', 'updated_at']]);
  });
});
