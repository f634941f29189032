import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAINO_ENDPOINTS, createMainoClient, type MainoSalesOrder, type UnreadableReport } from '../src/index.js';
import { REAL_INVOICE_TEMPLATE, REAL_ORDER_TEMPLATE } from '../src/fake/index.js';
import { API_KEYS, COMPANY_A, COMPANY_B, clientFor, useFakeServer } from './setup-fake.js';

const FIXTURES = new URL('../../../tests/fixtures/platforms/maino/', import.meta.url);
const fixture = <T = unknown>(name: string): T => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as T;

interface RealPage {
  pedidos: Array<Record<string, unknown>>;
  pagination: { next_page: number | null };
}
const realPage = () => fixture<RealPage>('pedidos-page.reconstructed.json');

/** Answers GET /pedidos and /pedidos/{id}/nota_fiscal from fixed bodies, as Mainô answered the public client. */
function replay(routes: Record<string, { status?: number; body: unknown }>): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: async (input, init) => {
      const url = new URL(new Request(input, init).url);
      urls.push(`${url.pathname}${url.search}`);
      const key = `${url.pathname.replace('/api/v2/', '')}${url.searchParams.has('page') ? `#${url.searchParams.get('page')}` : ''}`;
      const route = routes[key];
      if (!route) return new Response(JSON.stringify({ error: 'not in replay' }), { status: 404 });
      return new Response(JSON.stringify(route.body), { status: route.status ?? 200, headers: { 'content-type': 'application/json' } });
    },
  };
}

const replayClient = (routes: Record<string, { status?: number; body: unknown }>, reports: UnreadableReport[] = []) => {
  const { fetch, urls } = replay(routes);
  const client = createMainoClient({
    group: { cnpjs: [COMPANY_A, COMPANY_B] },
    auth: { kind: 'api-key', keys: API_KEYS },
    rateLimit: { requests: 200, intervalMs: 1000, source: 'test' },
    http: { baseDelayMs: 5, maxDelayMs: 20, attemptTimeoutMs: 400, deadlineMs: 5_000 },
    fetch,
    onUnreadable: (report) => reports.push(report),
  });
  return { client, urls };
};

const server = useFakeServer();

const lastPage = { body: { pedidos: [], pagination: { next_page: null } } };

/** The order as plain JSON (undefined fields dropped), so it compares with an expected file. */
const plain = (order: MainoSalesOrder): Record<string, unknown> => JSON.parse(JSON.stringify(order)) as Record<string, unknown>;

describe('real Mainô payloads through the public API', () => {
  it('lists the real GET /pedidos page field by field as hand-checked, reporting what it cannot read', async () => {
    const expected = fixture<{ page: number; nextPage: number; orders: Array<Record<string, unknown>> }>('pedidos-page.expected.json');
    const reports: UnreadableReport[] = [];
    const { client } = replayClient({ 'pedidos#1': { body: realPage() }, 'pedidos#2': lastPage }, reports);
    const pages = [];
    for await (const page of client.listSalesOrders(COMPANY_A)) pages.push(page);
    expect(pages.map((page) => [page.page, page.nextPage])).toEqual([[1, 2], [2, null]]);
    const orders = pages[0]!.items.map(plain);
    expect(orders).toHaveLength(expected.orders.length);
    for (const [index, want] of expected.orders.entries()) {
      for (const field of Object.keys(want)) expect(orders[index]![field], `order ${index} field ${field}`).toEqual(want[field]);
      expect(Object.keys(orders[index]!).sort(), `order ${index} has no field the expected file lacks`).toEqual(Object.keys(want).sort());
    }
    expect(reports.map((report) => [report.operation, report.issues.length])).toEqual([['list', 3], ['list', 3], ['list', 2], ['list', 3]]);
  });

  for (const name of ['nao-transmitida', 'aceita', 'rejeitada']) {
    it(`reads the real nota_fiscal answer (${name}) field by field`, async () => {
      const expected = fixture<Record<string, unknown>>(`nota-fiscal-${name}.expected.json`);
      const { client, urls } = replayClient({ 'pedidos/2771bca0-54e8-4c1e-b26d-e22ad78ec8bb/nota_fiscal': { body: fixture(`nota-fiscal-${name}.reconstructed.json`) } });
      const invoice = await client.getInvoice(COMPANY_A, '2771bca0-54e8-4c1e-b26d-e22ad78ec8bb');
      expect(urls).toEqual(['/api/v2/pedidos/2771bca0-54e8-4c1e-b26d-e22ad78ec8bb/nota_fiscal']);
      for (const field of Object.keys(expected)) expect((invoice as unknown as Record<string, unknown>)[field], field).toEqual(expected[field]);
    });
  }

  it('the lookup by reference answers "not found" on the real page instead of throwing, naming each unreadable field', async () => {
    const reports: UnreadableReport[] = [];
    const { client } = replayClient({ 'pedidos#1': { body: realPage() }, 'pedidos#2': lastPage }, reports);
    const lookup = await client.lookupSalesOrder(COMPANY_A, 'conecta:tray-1:1042:11222333000181');
    expect(lookup).toMatchObject({ order: null, pagesRead: 2, ordersSeen: 4 });
    expect(lookup.unreadable.map((issue) => issue.path)).toEqual([0, 1, 2, 3].map((index) => `page 1: pedidos[${index}].referencia_externa`));
    expect(lookup.unreadable.every((issue) => issue.message.startsWith('missing'))).toBe(true);
    expect(await client.findSalesOrderByReference(COMPANY_A, 'conecta:tray-1:1042:11222333000181')).toBeNull();
    expect(reports.map((report) => [report.operation, report.subject, report.issues.length])).toEqual([
      ['lookup', 'reference conecta:tray-1:1042:11222333000181 (not found)', 4],
      ['lookup', 'reference conecta:tray-1:1042:11222333000181 (not found)', 4],
    ]);
  });

  it('the lookup finds an order carrying the reference on a real-shaped page, with its unreadable fields reported', async () => {
    const page = realPage();
    // One real order that also carries the assumed reference field: everything else stays as Mainô sent it.
    page.pedidos[2] = { ...page.pedidos[2], referencia_externa: 'ref-real-852' };
    page.pedidos.splice(1, 0, { itens: 'corrompido' }, null as unknown as Record<string, unknown>);
    const { client } = replayClient({ 'pedidos#1': { body: page }, 'pedidos#2': lastPage });
    const lookup = await client.lookupSalesOrder(COMPANY_A, 'ref-real-852');
    expect(lookup.order).toMatchObject({ id: '85e91893-30ad-4bf8-a805-95511694c979', number: '852', externalReference: 'ref-real-852', status: 'open', lines: [] });
    expect(lookup.order!.items).toEqual([{ sku: 'ALL1044', quantityMilli: 4_000, name: undefined, unitPriceCents: undefined }]);
    expect(lookup.unreadable.map((issue) => issue.path)).toEqual([
      'page 1: pedidos[0].referencia_externa',
      'page 1: pedidos[1].referencia_externa',
      'page 1: pedidos[2]',
      'page 1: pedidos[3].referencia_externa',
      'page 1: pedidos[4].itens.0.valor_unitario',
      'page 1: pedidos[4].valor_total',
    ]);
    expect(lookup.ordersSeen).toBe(5);
  });
});

describe('both shapes where the evidence conflicts', () => {
  it('reads numeric ids and codes as text, qtde or quantidade with "." decimals, accented labels, and next_page as a URL', async () => {
    const page = {
      pedidos: [
        { id: 1001, numero: 17, status: 'Pedido Excluído', itens: [{ codigo: 345, qtde: 2, valor_unitario: '19.90' }], valor_total: '39.80' },
        { id: 'b7c1d1a4-8f7e-4c55-9a0a-0d7e7d3c2b11', status: 'Pedido gerado', itens: [{ codigo: 'QUEIJO', quantidade: '1.234', valor_unitario: '50.00' }, { codigo: 'X', quantidade: 'dois' }] },
      ],
      pagination: { next_page: 'https://api.maino.com.br/api/v2/pedidos?page=2&per_page=50' },
    };
    const { client } = replayClient({ 'pedidos#1': { body: page }, 'pedidos#2': lastPage });
    const pages = [];
    for await (const listed of client.listSalesOrders(COMPANY_A)) pages.push(listed);
    expect(pages.map((listed) => listed.nextPage)).toEqual([2, null]);
    const [legacy, real] = pages[0]!.items;
    expect(legacy).toMatchObject({ id: '1001', number: '17', statusLabel: 'Pedido Excluído', status: 'cancelled', totalCents: 3_980, totalSource: 'valor_total', unreadable: [] });
    expect(legacy!.lines).toEqual([{ sku: '345', name: '345', quantityMilli: 2_000, unitPriceCents: 1_990 }]);
    expect(real!.lines).toEqual([{ sku: 'QUEIJO', name: 'QUEIJO', quantityMilli: 1_234, unitPriceCents: 5_000 }]);
    expect(real!.unreadable).toEqual([
      { path: 'page 1: pedidos[1].itens.1.quantidade', message: '"dois" is not a decimal number' },
      { path: 'page 1: pedidos[1].itens.1.valor_unitario', message: 'missing (looked for valor_unitario)' },
      { path: 'page 1: pedidos[1].valor_total', message: 'no total could be read; totalCents sums only the items whose price could be read' },
    ]);
    expect(real!.totalCents).toBe(6_170);
  });
});

describe('the fake serves the real shapes', () => {
  it('keeps its templates equal to the reconstructed fixtures, and writes orders with exactly their keys', async () => {
    expect(REAL_ORDER_TEMPLATE).toEqual(realPage().pedidos[0]);
    expect(REAL_INVOICE_TEMPLATE).toEqual(fixture('nota-fiscal-aceita.reconstructed.json'));
    const fake = server.install({ orderShape: 'bare' });
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    await clientFor().createSalesOrder(COMPANY_A, order('ref-shape'));
    const response = await fake.handle(new Request('https://api.maino.com.br/api/v2/pedidos', { headers: { 'x-api-key': API_KEYS[COMPANY_A] } }));
    const body = (await response.json()) as RealPage;
    expect(Object.keys(body)).toEqual(Object.keys(realPage()));
    expect(Object.keys(body.pedidos[0]!)).toEqual(Object.keys(REAL_ORDER_TEMPLATE));
    expect(body.pedidos[0]).toMatchObject({ numero: '1', status: 'Pedido gerado', itens: [{ codigo: 'CANECA', quantidade: '1.5' }] });
    expect(body.pedidos[0]!['id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('creates at most once on the real shape: after a 504 the lookup finds the stored order among real orders', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    // Every listing also carries the four real orders of the fixture, which the client cannot fully read.
    const mixed: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const response = await fake.handle(request);
      if (request.method !== 'GET' || !/\/pedidos$/.test(new URL(request.url).pathname) || response.status !== 200) return response;
      const body = (await response.json()) as RealPage;
      return new Response(JSON.stringify({ ...body, pedidos: [...realPage().pedidos, ...body.pedidos] }), { headers: { 'content-type': 'application/json' } });
    };
    const reports: UnreadableReport[] = [];
    const client = clientFor({ fetch: mixed, onUnreadable: (report) => reports.push(report) });
    fake.inject({ kind: 'store-then-status', status: 504 });
    const { order: created, reused } = await client.createSalesOrder(COMPANY_A, order('ref-once'), { firstAttempt: true });
    expect(reused).toBe(false);
    expect(fake.countByReference(COMPANY_A, 'ref-once')).toBe(1);
    expect(created).toMatchObject({ externalReference: 'ref-once', statusLabel: 'Pedido gerado', status: 'open', totalCents: 2_985, totalSource: 'parcelas' });
    expect(created.items).toEqual([{ sku: 'CANECA', quantityMilli: 1_500, name: undefined, unitPriceCents: undefined }]);
    expect(fake.requests().filter((entry) => entry.method === 'POST' && entry.url === 'pedidos')).toHaveLength(1);
    const lookup = reports.find((report) => report.operation === 'lookup')!;
    expect(lookup.issues.map((issue) => issue.path)).toEqual([
      ...[0, 1, 2, 3].map((index) => `page 1: pedidos[${index}].referencia_externa`),
      'page 1: pedidos[4].itens.0.valor_unitario',
    ]);
  });

  it('answers with the legacy shape on demand, and the client reads both', async () => {
    const fake = server.install({ orderIdStyle: 'numeric' });
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    const client = clientFor();
    await client.createSalesOrder(COMPANY_A, order('ref-legacy'));
    fake.inject({ kind: 'order-shape', shape: 'legacy' });
    const legacy = await client.findSalesOrderByReference(COMPANY_A, 'ref-legacy');
    const real = await client.findSalesOrderByReference(COMPANY_A, 'ref-legacy');
    expect(legacy).toMatchObject({ id: real!.id, totalCents: 2_985, totalSource: 'valor_total', unreadable: [] });
    expect(legacy!.lines).toEqual([{ sku: 'CANECA', name: 'Caneca', quantityMilli: 1_500, unitPriceCents: 1_990 }]);
    expect(real).toMatchObject({ totalCents: 2_985, totalSource: 'parcelas', lines: [], statusLabel: 'Pedido gerado' });
    expect(real!.id).toMatch(/^\d+$/);
  });

  it('cancels on the real shape: the "Cancelado" label reads as cancelled and a second cancel is a no-op', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    const client = clientFor();
    const { order: created } = await client.createSalesOrder(COMPANY_A, order('ref-cancel'));
    await client.cancelSalesOrder(COMPANY_A, created.id);
    await client.cancelSalesOrder(COMPANY_A, created.id);
    expect(await client.findSalesOrderByReference(COMPANY_A, 'ref-cancel')).toMatchObject({ status: 'cancelled', statusLabel: 'Cancelado' });
    expect(fake.stockOf(COMPANY_A, 'CANECA')?.committedMilli).toBe(0);
  });

  it('serves nota_fiscal per order: 404 (undefined) until there is one, then its state', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'CANECA', qtdeMilli: 10_000 }]);
    const client = clientFor();
    const { order: created } = await client.createSalesOrder(COMPANY_A, order('ref-nf'));
    expect(await client.getInvoice(COMPANY_A, created.id)).toBeUndefined();
    const stored = fake.setInvoice(COMPANY_A, created.id, 'REJEITADA')!;
    expect(await client.getInvoice(COMPANY_A, created.id)).toEqual({
      id: stored.id,
      status: 'REJEITADA',
      state: 'rejected',
      danfeUrl: `https://api.maino.com.br/danfe/${stored.id}/${stored.accessKey}`,
      unreadable: [],
    });
    fake.setInvoice(COMPANY_A, created.id, 'ACEITA');
    expect((await client.getInvoice(COMPANY_A, created.id))?.state).toBe('accepted');
    expect(stored.accessKey).toMatch(/^\d{44}$/);
  });
});

describe('stock: available = qtde - qtde_comprometida - qtde_armazenada', () => {
  it('subtracts committed and stored units, as the help centre defines available', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'QUEIJO-KG', qtdeMilli: 12_500, committedMilli: 2_250, storedMilli: 3_000 }]);
    const product = await clientFor().findProduct(COMPANY_A, 'QUEIJO-KG');
    expect(product).toMatchObject({ availableMilli: 7_250, onHandMilli: 12_500, reservedMilli: { qtde_comprometida: 2_250, qtde_armazenada: 3_000 }, unreadable: [] });
  });

  it('reports a missing field by name and still answers: a missing reserve counts 0, a missing total makes nothing available', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'A', qtdeMilli: 5_000, committedMilli: 1_000, storedMilli: 500 }, { sku: 'B', qtdeMilli: 9_000 }]);
    const reports: UnreadableReport[] = [];
    const client = clientFor({ onUnreadable: (report) => reports.push(report) });
    fake.inject({ kind: 'omit-fields', listKey: 'produtos', fields: ['qtde_armazenada'] });
    fake.inject({ kind: 'omit-fields', listKey: 'produtos', fields: ['qtde'] });
    const stock = await client.getStock(COMPANY_A, ['A', 'B']);
    expect(Object.fromEntries(stock)).toEqual({ A: 4_000, B: 0 });
    expect(reports.map((report) => [report.operation, report.subject, report.issues])).toEqual([
      ['stock', 'product A', [{ path: 'page 1: produtos[0].qtde_armazenada', message: 'missing: taken as 0' }]],
      ['stock', 'product B', [{ path: 'page 1: produtos[0].qtde', message: 'missing: nothing is taken as available' }]],
    ]);
  });

  it('a product whose code cannot be read is skipped and reported, not silently absent', async () => {
    const reports: UnreadableReport[] = [];
    const page = { produtos: [{ id: 7, codigo: { valor: 'CANECA' }, qtde: 3 }, { id: 8, codigo: 'CANECA', qtde: '3.0', qtde_comprometida: '1.0', qtde_armazenada: 0 }], pagination: {} };
    const { client } = replayClient({ 'produtos#1': { body: page } }, reports);
    expect(await client.findProduct(COMPANY_A, 'CANECA')).toMatchObject({ id: '8', availableMilli: 2_000, unreadable: [] });
    expect(await client.findProduct(COMPANY_A, 'PRATO')).toBeNull();
    expect(reports.map((report) => [report.subject, report.issues.map((issue) => issue.path)])).toEqual([
      ['product CANECA', ['page 1: produtos[0].codigo']],
      ['product PRATO (not found)', ['page 1: produtos[0].codigo']],
    ]);
  });

  it('follows the endpoint table when it says otherwise (one overridable row)', async () => {
    const fake = server.install();
    fake.addProducts(COMPANY_A, [{ sku: 'A', qtdeMilli: 5_000, committedMilli: 1_000, storedMilli: 500 }]);
    const client = clientFor({ endpoints: { products: { reservedFields: ['qtde_comprometida'] } } });
    expect((await client.findProduct(COMPANY_A, 'A'))?.availableMilli).toBe(4_000);
    expect(client.endpoints.products).toMatchObject({ ...DEFAULT_MAINO_ENDPOINTS.products, reservedFields: ['qtde_comprometida'] });
  });
});

describe('endpoint table', () => {
  it('names a source for every row that is not assumed, and keeps POST /pedidos assumed', () => {
    for (const [name, row] of Object.entries(DEFAULT_MAINO_ENDPOINTS)) {
      if (row.confidence !== 'assumed') expect(row.sources.length, `${name} has a source`).toBeGreaterThan(0);
    }
    expect(DEFAULT_MAINO_ENDPOINTS.createOrder.confidence).toBe('assumed');
    expect(DEFAULT_MAINO_ENDPOINTS.orders).toMatchObject({ confidence: 'observed', quantityFields: ['quantidade', 'qtde'] });
    expect(DEFAULT_MAINO_ENDPOINTS.invoice).toMatchObject({ path: 'pedidos/{id}/nota_fiscal', confidence: 'observed' });
  });
});

function order(reference: string) {
  return {
    externalReference: reference,
    tag: 'Tray',
    orderNumber: '1042',
    customer: { name: 'Maria da Silva', document: '52998224725' },
    lines: [{ sku: 'CANECA', name: 'Caneca', quantityMilli: 1_500, unitPriceCents: 1_990 }],
    issuedAt: '2024-05-01T14:30:00Z',
  };
}
