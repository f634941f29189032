import { readPublishedPayload } from '@conecta/core/testing';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, FIXTURES, collect, connectorFor, fakeWith } from './helpers.js';

const AUTH = { authorization: `chave_api ${CREDENTIALS.chaveApi} aplicacao ${CREDENTIALS.chaveAplicacao}` };

/**
 * A line LI sends without SKU but naming its produto: the SKU is read from `GET /v1/produto/{id}`, once per product.
 * The orders here are the published example with the line's `sku` blanked and `produto` pointed at a product of the
 * fake (test-local variants, not fixtures: no published payload has a line without SKU).
 */
describe('lojaintegrada SKU lookup for lines without SKU', () => {
  async function productId(fake: ReturnType<typeof fakeWith>, sku: string): Promise<number> {
    const body = (await (await fake.handle(new Request(`${fake.baseUrl}/v1/produto/?sku=${encodeURIComponent(sku)}`, { headers: AUTH }))).json()) as { objects: Array<{ id: number }> };
    return body.objects[0]!.id;
  }

  function withoutSku(numero: number, produto: string): Record<string, unknown> {
    const pedido = readPublishedPayload(FIXTURES, 'pedido-165-openapi.json');
    const itens = pedido['itens'] as Array<Record<string, unknown>>;
    return { ...pedido, numero, itens: itens.map((item) => ({ ...item, sku: '', produto: { id_externo: null, resource_uri: produto } })) };
  }

  it("takes the product's SKU, reading each product once for a backlog", async () => {
    const fake = fakeWith();
    fake.seedProducts(['CASACO-AZUL-M']);
    const id = await productId(fake, 'CASACO-AZUL-M');
    for (const numero of [201, 202, 203]) fake.addPublishedOrder(withoutSku(numero, `/api/v1/produto/${id}`));
    const orders = (await collect(connectorFor(fake).listOrders())).flatMap((page) => page.orders);
    expect(orders.map((order) => [order.externalId, order.lines[0]!.sku, order.lines[0]!.unmatched])).toEqual([
      ['201', 'CASACO-AZUL-M', undefined],
      ['202', 'CASACO-AZUL-M', undefined],
      ['203', 'CASACO-AZUL-M', undefined],
    ]);
    expect(orders[0]!.warnings).toEqual([]);
    expect(fake.requests().filter((entry) => entry.url === `/v1/produto/${id}`)).toHaveLength(1);
  });

  it('looks nothing up for a line that names its product only by the external id, and keeps it unmatched', async () => {
    const fake = fakeWith();
    // The published line as it is (`produto` addressed by `?id_externo=1`), its SKU blanked.
    const pedido = readPublishedPayload(FIXTURES, 'pedido-165-openapi.json');
    const itens = pedido['itens'] as Array<Record<string, unknown>>;
    fake.addPublishedOrder({ ...pedido, numero: 401, itens: itens.map((item) => ({ ...item, sku: '' })) });
    const order = await connectorFor(fake).getOrder('401');
    expect(order!.lines[0]!.unmatched).toEqual({ reason: 'sku-missing', detail: 'Loja Integrada enviou o item sem sku' });
    expect(fake.requests().map((entry) => entry.url)).toEqual(['/v1/pedido/401']);
  });

  it('keeps the line unmatched, saying why, when the product has no SKU or does not exist', async () => {
    const fake = fakeWith();
    fake.seedProducts(['']);
    const blank = await productId(fake, '');
    fake.addPublishedOrder(withoutSku(301, `/api/v1/produto/${blank}`));
    fake.addPublishedOrder(withoutSku(302, '/api/v1/produto/999999'));
    const connector = connectorFor(fake);
    const noSku = await connector.getOrder('301');
    expect(noSku!.lines[0]!.sku).toBeUndefined();
    expect(noSku!.lines[0]!.unmatched).toEqual({ reason: 'sku-missing', detail: `o produto ${blank} não tem sku na Loja Integrada` });
    const missing = await connector.getOrder('302');
    expect(missing!.lines[0]!.unmatched).toEqual({ reason: 'sku-not-found', detail: 'produto 999999 não existe na Loja Integrada' });
    expect(missing!.warnings.map((warning) => warning.code)).toEqual(['line-unmatched']);
  });
});
