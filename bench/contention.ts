// Contention: 4 worker processes (child_process.fork of this bundled file) share one PostgreSQL store and one Mainô
// fake, processing orders that compete for 50 scarce SKUs, while sales made in Mainô itself (behind the SDK's back)
// lower the stock during the run. The fake refuses an order it cannot cover, as Mainô does. Figures: orders/s,
// oversell (Mainô's committed stock over its final on-hand stock, summed over company x SKU; it must be 0) and the
// refusals, each of which must have gone back to allocation (no refused order left with movements half-way).
//
// Run: bash .ci/services.sh && set -a && . .ci/env && set +a && node bench/run-ts.mjs bench/contention.ts [--full] [--orders=1000]
// Default 1,000 orders; --full runs 5,000. Without CONECTA_PG_URL (or .ci/env) or a reachable server, it says so and skips.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { allocate, companiesByPriority, createRunner, type PlatformOrder } from '@conecta/core';
import { createPostgresStore } from '@conecta/store-postgres';
import { BENCH_COMPANIES, arg, benchPipeline, flag, fmt, forkChild, serveParent, startFakes, verdict, type WooEndpoint } from './lib.js';
import { mulberry32 } from '../tests/support/prng.js';

const ORDERS = flag('full') ? 5000 : Number(arg('orders', '1000'));
const WORKERS = Number(arg('workers', '4'));
const CONCURRENCY = Number(arg('concurrency', '8'));
const LATENCY = Number(arg('latency', '2'));
const SKU_COUNT = 50;
const COMPANIES = BENCH_COMPANIES.slice(0, 2);

interface Setup {
  url: string;
  schema: string;
  woo: WooEndpoint;
  mainoBaseUrl: string;
}

function build(setup: Setup, maxConnections: number) {
  return (async () => {
    const store = await createPostgresStore({ connectionString: setup.url, schema: setup.schema, maxConnections });
    const { pipeline, group } = benchPipeline({ store, woo: setup.woo, mainoBaseUrl: setup.mainoBaseUrl, companies: COMPANIES, integrationName: 'Loja' });
    return { store, pipeline, group };
  })();
}

function makeOrders(count: number): PlatformOrder[] {
  const random = mulberry32(42);
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
      warnings: [],
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
      let refusals = 0;
      pipeline.events.on('stock-refused', () => {
        refusals += 1;
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
      return { ms, outcomes: Object.fromEntries(outcomes), errors: processedErrors, refusals };
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
    const { woo, maino } = await startFakes(host, { orders: 0, latencyMs: LATENCY, wooLatencyMs: 0, companies: COMPANIES, products, refuseOversell: true });
    const setup: Setup = { url, schema, woo, mainoBaseUrl: maino.baseUrl };

    const { store, pipeline, group } = await build(setup, 4);
    for (let index = 0; index < orders.length; index += 500) await pipeline.ingest('woo', orders.slice(index, index + 500));
    await store.close();

    for (let index = 0; index < WORKERS; index += 1) workers.push(await forkChild('bench/contention.ts', ['--worker', `--concurrency=${CONCURRENCY}`]));
    await Promise.all(workers.map((worker) => worker.call({ type: 'setup', setup })));
    const start = performance.now();
    let running = true;
    let counterSoldMilli = 0;
    // Counter sales every 50 ms while the workers run: their snapshots (30 s) do not see them.
    const counter = (async () => {
      while (running) {
        const sold = await host.call<{ soldMilli: number }>({ type: 'maino-counter-sales', url: maino.url, products: products.map(({ cnpj, sku }) => ({ cnpj, sku })), count: 2 });
        counterSoldMilli += sold.soldMilli;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const results = await Promise.all(workers.map((worker) => worker.call<{ ms: number; outcomes: Record<string, number>; errors: number; refusals: number }>({ type: 'go' })));
    const ms = performance.now() - start;
    running = false;
    await counter;

    const states = await admin.query<{ state: string; count: string }>(`SELECT state, count(*) AS count FROM "${schema}".movements GROUP BY state ORDER BY state`);
    const remaining = await admin.query<{ count: string }>(`SELECT count(*) AS count FROM "${schema}".orders WHERE work_pending`);
    // Oversell against Mainô's own final figures: counter sales moved the on-hand stock during the run.
    const final = await host.call<{ stock: Array<{ cnpj: string; sku: string; qtdeMilli: number; committedMilli: number; storedMilli: number }> }>({
      type: 'maino-stock',
      url: maino.url,
      products: products.map(({ cnpj, sku }) => ({ cnpj, sku })),
    });
    const erpOversell = final.stock.reduce((sum, product) => sum + Math.max(0, product.committedMilli + product.storedMilli - product.qtdeMilli), 0);
    // Every refused order went back to allocation: none is left with the refused lines half-way.
    const refused = await admin.query<{ order_id: string; open: string; done: string }>(
      `SELECT order_id, count(*) FILTER (WHERE state IN ('created', 'synced', 'failed')) AS open, count(*) FILTER (WHERE state = 'done') AS done
       FROM "${schema}".movements WHERE order_id IN (SELECT order_id FROM "${schema}".movements WHERE audit::text LIKE '%stock-refused%') GROUP BY order_id`,
    );
    const refusedOpen = refused.rows.filter((row) => Number(row.open) > 0).length;
    const refusedDone = refused.rows.filter((row) => Number(row.open) === 0 && Number(row.done) > 0).length;
    // Held orders (no live movement) that Mainô's final free stock would cover: stock that a refusal or a release
    // gave back while they waited. Counter sales only lower stock, so an order held on fresh figures stays uncovered.
    const live = new Set((await admin.query<{ order_id: string }>(`SELECT DISTINCT order_id FROM "${schema}".movements WHERE state <> 'cancelled'`)).rows.map((row) => row.order_id));
    const free: Record<string, Record<string, number>> = {};
    for (const product of final.stock) (free[product.cnpj] ??= {})[product.sku] = product.qtdeMilli - product.committedMilli - product.storedMilli;
    const held = orders.filter((order) => !live.has(`woo:${order.externalId}`));
    const coverable = held.filter((order) => allocate(order, free, { companies: companiesByPriority(group), ...group.allocation }).complete);
    const refusals = results.reduce((sum, result) => sum + result.refusals, 0);
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
      `  counter sales behind the SDK's back: ${fmt(counterSoldMilli / 1000)} units; Mainô refused ${fmt(refusals)} creates for lack of stock (${fmt(refused.rows.length)} orders): ` +
        `${fmt(refusedDone)} re-allocated and done, ${fmt(refused.rows.length - refusedDone - refusedOpen)} held on the fresh figures, ${fmt(refusedOpen)} left half-way (${verdict(refusedOpen === 0)} every refusal re-allocated)`,
    );
    console.log(`  held orders: ${fmt(held.length)}, of which Mainô's final free stock covers ${fmt(coverable.length)} (runner.drain() does not retry held orders; a running worker does, on heldRetryMs)`);
    console.log(`  oversell: ${fmt(erpOversell / 1000)} units (Mainô's committed stock over its final on-hand stock), ${verdict(erpOversell === 0)} the requirement of 0`);
  } finally {
    await Promise.all(workers.map((worker) => worker.kill()));
    await host.kill();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await admin.end();
  }
}
