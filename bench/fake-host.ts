// Child process that serves platform fakes on local ports, so the fakes' CPU and memory stay out of the measured
// process. Driven over IPC by bench/lib.ts forkChild: each message `{ id, type, ... }` gets one answer.
import { serveHandler } from '@conecta/core/testing';
import { createWooCommerceFake, type WooCommerceFake } from '@conecta/connector-woocommerce/fake';
import { createMainoFake, type MainoFake } from '@conecta/maino-client/fake';
import { serveParent, withLatency } from './lib.js';

const servers: Array<{ close: () => Promise<void> }> = [];
const woos = new Map<string, WooCommerceFake>();
const mainos = new Map<string, MainoFake>();
const traces = new Map<string, Array<{ sent: number; received: number; status: number; key: string }>>();

serveParent(async (message) => {
  switch (message['type']) {
    case 'woo': {
      // The fake's own latency option: every answer waits `latencyMs` first.
      let fake: WooCommerceFake | undefined;
      const server = await serveHandler((request) => fake!.handle(request));
      servers.push(server);
      fake = createWooCommerceFake({ baseUrl: server.url, latencyMs: Number(message['latencyMs'] ?? 0) });
      const count = Number(message['orders'] ?? 0);
      // Seeded in chunks so a large store does not build one huge id array.
      for (let done = 0; done < count; done += 10_000) fake.seedOrders(Math.min(10_000, count - done), { status: 'processing' });
      woos.set(server.url, fake);
      return { url: server.url, consumerKey: fake.consumerKey, consumerSecret: fake.consumerSecret, rss: process.memoryUsage.rss() };
    }
    case 'maino': {
      let fake: MainoFake | undefined;
      const latency = Number(message['latencyMs'] ?? 0);
      const sends: Array<{ sent: number; received: number; status: number; key: string }> = [];
      // A client tracing its sends stamps each request with when it handed it to fetch (same machine, same clock).
      const server = await serveHandler(
        withLatency(latency, async (request) => {
          const sent = request.headers.get('x-bench-sent');
          const received = Date.now();
          const response = await fake!.handle(request);
          if (sent) sends.push({ sent: Number(sent), received, status: response.status, key: request.headers.get('x-api-key') ?? '' });
          return response;
        }),
      );
      traces.set(server.url, sends);
      servers.push(server);
      fake = createMainoFake({
        baseUrl: `${server.url}/api/v2`,
        ...(message['rateLimit'] ? { rateLimit: message['rateLimit'] as { requests: number; intervalMs: number } } : {}),
        ...(message['refuseOversell'] ? { refuseOversell: true } : {}),
      });
      const companies = message['companies'] as Array<{ cnpj: string; name: string; key: string }>;
      for (const company of companies) {
        fake.addCompany(company.cnpj, company.name);
        fake.addApiKey(company.cnpj, company.key);
      }
      for (const product of message['products'] as Array<{ cnpj: string; sku: string; qtdeMilli: number }>) {
        fake.addProducts(product.cnpj, [{ sku: product.sku, name: `Produto ${product.sku}`, qtdeMilli: product.qtdeMilli }]);
      }
      mainos.set(server.url, fake);
      return { url: server.url, baseUrl: `${server.url}/api/v2` };
    }
    case 'json': {
      // A small JSON answer (a Mainô product lookup's size) after `latencyMs`, for the HTTP transport bench.
      const body = JSON.stringify({ produtos: [{ id: 1, codigo: 'SKU-1', descricao: 'Produto', estoque: { quantidade: '10.000' } }], meta: { page: 1, total: 1 } });
      const server = await serveHandler(withLatency(Number(message['latencyMs'] ?? 0), () => new Response(body, { headers: { 'content-type': 'application/json' } })));
      servers.push(server);
      return { url: server.url };
    }
    case 'maino-orders': {
      const fake = mainos.get(String(message['url']))!;
      const cnpjs = message['cnpjs'] as string[];
      const byCompany: Record<string, { orders: number; references: number; committed: Record<string, number> }> = {};
      for (const cnpj of cnpjs) {
        const orders = fake.orders(cnpj);
        const committed: Record<string, number> = {};
        for (const order of orders) {
          if (order.status === 'cancelado') continue;
          for (const item of order.itens) committed[item.codigo] = (committed[item.codigo] ?? 0) + item.qtdeMilli;
        }
        byCompany[cnpj] = { orders: orders.length, references: new Set(orders.map((order) => order.referencia_externa)).size, committed };
      }
      // Requests by endpoint (ids and query strings left out), and how many the fake's rate limit answered 429.
      const byEndpoint: Record<string, number> = {};
      for (const entry of fake.requests()) {
        const path = entry.url.split('?')[0]!.replace(/\/[0-9a-f-]{8,}(?=\/|$)/gi, '/{id}').replace(/\/\d+(?=\/|$)/g, '/{id}');
        const key = `${entry.method} ${path}${entry.status === 429 ? ' (429)' : ''}`;
        byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
      }
      // Requests each company's credential got answered (429s left out): what its limit had to carry.
      const answeredByCompany: Record<string, number> = {};
      for (const entry of fake.requests()) if (entry.cnpj && entry.status !== 429) answeredByCompany[entry.cnpj] = (answeredByCompany[entry.cnpj] ?? 0) + 1;
      return { byCompany, requests: fake.requests().length, byEndpoint, rateLimited: fake.rateLimited(), answeredByCompany };
    }
    case 'maino-log': {
      // When each request reached the fake (its clock), per company, and whether the fake's rate limit refused it.
      const fake = mainos.get(String(message['url']))!;
      return { log: fake.requests().map((entry) => ({ at: entry.at, cnpj: entry.cnpj, status: entry.status })), sends: traces.get(String(message['url'])) ?? [] };
    }
    case 'maino-set-stock': {
      // Stock changed in Mainô behind the SDK's back (a sale at the counter, a purchase entered by hand).
      const fake = mainos.get(String(message['url']))!;
      for (const change of message['changes'] as Array<{ cnpj: string; sku: string; qtdeMilli: number }>) fake.setStock(change.cnpj, change.sku, { qtdeMilli: change.qtdeMilli });
      return {};
    }
    case 'maino-counter-sales': {
      // Sales made in Mainô itself (at the counter), which the SDK does not see: on-hand stock drops by 1-3 units,
      // never below what open orders hold.
      const fake = mainos.get(String(message['url']))!;
      const products = message['products'] as Array<{ cnpj: string; sku: string }>;
      let soldMilli = 0;
      for (let index = 0; index < Number(message['count'] ?? 1); index += 1) {
        const { cnpj, sku } = products[Math.floor(Math.random() * products.length)]!;
        const stock = fake.stockOf(cnpj, sku);
        if (!stock) continue;
        const floor = stock.committedMilli + stock.storedMilli;
        const next = Math.max(floor, stock.qtdeMilli - (1 + Math.floor(Math.random() * 3)) * 1000);
        soldMilli += stock.qtdeMilli - next;
        fake.setStock(cnpj, sku, { qtdeMilli: next });
      }
      return { soldMilli };
    }
    case 'maino-stock': {
      const fake = mainos.get(String(message['url']))!;
      const out: Array<{ cnpj: string; sku: string; qtdeMilli: number; committedMilli: number; storedMilli: number }> = [];
      for (const { cnpj, sku } of message['products'] as Array<{ cnpj: string; sku: string }>) {
        const stock = fake.stockOf(cnpj, sku);
        if (stock) out.push({ cnpj, sku, ...stock });
      }
      return { stock: out };
    }
    case 'woo-expected': {
      const fake = woos.get(String(message['url']))!;
      return { order: fake.expectedOrder(String(message['externalId'])) };
    }
    case 'rss':
      return { rss: process.memoryUsage.rss(), cpu: process.cpuUsage() };
    case 'close-all': {
      await Promise.all(servers.splice(0).map((server) => server.close()));
      woos.clear();
      mainos.clear();
      return {};
    }
    default:
      throw new Error(`fake-host: unknown message ${String(message['type'])}`);
  }
});
process.send?.({ type: 'ready' });
