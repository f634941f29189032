import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMainoOrderBody } from '@conecta/maino-client';
import { createSqliteStore } from '@conecta/store-sqlite';
import { composeConecta } from '../src/deployment/index.js';
import { EXIT } from '../src/index.js';
import { run, startWorld, type World } from './helpers.js';

const MATRIZ = '11222333000181';
const FILIAL = '45723174000110';

async function readStore<T>(world: World, read: (store: ReturnType<typeof createSqliteStore>) => Promise<T>): Promise<T> {
  const store = createSqliteStore({ filename: world.dbPath });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe('conecta backfill on a config file', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    world.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake.seedOrders(60, { status: 'A ENVIAR' });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('--dry-run counts and validates, and stores nothing', async () => {
    const result = await run(['backfill', '--config', world.configPath, '--integration', 'tray', '--since', '2026-01-01', '--dry-run', '--json'], { env: world.env });
    const report = result.json<{ orders: number; new: number; refused: number; refusedSamples: Array<{ path: string }>; dryRun: boolean }>();
    expect(report).toMatchObject({ dryRun: true, orders: 64, new: 64, refused: 1 });
    expect(report.refusedSamples[0]!.path).toMatch(/price/);
    // Refused payloads found in a dry run make it exit 1, so a script can stop before the real run.
    expect(result.code).toBe(EXIT.findings);
    await readStore(world, async (store) => {
      expect((await store.listOrders({ integrationId: 'tray' })).total).toBe(0);
      expect(await store.listQuarantine('tray')).toEqual([]);
      expect(await store.getCursor('backfill:tray:2026-01-01T03:00:00.000Z')).toBeNull();
    });
  }, 90_000);

  it('imports with progress on stderr, quarantines the refused payload, and a second run continues from its cursor', async () => {
    const first = await run(['backfill', '--config', world.configPath, '--integration', 'tray', '--since', '2026-01-01'], { env: world.env });
    expect(first.code).toBe(EXIT.ok);
    expect(first.stderr).toMatch(/\d+ pedidos · \d+ páginas?( · [\d.]+ pedidos\/s)?( · faltam ~[\d:]+)? · \d+ recusados?/);
    expect(first.stdout).toMatch(/Backfill de tray: 64 pedidos \(64 importados ou atualizados, 0 sem mudança\), 1 recusados e em quarentena, 2 páginas/);
    expect(first.stdout).toContain('conecta quarantine list');
    await readStore(world, async (store) => {
      expect((await store.listOrders({ integrationId: 'tray' })).total).toBe(64);
      expect(await store.listQuarantine('tray')).toHaveLength(1);
      expect(await store.getCursor('backfill:tray:2026-01-01T03:00:00.000Z')).not.toBeNull();
      // The integration's own polling cursor is left alone.
      expect(await store.getCursor('tray')).toBeNull();
    });

    const tray = world.demo.platforms.find((platform) => platform.integrationId === 'tray')!;
    const [changed] = tray.fake.seedOrders(1, { status: 'A ENVIAR' });
    const second = await run(['backfill', '--config', world.configPath, '--integration', 'tray', '--since', '2026-01-01', '--json'], { env: world.env });
    expect(second.json()).toMatchObject({ resumed: true, orders: 1, imported: 1, refused: 0 });
    expect(second.stderr).toContain('Continuando do cursor salvo');
    await readStore(world, async (store) => expect(await store.getOrder(`tray:${changed}`)).not.toBeNull());
  }, 90_000);

  it('--until stops at the end of that day and does not save a cursor past it', async () => {
    const result = await run(['backfill', '--config', world.configPath, '--integration', 'tray', '--since', '2026-01-02', '--until', '2026-01-03', '--json'], { env: world.env });
    expect(result.json()).toMatchObject({ orders: 0, reachedUntil: true, until: '2026-01-04T03:00:00.000Z' });
    await readStore(world, async (store) => expect(await store.getCursor('backfill:tray:2026-01-02T03:00:00.000Z')).toBeNull());
  }, 90_000);

  it('refuses what it cannot do, with exit 2 and the usage', async () => {
    const noSince = await run(['backfill', '--config', world.configPath, '--integration', 'tray'], { env: world.env });
    expect(noSince.code).toBe(EXIT.usage);
    expect(noSince.stderr).toContain('falta --since DATA');
    const badDate = await run(['backfill', '--config', world.configPath, '--integration', 'tray', '--since', '2026-02-30', '--lang', 'en'], { env: world.env });
    expect(badDate.code).toBe(EXIT.usage);
    expect(badDate.stderr).toContain('--since 2026-02-30: use a date YYYY-MM-DD or an ISO instant');
    const unknown = await run(['backfill', '--config', world.configPath, '--integration', 'shopify', '--since', '2026-01-01'], { env: world.env });
    expect(unknown.stderr).toContain('integração "shopify" não existe; configuradas: tray, woocommerce, lojaintegrada, mercos, recompra');
    expect(unknown.code).toBe(EXIT.usage);
  }, 90_000);
});

describe('explain, reconcile, quarantine and stock on a config file', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld();
    // What the server's runner would have done: import every store and run the automatic steps (WooCommerce and
    // Mercos are automatic in the demo, so their orders reach Mainô).
    const conecta = await composeConecta({ ...world.demo.config, store: { kind: 'sqlite', path: world.dbPath } }, { ...world.env }, { withoutSessions: true });
    for (const id of conecta.pipeline.context.integrationIds()) await conecta.pipeline.poll(id);
    await conecta.runner.drain();
    await conecta.close();
  }, 120_000);
  afterAll(async () => {
    await world?.close();
  });

  it('explain ORDER shows the plan and why, and writes nothing', async () => {
    const order = await readStore(world, async (store) => (await store.listOrders({ integrationId: 'tray', filter: 'without-movements' })).items[0]!.order);
    const result = await run(['explain', '--config', world.configPath, order.id], { env: world.env });
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain(`Pedido ${order.number} (${order.id})`);
    expect(result.stdout).toContain('Empresas por prioridade: 1. Matriz Curitiba, 2. Filial São Paulo, 3. CD Joinville');
    expect(result.stdout).toContain(order.lines[0]!.sku);
    expect(result.stdout).toContain('Nada foi gravado.');
    const json = (await run(['explain', '--config', world.configPath, order.id, '--json'], { env: world.env })).json<{ explanation: unknown[]; lines: Array<{ text: string }> }>();
    expect(json.explanation).toHaveLength(order.lines.length);
    expect(json.lines[0]!.text).toMatch(/prioridade|pulada/);
    await readStore(world, async (store) => expect(await store.getMovements(order.id)).toEqual([]));
  }, 90_000);

  it('explain --integration ID SKU=QTY explains a hypothetical order', async () => {
    const sku = world.demo.maino.orders(MATRIZ)[0]?.itens[0]?.codigo ?? (await readStore(world, async (store) => (await store.listOrders({ integrationId: 'tray' })).items[0]!.order.lines[0]!.sku));
    const result = await run(['explain', '--config', world.configPath, '--integration', 'tray', `${sku}=1`, 'NAO-EXISTE=2', '--lang', 'en'], { env: world.env });
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain('Hypothetical order in tray');
    expect(result.stdout).toMatch(/NAO-EXISTE\s+2\s+unknown SKU/);
    const absent = await run(['explain', '--config', world.configPath, 'tray:no-such-order'], { env: world.env });
    expect(absent.code).toBe(EXIT.failure);
    expect(absent.stderr).toContain('o pedido tray:no-such-order não está no store');
    const missing = await run(['explain', '--config', world.configPath, 'CAM-P=2'], { env: world.env });
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain('precisa de --integration');
  }, 90_000);

  it('reconcile finds nothing on a clean run, then names missing, duplicated, unknown and different orders', async () => {
    const clean = await run(['reconcile', '--config', world.configPath, '--since', '2026-01-01'], { env: world.env });
    expect(clean.stdout).toContain('Tudo confere.');
    expect(clean.code).toBe(EXIT.ok);

    const maino = world.demo.maino;
    const [first, second, third] = [...maino.orders(MATRIZ), ...maino.orders(FILIAL)].filter((order) => order.referencia_externa?.startsWith('conecta:'));
    expect(third).toBeDefined();
    const cnpjOf = (reference: string) => reference.split(':').at(-1)!;
    const send = (cnpj: string, request: { method: string; path: string; body?: unknown }) =>
      maino.handle(
        new Request(`${maino.baseUrl}/${request.path}`, {
          method: request.method,
          headers: { 'x-api-key': world.env[`MAINO_KEY_${cnpj}`]!, 'content-type': 'application/json' },
          ...(request.body ? { body: JSON.stringify(request.body) } : {}),
        }),
      );
    const body = (reference: string, order: typeof first, priceCents: number) =>
      buildMainoOrderBody({
        externalReference: reference,
        tag: 'teste',
        orderNumber: '1',
        customer: { name: 'Cliente' },
        issuedAt: new Date().toISOString(),
        lines: order!.itens.map((item) => ({ sku: item.codigo, name: item.descricao, quantityMilli: item.qtdeMilli, unitPriceCents: priceCents })),
      });
    // Cancelled in Mainô by someone: missing. Cancelled and created again at another price: total differs.
    expect((await send(cnpjOf(first!.referencia_externa!), { method: 'DELETE', path: `pedidos/${first!.id}` })).status).toBeLessThan(300);
    expect((await send(cnpjOf(second!.referencia_externa!), { method: 'DELETE', path: `pedidos/${second!.id}` })).status).toBeLessThan(300);
    expect((await send(cnpjOf(second!.referencia_externa!), { method: 'POST', path: 'pedidos', body: body(second!.referencia_externa!, second, 1) })).status).toBeLessThan(300);
    // Created twice: duplicated. A Conecta reference this store never made: unknown.
    expect((await send(cnpjOf(third!.referencia_externa!), { method: 'POST', path: 'pedidos', body: body(third!.referencia_externa!, third, 100) })).status).toBeLessThan(300);
    const stranger = `conecta:woocommerce:999999:${MATRIZ}`;
    expect((await send(MATRIZ, { method: 'POST', path: 'pedidos', body: body(stranger, third, 100) })).status).toBeLessThan(300);

    const result = await run(['reconcile', '--config', world.configPath, '--since', '2026-01-01', '--json'], { env: world.env });
    const report = result.json<{ counts: Record<string, number>; findings: Array<{ kind: string; reference: string; mainoOrderIds: string[]; expectedCents?: number; mainoCents?: number }> }>();
    const kindOf = (reference: string) => report.findings.filter((finding) => finding.reference === reference).map((finding) => finding.kind);
    expect(kindOf(first!.referencia_externa!)).toEqual(['missing-in-maino']);
    expect(kindOf(second!.referencia_externa!)).toEqual(['total-differs']);
    expect(kindOf(third!.referencia_externa!)).toEqual(['duplicate-in-maino']);
    expect(report.findings.find((finding) => finding.reference === third!.referencia_externa)!.mainoOrderIds).toHaveLength(2);
    expect(kindOf(stranger)).toEqual(['unknown-in-maino']);
    expect(report.counts).toEqual({ 'missing-in-maino': 1, 'duplicate-in-maino': 1, 'unknown-in-maino': 1, 'total-differs': 1 });
    expect(result.code).toBe(EXIT.findings);
    const table = await run(['reconcile', '--config', world.configPath, '--since', '2026-01-01'], { env: world.env });
    expect(table.stdout).toMatch(/falta no Mainô\s+conecta:/);
    expect(table.stdout).toContain('1 faltando, 1 duplicados, 1 desconhecidos, 1 com total diferente. Nada foi gravado.');
  }, 120_000);

  it('quarantine list, show and retry', async () => {
    const list = await run(['quarantine', 'list', '--config', world.configPath, '--json'], { env: world.env });
    const records = list.json<{ records: Array<{ id: string; integrationId: string; path: string; resolved: boolean }> }>().records;
    const tray = records.find((record) => record.integrationId === 'tray')!;
    expect(tray).toMatchObject({ path: expect.stringMatching(/price/), resolved: false });
    const table = await run(['quarantine', 'list', '--config', world.configPath], { env: world.env });
    expect(table.stdout).toMatch(new RegExp(`${tray.id}\\s+tray\\s+\\S+\\s+\\S*price`));
    const show = await run(['quarantine', 'show', tray.id, '--config', world.configPath], { env: world.env });
    expect(show.stdout).toContain('R$ 19,90 (promo)');
    const retry = await run(['quarantine', 'retry', tray.id, '--config', world.configPath], { env: world.env });
    expect(retry.stdout).toMatch(/^Ainda inválido: .*price/);
    expect(retry.code).toBe(EXIT.findings);
    // The store fixed the order (WooCommerce now answers it whole): a retry imports it and it leaves quarantine.
    const wooRecord = records.find((record) => record.integrationId === 'woocommerce')!;
    const woo = world.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake as unknown as { baseUrl: string; loadPublishedOrder(order: Record<string, unknown>): void };
    const valid = await readStore(world, async (store) => (await store.listOrders({ integrationId: 'woocommerce' })).items[0]!.order.raw as Record<string, unknown>);
    woo.loadPublishedOrder({ ...structuredClone(valid), id: Number((wooRecord as { externalId?: string }).externalId) });
    const fixed = await run(['quarantine', 'retry', wooRecord.id, '--config', world.configPath], { env: world.env });
    expect(fixed.stdout).toBe(`Importado: woocommerce:${(wooRecord as { externalId?: string }).externalId}.\n`);
    expect(fixed.code).toBe(EXIT.ok);
    const after = (await run(['quarantine', 'list', '--config', world.configPath, '--json'], { env: world.env })).json<{ records: Array<{ id: string; resolved: boolean }> }>().records;
    expect(after.map((record) => record.id)).not.toContain(wooRecord.id);
    expect(after.map((record) => record.id)).toContain(tray.id);
    const unknown = await run(['quarantine', 'show', 'nope', '--config', world.configPath], { env: world.env });
    expect(unknown.code).toBe(EXIT.usage);
  }, 90_000);

  it('stock --dry-run says what would be sent per SKU and sends nothing; without it, it pushes', async () => {
    const woo = world.demo.platforms.find((platform) => platform.integrationId === 'woocommerce')!.fake as unknown as { batchCalls(): unknown[] };
    const before = woo.batchCalls().length;
    const dry = await run(['stock', '--dry-run', '--config', world.configPath, '--json'], { env: world.env });
    const plans = dry.json<{ plans: Array<{ integrationId: string; lines: Array<{ sku: string; quantityMilli: number; send: boolean }> }> }>().plans;
    expect(plans.map((plan) => plan.integrationId)).toEqual(['woocommerce']);
    expect(plans[0]!.lines.length).toBeGreaterThan(0);
    expect(plans[0]!.lines.every((line) => line.quantityMilli % 1000 === 0)).toBe(true);
    expect(woo.batchCalls().length).toBe(before);
    const table = await run(['stock', '--dry-run', '--config', world.configPath], { env: world.env });
    expect(table.stdout).toContain('Simulação: nada foi enviado às lojas.');
    const pushed = await run(['stock', '--config', world.configPath, '--json'], { env: world.env });
    expect(pushed.json<{ results: Array<{ pushed: number }> }>().results[0]!.pushed).toBe(plans[0]!.lines.filter((line) => line.send).length);
    expect(woo.batchCalls().length).toBeGreaterThan(before);
  }, 90_000);
});

describe('the command line itself', () => {
  it('lists the commands, refuses unknown ones and misplaced flags with exit 2', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(EXIT.ok);
    for (const command of ['doctor', 'backfill', 'explain', 'reconcile', 'quarantine', 'stock']) expect(help.stdout).toContain(`conecta ${command}`);
    expect(help.stdout).toContain('Códigos de saída');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toContain('comando desconhecido "frobnicate"');
    const misplaced = await run(['doctor', '--since', '2026-01-01', '--lang', 'en']);
    expect(misplaced.code).toBe(EXIT.usage);
    expect(misplaced.stderr).toContain('doctor does not take --since');
  });

  it('a missing config file is a configuration error (exit 3)', async () => {
    const result = await run(['doctor', '--config', '/nonexistent/conecta.config.json', '--json']);
    expect(result.code).toBe(EXIT.config);
    expect(result.json()).toMatchObject({ error: { code: 'CONFIGURATION' }, exitCode: EXIT.config });
  });

  it('colours only on a terminal', async () => {
    const plain = await run(['--demo', 'backfill', '--integration', 'tray', '--since', '2026-01-01', '--dry-run'], { run: { demoBackfillOrders: 5 } });
    expect(plain.stdout).not.toContain('\u001b[');
    const tty = await run(['--demo', 'quarantine', 'list'], { tty: true });
    expect(tty.stdout).toContain('\u001b[33m');
    const noColor = await run(['--demo', 'quarantine', 'list', '--no-color'], { tty: true });
    expect(noColor.stdout).not.toContain('\u001b[');
  }, 120_000);
});
