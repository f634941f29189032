import { describe, expect, it } from 'vitest';
import { createMainoFake } from '../src/fake/index.js';

const BASE = 'https://api.maino.com.br/api/v2';
const A = '11222333000181';

function seeded() {
  const fake = createMainoFake({ maxPerPage: { produtos: 2 } });
  fake.addCompany(A);
  fake.addApiKey(A, 'key-a-123456');
  fake.addProducts(A, [{ sku: 'P1', qtdeMilli: 5_000 }, { sku: 'P2', qtdeMilli: 1_250, committedMilli: 250 }, { sku: 'P3', qtdeMilli: 0 }]);
  const call = (path: string, init: RequestInit = {}) =>
    fake.handle(new Request(`${BASE}/${path}`, { ...init, headers: { 'x-api-key': 'key-a-123456', 'content-type': 'application/json', ...init.headers } }));
  return { fake, call };
}

describe('maino fake', () => {
  it('refuses a request without a valid credential', async () => {
    const { fake } = seeded();
    const response = await fake.handle(new Request(`${BASE}/produtos`));
    expect(response.status).toBe(401);
  });

  it('caps per_page and links pages through pagination.next_page', async () => {
    const { call } = seeded();
    const first = (await (await call('produtos?per_page=100')).json()) as { produtos: Array<{ codigo: string; qtde: number; qtde_comprometida: number }>; pagination: { next_page: number | null } };
    expect(first.produtos.map((product) => product.codigo)).toEqual(['P1', 'P2']);
    expect(first.produtos[1]).toMatchObject({ qtde: 1.25, qtde_comprometida: 0.25 });
    expect(first.pagination.next_page).toBe(2);
    const second = (await (await call('produtos?page=2')).json()) as { pagination: { next_page: number | null } };
    expect(second.pagination.next_page).toBeNull();
  });

  it('commits stock on create, releases it on cancel and refuses a second cancel', async () => {
    const { fake, call } = seeded();
    const body = { pedido: { referencia_externa: 'r1', tags: ['Tray'], data_emissao: '01/05/2024', itens: [{ codigo: 'P1', qtde: '2', valor_unitario: '10.00' }] } };
    const created = (await (await call('pedidos', { method: 'POST', body: JSON.stringify(body) })).json()) as {
      pedido: { id: string; status: string; itens: unknown[]; cobranca: { parcelas: Array<{ valor: string }> } };
    };
    expect(created.pedido).toMatchObject({ status: 'Pedido gerado', itens: [{ codigo: 'P1', quantidade: '2.0' }], cobranca: { parcelas: [{ valor: '20.00' }] } });
    expect(fake.stockOf(A, 'P1')).toEqual({ qtdeMilli: 5_000, committedMilli: 2_000, storedMilli: 0 });
    expect((await call(`pedidos/${created.pedido.id}`, { method: 'DELETE' })).status).toBe(200);
    expect(fake.stockOf(A, 'P1')).toEqual({ qtdeMilli: 5_000, committedMilli: 0, storedMilli: 0 });
    const cancelled = (await (await call(`pedidos/${created.pedido.id}`)).json()) as { pedido: { status: string } };
    expect(cancelled.pedido.status).toBe('Cancelado');
    expect((await call(`pedidos/${created.pedido.id}`, { method: 'DELETE' })).status).toBe(422);
    expect((await call('pedidos/999999', { method: 'DELETE' })).status).toBe(404);
  });

  it('rejects an order with an unknown product or a malformed date, storing nothing', async () => {
    const { fake, call } = seeded();
    const body = { pedido: { referencia_externa: 'r2', data_emissao: '2024-05-01', itens: [{ codigo: 'NOPE', qtde: '1', valor_unitario: '1.00' }] } };
    const response = await call('pedidos', { method: 'POST', body: JSON.stringify(body) });
    expect(response.status).toBe(422);
    expect(Object.keys(((await response.json()) as { errors: object }).errors).sort()).toEqual(['data_emissao', 'itens.0.codigo']);
    expect(fake.countByReference(A, 'r2')).toBe(0);
  });

  it('injects latency and 429 with Retry-After on the matching route only, and records unknown routes', async () => {
    const { fake, call } = seeded();
    fake.inject({ kind: 'rate-limit', retryAfterSeconds: 3, route: { method: 'GET', path: 'pedidos' } });
    fake.inject({ kind: 'latency', ms: 150, route: { path: 'produtos' } });
    const started = Date.now();
    expect((await call('produtos')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const throttled = await call('pedidos');
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '3']);
    expect((await call('pedidos')).status).toBe(200);
    expect((await call('estoques')).status).toBe(404);
    expect(fake.unknownRequests()).toEqual(['GET estoques']);
  });
});
