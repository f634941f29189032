// Chaos: worker processes on one store (a SQLite file, a PostgreSQL schema) are killed with SIGKILL at random instants
// while they allocate, sync and create Mainô orders (the fake also stores some creates and then answers 504, and
// refuses some requests with 503). After the kills, two workers run undisturbed until the work settles; then nothing
// may be duplicated, lost, oversold or stuck, and no order may be held whose lines the free stock now covers.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { allocate, CompanyGroupSchema, companiesByPriority, erpReference, type PlatformOrder, type Store } from '@conecta/core';
import { platformOrder, serveHandler } from '@conecta/core/testing';
import { createMainoFake } from '@conecta/maino-client/fake';
import { createPostgresStore } from '@conecta/store-postgres';
import { createSqliteStore } from '@conecta/store-sqlite';
import { PG_URL, requirePostgres, schemaFactory } from '../../packages/store-postgres/test/pg-env.js';
import type { ChaosStoreSpec } from './fixtures/chaos-worker.js';

const here = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3')), '../..');
const dir = mkdtempSync(join(tmpdir(), 'conecta-chaos-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMPANIES = [
  { cnpj: '11222333000181', key: 'chaos-key-1' },
  { cnpj: '45723174000110', key: 'chaos-key-2' },
];
const SKUS = Array.from({ length: 8 }, (_, index) => `SKU-${index}`);
const ORDERS = 200;
const CONFIG = { companies: COMPANIES, stockFreshnessMs: 400, heldRetryMs: 500, concurrency: 4 };
/** How long the undisturbed workers get to settle the work; a passing run settles in a few seconds. */
const SETTLE_DEADLINE_MS = 60_000;

/** A small deterministic generator, so a failing run can be repeated with the same orders and stock. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** What the test reads from a store, in the store's own SQL. */
interface ChaosStore {
  spec: ChaosStoreSpec;
  store: Store;
  query<T>(sql: string): Promise<T[]>;
  /** Table name as the store's SQL must spell it. */
  table(name: 'orders' | 'movements'): string;
  /** SQL for "the order has work pending" and for a comma-separated list of distinct states. */
  workPending: string;
  distinctStates: string;
  close(): Promise<void>;
}

function sqliteChaosStore(): ChaosStore {
  const filename = join(dir, 'chaos.db');
  const store = createSqliteStore({ filename });
  return {
    spec: { kind: 'sqlite', filename },
    store,
    query: async <T>(sql: string) => store.database.prepare(sql).all() as T[],
    table: (name) => name,
    workPending: 'work_pending = 1',
    distinctStates: 'group_concat(DISTINCT state)',
    close: () => store.close(),
  };
}

async function postgresChaosStore(url: string, schema: string): Promise<ChaosStore> {
  const store = await createPostgresStore({ connectionString: url, schema, maxConnections: 4 });
  return {
    spec: { kind: 'postgres', url, schema },
    store,
    // count(*) is a bigint, which pg hands over as a string.
    query: async <T>(sql: string) => (await store.pool.query(sql)).rows.map((row: Record<string, unknown>) => ('n' in row ? { ...row, n: Number(row['n']) } : row)) as T[],
    table: (name) => `"${schema}".${name}`,
    workPending: 'work_pending',
    distinctStates: `string_agg(DISTINCT state, ',')`,
    close: () => store.close(),
  };
}

let workerBundle: Promise<string> | undefined;
/** The worker, bundled once (workspace packages from source; the native and driver modules from node_modules). */
function bundleWorker(): Promise<string> {
  workerBundle ??= (async () => {
    const outfile = join(dir, 'chaos-worker.cjs');
    await build({
      entryPoints: [join(here, 'fixtures', 'chaos-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      outfile,
      external: ['better-sqlite3', 'pg'],
      conditions: ['@conecta/source'],
      logLevel: 'error',
    });
    return outfile;
  })();
  return workerBundle;
}

interface ChaosRun {
  kills: number;
  /** Between kills: `min` plus up to `spread` ms. */
  pauseMs: { min: number; spread: number };
  /**
   * How long a claim holds an order. It must outlast a live worker's slowest pass: leases are not renewed, so a pass
   * longer than the lease lets a second worker claim the order and create in Mainô at the same time. The loser
   * cancels its copy when it finds every movement taken (a cancelled duplicate stays in Mainô); when each worker
   * marked some of the company's movements, both keep theirs (two Mainô orders splitting the lines). A killed
   * worker's orders wait this long.
   */
  leaseMs: number;
}

async function runChaos(open: () => Promise<ChaosStore>, { kills, pauseMs, leaseMs }: ChaosRun): Promise<void> {
  const config = { ...CONFIG, leaseMs };
  const seed = Number(process.env['CONECTA_CHAOS_SEED'] ?? Date.now() % 100_000);
  const rand = random(seed);
  const message = `seed ${seed} (repeat with CONECTA_CHAOS_SEED=${seed})`;
  const fake = createMainoFake({ baseUrl: 'http://127.0.0.1/api/v2' });
  // The fake only strips its base path from what it is asked, so the port it is served on does not matter. A little
  // latency keeps creates in flight long enough for kills to land inside them.
  const server = await serveHandler(async (request) => {
    await sleep(15);
    return fake.handle(request);
  });
  for (const company of COMPANIES) {
    fake.addCompany(company.cnpj);
    fake.addApiKey(company.cnpj, company.key);
    // Scarce: about two thirds of what the orders ask for.
    fake.addProducts(company.cnpj, SKUS.map((sku) => ({ sku, qtdeMilli: Math.floor(15 + rand() * 20) * 1000 })));
  }
  const chaos = await open();
  const orders: PlatformOrder[] = [];
  for (let index = 0; index < ORDERS; index += 1) {
    const skus = [...new Set([SKUS[Math.floor(rand() * SKUS.length)]!, SKUS[Math.floor(rand() * SKUS.length)]!])];
    const order = platformOrder(String(index), { lines: skus.map((sku) => ({ sku, name: sku, quantityMilli: (1 + Math.floor(rand() * 3)) * 1000, unitPriceCents: 1000 })) });
    orders.push(order);
    await chaos.store.upsertOrder({ integrationId: 'loja', order, intakeState: 'pending', at: order.createdAt });
  }

  const worker = await bundleWorker();
  const ready = new WeakSet<ChildProcess>();
  const running = new Set<ChildProcess>();
  /** Starts a worker without waiting for it: replacements start while the others work, as a supervisor would. */
  const spawn = (name: string): ChildProcess => {
    const child = fork(worker, [JSON.stringify(chaos.spec), `${server.url}/api/v2`, name, JSON.stringify(config)], {
      env: { ...process.env, NODE_PATH: nodeModules },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    child.once('message', () => ready.add(child));
    running.add(child);
    return child;
  };
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

  const free = (): Record<string, Record<string, number>> => {
    const out: Record<string, Record<string, number>> = {};
    for (const company of COMPANIES) {
      out[company.cnpj] = {};
      for (const sku of SKUS) {
        const stock = fake.stockOf(company.cnpj, sku)!;
        out[company.cnpj]![sku] = stock.qtdeMilli - stock.committedMilli - stock.storedMilli;
      }
    }
    return out;
  };
  const group = CompanyGroupSchema.parse({ id: 'grupo', name: 'Grupo', companies: COMPANIES.map((company, index) => ({ cnpj: company.cnpj, name: `E${index}`, priority: index + 1 })) });
  const movements = chaos.table('movements');
  const statesByOrder = () =>
    chaos.query<{ order_id: string; states: string }>(`SELECT order_id, ${chaos.distinctStates} AS states FROM ${movements} WHERE state <> 'cancelled' GROUP BY order_id`);
  /** Held orders (no live movement) whose lines the free stock in Mainô covers now. */
  const coverableHeld = async (): Promise<PlatformOrder[]> => {
    const allocated = new Set((await statesByOrder()).map((row) => row.order_id));
    const stock = free();
    return orders
      .filter((order) => !allocated.has(`loja:${order.externalId}`))
      .filter((order) => allocate(order, stock, { companies: companiesByPriority(group), strategy: 'priority-greedy', shortfall: 'all-or-nothing' }).complete);
  };

  try {
    for (let index = 0; index < 3; index += 1) spawn(`w${index}`);
    let killed = 0;
    while (killed < kills) {
      // Faults Mainô may answer with: a create stored and then a gateway timeout, an unavailable moment.
      if (rand() < 0.3) fake.inject({ kind: 'store-then-status', status: 504 });
      if (rand() < 0.2) fake.inject({ kind: 'status', status: 503, route: { method: 'GET' } });
      await sleep(pauseMs.min + rand() * pauseMs.spread);
      // Kill one that is working (started and ready), at whatever instant of its work this is.
      const victims = [...running].filter((child) => ready.has(child));
      if (victims.length === 0) continue;
      const victim = victims[Math.floor(rand() * victims.length)]!;
      victim.kill('SIGKILL');
      running.delete(victim);
      killed += 1;
      spawn(`w-${killed}`);
    }
    for (const child of running) {
      child.kill('SIGKILL');
      await exited(child);
    }
    running.clear();
    fake.reset();
    // Two undisturbed workers finish the work: leases of the killed ones expire, held orders are retried.
    for (let index = 0; index < 2; index += 1) spawn(`final-${index}`);
    const pending = `SELECT count(*) AS n FROM ${chaos.table('orders')} WHERE ${chaos.workPending}`;
    const open = `SELECT count(*) AS n FROM ${movements} WHERE state IN ('created', 'synced', 'failed')`;
    const doneCount = `SELECT count(*) AS n FROM ${movements} WHERE state = 'done'`;
    // Settled: no open movement, no new done one and no held order the free stock covers, three checks in a row (a
    // check waits out a held-order retry and a snapshot's freshness). Held orders keep coming back as pending work on
    // the retry schedule, so pending work is not a sign of activity. A broken run keeps failing the check until the
    // deadline, and the assertions below say what is wrong.
    const deadline = Date.now() + SETTLE_DEADLINE_MS;
    let quiet = 0;
    let lastCheck = '';
    let lastDone = -1;
    while (quiet < 3 && Date.now() < deadline) {
      await sleep(CONFIG.heldRetryMs + CONFIG.stockFreshnessMs);
      const [openRows, doneRows, pendingRows] = [await chaos.query<{ n: number }>(open), await chaos.query<{ n: number }>(doneCount), await chaos.query<{ n: number }>(pending)];
      const coverable = await coverableHeld();
      const settled = openRows[0]!.n === 0 && doneRows[0]!.n === lastDone && coverable.length === 0;
      quiet = settled ? quiet + 1 : 0;
      lastDone = doneRows[0]!.n;
      lastCheck = `open movements ${openRows[0]!.n}, done ${doneRows[0]!.n}, orders with work pending ${pendingRows[0]!.n}, held orders the free stock covers ${coverable.length}`;
    }
    if (quiet < 3) console.warn(`chaos (${chaos.spec.kind}): not settled after ${SETTLE_DEADLINE_MS} ms: ${lastCheck}; ${message}`);
    for (const child of running) {
      child.send({ type: 'stop' });
      await exited(child);
    }
    running.clear();

    // Nothing stuck: every movement is done or released.
    const states = await chaos.query<{ state: string; n: number }>(`SELECT state, count(*) AS n FROM ${movements} GROUP BY state`);
    expect(states.filter((row) => !['done', 'cancelled'].includes(row.state)), message).toEqual([]);
    // No duplicate, none lost: each done (order, company) has exactly one open Mainô order under its reference,
    // and Mainô holds no order we do not know.
    const done = await chaos.query<{ order_id: string; company_cnpj: string; erp_order_id: string; erp_reference: string }>(
      `SELECT DISTINCT order_id, company_cnpj, erp_order_id, erp_reference FROM ${movements} WHERE state = 'done'`,
    );
    const mainoOpen = COMPANIES.flatMap((company) => fake.orders(company.cnpj).filter((order) => order.status !== 'cancelado').map((order) => ({ ...order, cnpj: company.cnpj })));
    expect(mainoOpen.length, message).toBe(done.length);
    for (const row of done) {
      // The company's first order for a store order carries the base reference; one created after a refusal moved
      // lines back to that company carries the base reference with a suffix (`:2`).
      const base = erpReference({ integrationId: 'loja', externalId: row.order_id.slice('loja:'.length), companyCnpj: row.company_cnpj });
      expect([base, ...Array.from({ length: 5 }, (_, index) => `${base}:${index + 2}`)], message).toContain(row.erp_reference);
      const copies = fake.countByReference(row.company_cnpj, row.erp_reference);
      // A duplicate's story, to tell a lease lost by a live worker from a lookup that missed.
      const story = copies === 1 ? '' : JSON.stringify(await chaos.query(`SELECT id, state, audit FROM ${movements} WHERE order_id = '${row.order_id}'`));
      expect(copies, `${row.erp_reference} ${message} ${story}`).toBe(1);
      expect(mainoOpen.find((order) => order.cnpj === row.company_cnpj && order.referencia_externa === row.erp_reference)?.id, `${row.erp_reference} ${message}`).toBe(row.erp_order_id);
    }
    // Every order is done or held (no live movement), never half-way.
    const byOrder = await statesByOrder();
    expect(byOrder.filter((row) => row.states !== 'done'), message).toEqual([]);
    // No oversell: Mainô never committed more than it had.
    for (const company of COMPANIES) {
      for (const sku of SKUS) {
        const stock = fake.stockOf(company.cnpj, sku)!;
        // An oversell's story: every movement that held this stock, with its audit.
        const story =
          stock.committedMilli <= stock.qtdeMilli
            ? ''
            : JSON.stringify(await chaos.query(`SELECT order_id, quantity_milli, state, updated_at, audit FROM ${movements} WHERE company_cnpj = '${company.cnpj}' AND sku = '${sku}' AND state <> 'cancelled' ORDER BY updated_at`));
        expect(stock.committedMilli, `${company.cnpj} ${sku} ${message} ${story}`).toBeLessThanOrEqual(stock.qtdeMilli);
      }
    }
    // No order held whose lines the free stock covers.
    expect((await coverableHeld()).map((order) => order.externalId), message).toEqual([]);
    expect(done.length, message).toBeGreaterThan(0);
    const held = orders.filter((order) => !byOrder.some((row) => row.order_id === `loja:${order.externalId}`));
    expect(held.length + byOrder.length, message).toBe(ORDERS);
  } finally {
    for (const child of running) child.kill('SIGKILL');
    await Promise.all([...running].map(exited));
    await chaos.close();
    await server.close();
  }
}

// Leases of 10 s: on a loaded 2-core machine a live worker's pass took 2.3 s over PostgreSQL and 5 s over SQLite (a
// create retried after a 504), and with 1.5 s leases live workers raced over one order (see ChaosRun.leaseMs).
describe('reliability: worker processes killed with SIGKILL at random', () => {
  it('on one SQLite file: no duplicate, nothing lost, no oversell, nothing stuck, no held order the free stock covers', async () => {
    await runChaos(async () => sqliteChaosStore(), { kills: Number(process.env['CONECTA_CHAOS_KILLS'] ?? 20), pauseMs: { min: 800, spread: 1200 }, leaseMs: 10_000 });
  }, 150_000);

  if (requirePostgres('chaos on PostgreSQL')) {
    const schema = schemaFactory();
    // Fewer, closer kills than on SQLite, so the run stays within about a minute.
    it('on one PostgreSQL schema: no duplicate, nothing lost, no oversell, nothing stuck, no held order the free stock covers', async () => {
      await runChaos(() => postgresChaosStore(PG_URL!, schema()), { kills: Number(process.env['CONECTA_CHAOS_KILLS'] ?? 15), pauseMs: { min: 500, spread: 1000 }, leaseMs: 10_000 });
    }, 150_000);
  }
});
