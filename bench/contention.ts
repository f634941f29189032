// Contention: 4 worker processes (child_process.fork of this bundled file) share one PostgreSQL store and one Mainô
// fake, processing orders that compete for 50 scarce SKUs. Figures: orders/s and oversell, the sum over company x
// SKU of max(0, done movement quantities - the company's stock); it must be 0.
//
// Run: bash .ci/services.sh && set -a && . .ci/env && set +a && node bench/run-ts.mjs bench/contention.ts [--full] [--orders=1000]
// Default 1,000 orders; --full runs 5,000. Without CONECTA_PG_URL (or .ci/env) or a reachable server, it says so and skips.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { CompanyGroupSchema, IntegrationSchema, createPipeline, createRunner, type PlatformOrder } from '@conecta/core';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import { createMainoClient } from '@conecta/maino-client';
import { createPostgresStore } from '@conecta/store-postgres';
import { arg, flag, fmt, forkChild, serveParent, verdict } from './lib.js';

const ORDERS = flag('full') ? 5000 : Number(arg('orders', '1000'));
const WORKERS = Number(arg('workers', '4'));
const CONCURRENCY = Number(arg('concurrency', '8'));
const LATENCY = Number(arg('latency', '2'));
const SKU_COUNT = 50;
const GENEROUS = { requests: 100_000, intervalMs: 1000, burst: 1000, source: 'bench: generous' };
const COMPANIES = [
  { cnpj: '11222333000181', name: 'Matriz', priority: 1, key: 'bench-key-matriz' },
  { cnpj: '45723174000110', name: 'Filial', priority: 2, key: 'bench-key-filial' },
];

interface Setup {
  url: string;
  schema: string;
  woo: { url: string; consumerKey: string; consumerSecret: string };
  mainoBaseUrl: string;
}

function build(setup: Setup, maxConnections: number) {
  return (async () => {
    const store = await createPostgresStore({ connectionString: setup.url, schema: setup.schema, maxConnections });
    const connector = createWooCommerceConnector({ storeUrl: setup.woo.url, consumerKey: setup.woo.consumerKey, consumerSecret: setup.woo.consumerSecret, allowInsecureHttp: true, rateLimit: GENEROUS });
    const erp = createMainoClient({
      baseUrl: setup.mainoBaseUrl,
      group: { cnpjs: COMPANIES.map((company) => company.cnpj) },
      auth: { kind: 'api-key', keys: Object.fromEntries(COMPANIES.map((company) => [company.cnpj, company.key])) },
      rateLimit: GENEROUS,
    });
    const group = CompanyGroupSchema.parse({
      id: 'grupo',
      name: 'Grupo',
      companies: COMPANIES.map(({ cnpj, name, priority }) => ({ cnpj, name, priority })),
      allocation: { strategy: 'priority-greedy', shortfall: 'all-or-nothing' },
    });
    const integration = IntegrationSchema.parse({ id: 'woo', platform: 'woocommerce', name: 'Loja', groupId: 'grupo', mode: 'automatic', statusDictionary: connector.defaultStatusDictionary });
    const pipeline = createPipeline({ store, erp, groups: [group], integrations: [{ integration, connector }] });
    return { store, pipeline };
  })();
}

/** Fixed-seed PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeOrders(count: number): PlatformOrder[] {
  const random = prng(42);
  const base = Date.UTC(2024, 4, 1, 12);
  return Array.from({ length: count }, (_, index) => {
    const skus = new Set<string>();
    const lineCount = 1 + Math.floor(random() * 3);
    while (skus.size < lineCount) skus.add(`SKU-${String(Math.floor(random() * SKU_COUNT)).padStart(2, '0')}`);
    const lines = [...skus].map((sku) => ({ sku, name: `Produto ${sku}`, quantityMilli: (1 + Math.floor(random() * 3)) * 1000, unitPriceCents: 1990 }));
    const itemsCents = lines.reduce((sum, line) => sum + (line.quantityMilli / 1000) * line.unitPriceCents, 0);
    const at = new Date(base + index * 1000).toISOString();
    return {
      externalId: String(10_000 + index),
      number: String(10_000 + index),
      status: 'processing',
      customer: { name: 'Cliente Bench' },
      lines,
      totals: { itemsCents, shippingCents: 0, discountCents: 0, totalCents: itemsCents },
      createdAt: at,
      updatedAt: at,
      raw: { id: 10_000 + index },
    };
  });
}

if (flag('worker')) {
  let built: Awaited<ReturnType<typeof build>> | undefined;
  serveParent(async (message) => {
    if (message['type'] === 'setup') {
      built = await build(message['setup'] as Setup, CONCURRENCY + 2);
      return {};
    }
    if (message['type'] === 'go') {
      const { store, pipeline } = built!;
      let processedErrors = 0;
      pipeline.events.on('poll-error', () => {
        processedErrors += 1;
      });
      const outcomes = new Map<string, number>();
      pipeline.events.on('order-processed', (event) => {
        outcomes.set(event.outcome, (outcomes.get(event.outcome) ?? 0) + 1);
      });
      const runner = createRunner(pipeline, { concurrency: CONCURRENCY, workerId: `bench-${process.pid}` });
      const start = performance.now();
      await runner.drain();
      const ms = performance.now() - start;
      await store.close();
      return { ms, outcomes: Object.fromEntries(outcomes), errors: processedErrors };
    }
    throw new Error(`unknown message ${String(message['type'])}`);
  });
} else {
  await main();
}

function pgUrl(): string | undefined {
  if (process.env['CONECTA_PG_URL']) return process.env['CONECTA_PG_URL'];
  try {
    return /^CONECTA_PG_URL=(.+)$/m.exec(readFileSync(new URL('../../../.ci/env', import.meta.url), 'utf8'))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  console.log(`contention bench: node ${process.version}, ${WORKERS} worker processes x concurrency ${CONCURRENCY}, ${fmt(ORDERS)} orders on ${SKU_COUNT} scarce SKUs, 2 companies, Mainô fake at ${LATENCY} ms`);
  const url = pgUrl();
  if (!url) {
    console.log('  SKIPPED: PostgreSQL is not available (no CONECTA_PG_URL and no .ci/env; run `bash .ci/services.sh` first)');
    return;
  }
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`  SKIPPED: PostgreSQL at ${url.replace(/:[^:@/]+@/, ':***@')} is not reachable (${error instanceof Error ? error.message : String(error)}); run \`bash .ci/services.sh\``);
    return;
  }
  const schema = `bench_contention_${process.pid}`;
  const host = await forkChild('bench/fake-host.ts');
  const workers: Awaited<ReturnType<typeof forkChild>>[] = [];
  try {
    await host.next('ready');
    const orders = makeOrders(ORDERS);
    // Scarce: each company holds about a quarter of the demand for each SKU, so about half the orders can be served.
    const demand = new Map<string, number>();
    for (const order of orders) for (const line of order.lines) demand.set(line.sku, (demand.get(line.sku) ?? 0) + line.quantityMilli);
    const stock = new Map<string, number>();
    const products = COMPANIES.flatMap((company) =>
      [...demand].map(([sku, milli]) => {
        const qtdeMilli = Math.floor((milli * 0.25) / 1000) * 1000;
        stock.set(`${company.cnpj}|${sku}`, qtdeMilli);
        return { cnpj: company.cnpj, sku, qtdeMilli };
      }),
    );
    const maino = await host.call<{ url: string; baseUrl: string }>({ type: 'maino', latencyMs: LATENCY, companies: COMPANIES, products });
    const woo = await host.call<Setup['woo']>({ type: 'woo', latencyMs: 0, orders: 0 });
    const setup: Setup = { url, schema, woo, mainoBaseUrl: maino.baseUrl };

    const { store, pipeline } = await build(setup, 4);
    for (let index = 0; index < orders.length; index += 500) await pipeline.ingest('woo', orders.slice(index, index + 500));
    await store.close();

    for (let index = 0; index < WORKERS; index += 1) workers.push(await forkChild('bench/contention.ts', ['--worker', `--concurrency=${CONCURRENCY}`]));
    await Promise.all(workers.map((worker) => worker.call({ type: 'setup', setup })));
    const start = performance.now();
    const results = await Promise.all(workers.map((worker) => worker.call<{ ms: number; outcomes: Record<string, number>; errors: number }>({ type: 'go' })));
    const ms = performance.now() - start;

    const done = await admin.query<{ company_cnpj: string; sku: string; total: string }>(
      `SELECT company_cnpj, sku, sum(quantity_milli) AS total FROM "${schema}".movements WHERE state = 'done' GROUP BY company_cnpj, sku`,
    );
    let oversellMilli = 0;
    let doneMilli = 0;
    for (const row of done.rows) {
      const total = Number(row.total);
      doneMilli += total;
      oversellMilli += Math.max(0, total - (stock.get(`${row.company_cnpj}|${row.sku}`) ?? 0));
    }
    const states = await admin.query<{ state: string; count: string }>(`SELECT state, count(*) AS count FROM "${schema}".movements GROUP BY state ORDER BY state`);
    const remaining = await admin.query<{ count: string }>(`SELECT count(*) AS count FROM "${schema}".orders WHERE work_pending`);
    const committed = await host.call<{ byCompany: Record<string, { orders: number; committed: Record<string, number> }> }>({
      type: 'maino-orders',
      url: maino.url,
      cnpjs: COMPANIES.map((company) => company.cnpj),
    });
    let erpOversell = 0;
    for (const [cnpj, company] of Object.entries(committed.byCompany)) {
      for (const [sku, milli] of Object.entries(company.committed)) erpOversell += Math.max(0, milli - (stock.get(`${cnpj}|${sku}`) ?? 0));
    }
    const outcomes: Record<string, number> = {};
    for (const result of results) for (const [outcome, count] of Object.entries(result.outcomes)) outcomes[outcome] = (outcomes[outcome] ?? 0) + count;
    const processed = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
    console.log(
      `  ${fmt(ORDERS)} orders in ${fmt(ms)} ms: ${fmt((ORDERS / ms) * 1000)} orders/s over ${WORKERS} workers ` +
        `(per worker: ${results.map((result) => `${fmt(Object.values(result.outcomes).reduce((sum, count) => sum + count, 0))} in ${fmt(result.ms)} ms`).join(', ')})`,
    );
    console.log(
      `  outcomes: ${Object.entries(outcomes).map(([outcome, count]) => `${outcome} ${fmt(count)}`).join(', ')} (${fmt(processed)} processed, ${remaining.rows[0]!.count} left pending); ` +
        `movements: ${states.rows.map((row) => `${row.state} ${row.count}`).join(', ')}`,
    );
    console.log(
      `  oversell: ${fmt(oversellMilli / 1000)} units (done movements ${fmt(doneMilli / 1000)} units against the stock; Mainô fake's committed stock over stock: ${fmt(erpOversell / 1000)} units), ` +
        `${verdict(oversellMilli === 0 && erpOversell === 0)} the requirement of 0`,
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.kill()));
    await host.kill();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
  }
}
