// Pipeline end to end: orders imported from the WooCommerce fake, allocated over three companies, synced and created
// in the Mainô fake, on the SQLite store (temp file), at N and 4N orders. Figures: orders/s (goal >= 300 on the
// 2-core machine) and the cost ratio time(4N) / time(N) (goal <= 4.4).
//
// Run: node bench/run-ts.mjs bench/pipeline.ts [--n=300] [--concurrency=16] [--latency=2] [--warm-up=300,1200] [--freshness=30000]
//
// Both fakes run in their own process (bench/fake-host.ts) with 2 ms added per request (WooCommerce through its
// `latencyMs`, Mainô by wrapping its handler). The Mainô client is the real one with a generous rate limit for the
// bench (its shipped default is 2 requests/s per company token), and so is the connector's (default 10/s).
import { createRunner } from '@conecta/core';
import { BENCH_COMPANIES, arg, benchPipeline, fmt, forkChild, splitCatalogue, startFakes, tempSqliteStore, verdict, type Child } from './lib.js';

const N = Number(arg('n', '300'));
const CONCURRENCY = Number(arg('concurrency', '16'));
const LATENCY = Number(arg('latency', '2'));
const WARM_UP = arg('warm-up', `${N},${4 * N}`).split(',').map(Number).filter((orders) => orders > 0);
// Default 30 s, the pipeline's own default; 0 reads Mainô for every stock check (the behaviour before snapshots).
const FRESHNESS = Number(arg('freshness', '30000'));
const COMPANIES = BENCH_COMPANIES;

async function runOnce(host: Child, orders: number) {
  // The head company carries the simple products and the others the variations too, so most orders split in two.
  const products = splitCatalogue(COMPANIES);
  const { woo, maino } = await startFakes(host, { orders, latencyMs: LATENCY, companies: COMPANIES, products });
  const { store, dispose } = tempSqliteStore('bench');
  const { pipeline, errors: errorCount } = benchPipeline({ store, woo, mainoBaseUrl: maino.baseUrl, companies: COMPANIES, stockFreshnessMs: FRESHNESS });
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
  const errors = errorCount();
  await dispose();
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
