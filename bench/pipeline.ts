// Pipeline end to end: orders imported from the WooCommerce fake, allocated over three companies, synced and created
// in the Mainô fake, on the SQLite store (temp file), at N and 4N orders. Figures: orders/s (goal >= 300 on the
// 2-core machine) and the cost ratio time(4N) / time(N) (goal <= 4.4).
//
// Run: node bench/run-ts.mjs bench/pipeline.ts [--n=300] [--concurrency=16] [--latency=2] [--warm-up=300,1200] [--freshness=30000]
//
// Both fakes run in their own process (bench/fake-host.ts) with 2 ms added per request (WooCommerce through its
// `latencyMs`, Mainô by wrapping its handler). The Mainô client is the real one with a generous rate limit for the
// bench (its shipped default is 2 requests/s per company token), and so is the connector's (default 10/s).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompanyGroupSchema, IntegrationSchema, createPipeline, createRunner } from '@conecta/core';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import { createMainoClient } from '@conecta/maino-client';
import { createSqliteStore } from '@conecta/store-sqlite';
import { arg, fmt, forkChild, verdict, type Child } from './lib.js';

const N = Number(arg('n', '300'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const LATENCY = Number(arg('latency', '2'));
const WARM_UP = arg('warm-up', `${N},${4 * N}`).split(',').map(Number).filter((orders) => orders > 0);
// Default 30 s, the pipeline's own default; 0 reads Mainô for every stock check (the behaviour before snapshots).
const FRESHNESS = Number(arg('freshness', '30000'));
const GENEROUS = { requests: 100_000, intervalMs: 1000, burst: 1000, source: 'bench: generous' };

const COMPANIES = [
  { cnpj: '11222333000181', name: 'Matriz', priority: 1, key: 'bench-key-matriz' },
  { cnpj: '45723174000110', name: 'Filial', priority: 2, key: 'bench-key-filial' },
  { cnpj: '19131243000197', name: 'CD', priority: 3, key: 'bench-key-cd' },
];
// The fake's catalogue: WOO-0..3 on one line, WOO-VAR-1..3 on a second line of three orders in four.
const SKUS = ['WOO-0', 'WOO-1', 'WOO-2', 'WOO-3', 'WOO-VAR-1', 'WOO-VAR-2', 'WOO-VAR-3'];

async function runOnce(host: Child, orders: number) {
  const woo = await host.call<{ url: string; consumerKey: string; consumerSecret: string }>({ type: 'woo', latencyMs: LATENCY, orders });
  // The head company carries the simple products and the second the variations, so most orders split in two.
  const products = COMPANIES.flatMap((company, index) =>
    SKUS.filter((sku) => (index === 0 ? !sku.includes('VAR') : true)).map((sku) => ({ cnpj: company.cnpj, sku, qtdeMilli: 1_000_000_000 })),
  );
  const maino = await host.call<{ url: string; baseUrl: string }>({ type: 'maino', latencyMs: LATENCY, companies: COMPANIES, products });

  const dir = mkdtempSync(join(tmpdir(), 'conecta-bench-'));
  const store = createSqliteStore({ filename: join(dir, 'bench.db') });
  const connector = createWooCommerceConnector({
    storeUrl: woo.url,
    consumerKey: woo.consumerKey,
    consumerSecret: woo.consumerSecret,
    allowInsecureHttp: true,
    rateLimit: GENEROUS,
  });
  const erp = createMainoClient({
    baseUrl: maino.baseUrl,
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
  const integration = IntegrationSchema.parse({
    id: 'woo',
    platform: 'woocommerce',
    name: 'Loja WooCommerce',
    groupId: 'grupo',
    mode: 'automatic',
    statusDictionary: connector.defaultStatusDictionary,
  });
  const pipeline = createPipeline({ store, erp, groups: [group], integrations: [{ integration, connector }], stockFreshnessMs: FRESHNESS });
  let errors = 0;
  pipeline.events.on('poll-error', () => {
    errors += 1;
  });
  const runner = createRunner(pipeline, { concurrency: CONCURRENCY });
  const hostBefore = await host.call<{ cpu: NodeJS.CpuUsage }>({ type: 'rss' });
  const cpu = process.cpuUsage();
  const start = performance.now();
  await runner.drain();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const hostAfter = await host.call<{ cpu: NodeJS.CpuUsage }>({ type: 'rss' });
  const hostCpuMs = (hostAfter.cpu.user + hostAfter.cpu.system - hostBefore.cpu.user - hostBefore.cpu.system) / 1000;
  const summary = await pipeline.summary('woo');
  const created = await host.call<{ byCompany: Record<string, { orders: number; references: number }>; requests: number; byEndpoint: Record<string, number> }>({
    type: 'maino-orders',
    url: maino.url,
    cnpjs: COMPANIES.map((company) => company.cnpj),
  });
  const done = store.database.prepare(`SELECT count(DISTINCT order_id) AS orders, count(*) AS movements FROM movements WHERE state = 'done'`).get() as {
    orders: number;
    movements: number;
  };
  // When a run is incomplete, say where the missing orders stopped: that is a bug to find, not a figure to print.
  const stuck = store.database
    .prepare(`SELECT o.external_id, o.intake_state, o.status, o.movements_created, o.movements_synced, o.movements_failed, o.unmatched_lines,
        (SELECT failure FROM movements m WHERE m.order_id = o.id AND m.failure IS NOT NULL LIMIT 1) AS failure
      FROM orders o WHERE o.movements_done = 0 LIMIT 3`)
    .all();
  const quarantined = store.database.prepare(`SELECT count(*) AS n, min(path || ': ' || message) AS error FROM quarantine`).get() as { n: number; error: string | null };
  const erpOrders = Object.values(created.byCompany).reduce((sum, company) => sum + company.orders, 0);
  const erpReferences = Object.values(created.byCompany).reduce((sum, company) => sum + company.references, 0);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  await host.call({ type: 'close-all' });
  return { ms, cpuMs: (used.user + used.system) / 1000, hostCpuMs, mainoRequests: created.requests, byEndpoint: created.byEndpoint, imported: summary.all, doneOrders: done.orders, erpOrders, erpReferences, errors, stuck, quarantined };
}

console.log(`pipeline bench: node ${process.version}, SQLite store (temp file), WooCommerce + Mainô fakes at ${LATENCY} ms on local ports (own process), runner.drain() concurrency ${CONCURRENCY}, automatic mode, 3 companies, stockFreshnessMs ${FRESHNESS}`);
const host = await forkChild('bench/fake-host.ts');
try {
  await host.next('ready');
  // Unmeasured runs first, so N is not charged for module start-up and JIT compilation: the figure is a running
  // service's. The process keeps getting faster for its first thousand orders or so (V8 tiers code up as it runs),
  // so by default the warm-up is one N run and one 4N run; their figures are printed too.
  for (const orders of WARM_UP) {
    const warm = await runOnce(host, orders);
    console.log(`  (warm-up run of ${fmt(orders)} orders: ${fmt(warm.ms)} ms, ${fmt((orders / warm.ms) * 1000)} orders/s, not counted)`);
  }
  const results = [];
  for (const orders of [N, 4 * N]) {
    const result = await runOnce(host, orders);
    results.push(result);
    const complete = result.doneOrders === orders && result.erpOrders === result.erpReferences && result.errors === 0;
    console.log(
      `  ${fmt(orders)} orders: ${fmt(result.ms)} ms, ${fmt((orders / result.ms) * 1000)} orders/s (CPU: this process ${fmt(result.cpuMs)} ms, fake host ${fmt(result.hostCpuMs)} ms); ` +
        `${fmt(result.doneOrders)} done, ${fmt(result.erpOrders)} Mainô orders${complete ? '' : ` (INCOMPLETE or duplicated: imported ${result.imported}, errors ${result.errors}, distinct references ${result.erpReferences})`}`,
    );
    const perErpOrder = result.mainoRequests / result.erpOrders;
    console.log(
      `    Mainô requests: ${fmt(result.mainoRequests)} = ${perErpOrder.toFixed(3)} per Mainô order created (${verdict(perErpOrder <= 1.15)} the goal of <= 1.15), ` +
        `${(result.mainoRequests / orders).toFixed(3)} per store order; by endpoint: ${Object.entries(result.byEndpoint)
          .sort((a, b) => b[1] - a[1])
          .map(([endpoint, count]) => `${endpoint} ${fmt(count)}`)
          .join(', ')}`,
    );
    if (!complete) console.log(`    not done (first 3): ${JSON.stringify(result.stuck)}; quarantined: ${JSON.stringify(result.quarantined)}`);
  }
  const [small, large] = results as [(typeof results)[0], (typeof results)[0]];
  const ratio = large.ms / small.ms;
  for (const [orders, result] of [[N, small], [4 * N, large]] as const) {
    const rate = orders / (result.ms / 1000);
    console.log(`  throughput at ${fmt(orders)} orders: ${fmt(rate)} orders/s, ${verdict(rate >= 300)} the goal of >= 300 orders/s`);
  }
  console.log(`  cost ratio time(${fmt(4 * N)}) / time(${fmt(N)}): ${ratio.toFixed(2)}, ${verdict(ratio <= 4.4)} the goal of <= 4.4`);
} finally {
  await host.kill();
}
