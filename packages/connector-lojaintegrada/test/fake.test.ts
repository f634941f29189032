import { describe, expect, it } from 'vitest';
import { CREDENTIALS, fakeWith } from './helpers.js';

const AUTH = { authorization: `chave_api ${CREDENTIALS.chaveApi} aplicacao ${CREDENTIALS.chaveAplicacao}` };
const get = (fake: ReturnType<typeof fakeWith>, path: string, headers: Record<string, string> = AUTH) => fake.handle(new Request(`${fake.baseUrl}${path}`, { headers }));

describe('lojaintegrada fake', () => {
  it('refuses requests without the exact chave_api/aplicacao header', async () => {
    const fake = fakeWith();
    expect((await get(fake, '/v1/situacao', {})).status).toBe(401);
    expect((await get(fake, '/v1/situacao', { authorization: `chave_api ${CREDENTIALS.chaveApi} aplicacao nope` })).status).toBe(401);
    expect((await get(fake, '/v1/situacao')).status).toBe(200);
  });

  it('paginates search with limit/offset and meta, capping limit at 50 and linking next as /api/v1', async () => {
    const fake = fakeWith();
    fake.seedOrders(60);
    const body = (await (await get(fake, '/v1/pedido/search/?limit=100')).json()) as { meta: Record<string, unknown>; objects: Array<Record<string, unknown>> };
    expect(body.objects).toHaveLength(50);
    expect(body.meta).toMatchObject({ limit: 50, offset: 0, total_count: 60, previous: null });
    expect(body.meta['next']).toBe('/api/v1/pedido/search/?limit=50&offset=50');
    expect(body.objects[0]).not.toHaveProperty('itens');
    expect(body.objects[0]!['cliente']).toMatch(/^\/api\/v1\/cliente\/\d+$/);
    const next = (await (await get(fake, body.meta['next'] as string)).json()) as { objects: unknown[]; meta: { next: unknown } };
    expect(next.objects).toHaveLength(10);
    expect(next.meta.next).toBeNull();
  });

  it('filters by since_atualizado in local time at second resolution, several orders per second', async () => {
    const fake = fakeWith({ ordersPerSecond: 3 });
    fake.seedOrders(6);
    const body = (await (await get(fake, '/v1/pedido/search/?since_atualizado=2024-05-01T10:00:02')).json()) as { objects: Array<{ numero: number; data_modificacao: string }> };
    expect(body.objects.map((order) => order.numero)).toEqual([1004, 1005, 1006]);
    expect(new Set(body.objects.map((order) => order.data_modificacao)).size).toBe(1);
    expect(body.objects[0]!.data_modificacao).toMatch(/^2024-05-01T10:00:02\.\d{6}$/);
  });

  it('answers details by numero with decimal strings, and 404 for unknown numeros and routes', async () => {
    const fake = fakeWith();
    const [id] = fake.seedOrders(1);
    const detail = (await (await get(fake, `/v1/pedido/${id}`)).json()) as { itens: Array<{ quantidade: string; preco_venda: string }>; valor_total: string };
    expect(detail.itens[0]!.quantidade).toMatch(/^\d+\.\d{2}$/);
    expect(detail.valor_total).toMatch(/^\d+\.\d{2}$/);
    expect((await get(fake, '/v1/pedido/999')).status).toBe(404);
    expect(fake.unknownRequests()).toEqual([]);
    expect((await get(fake, '/v1/cupom/')).status).toBe(404);
    expect(fake.unknownRequests()).toEqual(['GET /v1/cupom/']);
  });

  it('throttles and fails on demand, logging each status', async () => {
    const fake = fakeWith();
    fake.throttleNext(1, 7);
    fake.failNext(1, 502);
    const throttled = await get(fake, '/v1/situacao');
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(((await throttled.json()) as { error: { code: number } }).error.code).toBe(633);
    expect((await get(fake, '/v1/situacao')).status).toBe(502);
    expect(fake.requests().map((entry) => entry.status)).toEqual([429, 502]);
  });
});
