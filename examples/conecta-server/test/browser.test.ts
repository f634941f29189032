import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_USERS } from '@conecta/cli/demo';
import { buildApp, startHarness, type Harness } from './helpers.js';

/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core), as an operator works a day:
 * sign in; run the three steps on a Tray order whose lines need two companies; select several orders of a group with
 * three companies (CNPJs) and run each step on all of them with live progress and a summary that links to the one
 * that failed for lack of stock; open a quarantined payload, reprocess it while the store still sends it broken, then
 * after the merchant fixed it. Screenshots at desktop width and at 390 px go to /tmp/conecta-*.png.
 * Without chromium the test fails in CI (process.env.CI) and is skipped, with the reason, elsewhere.
 */
/** Debian's chromium (.ci/browser.sh installs it); CONECTA_CHROMIUM points elsewhere. */
const CHROMIUM = process.env['CONECTA_CHROMIUM'] ?? '/usr/bin/chromium';
const MISSING = `chromium is not installed at ${CHROMIUM}: run .ci/browser.sh (apt-get install -y chromium)`;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && !process.env['CI']) console.warn(`[browser.test] skipped: ${MISSING}`);

type TrayControl = {
  addOrder(lines: Array<{ reference: string; quantity: string; price: string }>, options?: { total?: string; partialTotal?: string }): string;
  addMalformedOrder(): { externalId: string; field: string };
  repairMalformedOrder(externalId: string): void;
};

let harness: Harness | undefined;
let server: ServerType | undefined;
let browser: BrowserContext | undefined;
let profile = '';
let page: Page;
let baseUrl = '';
const [matriz, filial, cd] = DEMO_COMPANIES;

const tray = () => harness!.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake as unknown as TrayControl;
const orderUrl = (orderId: string) => `${baseUrl}/pedidos/${encodeURIComponent(orderId)}`;
const shot = (name: string) => page.screenshot({ path: `/tmp/conecta-${name}.png`, fullPage: true });
/** Nothing on the page is wider than the viewport: no sideways scrolling. */
const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

beforeAll(async () => {
  if (!hasChromium) return;
  // Tests add products to Mainô while the server runs and expect the next check to see them: no snapshot here.
  harness = await startHarness({ ordersPerStore: 1 , stockFreshnessMs: 0 });
  const app = buildApp(harness);
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright-core');
  profile = mkdtempSync(join(tmpdir(), 'conecta-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    locale: 'pt-BR',
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(20_000);
  // The page's own script and stylesheet load under the Content-Security-Policy: a refused resource fails the test.
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused/.test(message.text())) throw new Error(`CSP: ${message.text()}`);
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await harness?.close();
});

const needsChromium = (context: { skip: (note?: string) => void }) => {
  if (hasChromium) return;
  if (process.env['CI']) throw new Error(MISSING);
  context.skip(MISSING);
};

describe('dashboard in a browser', () => {
  it('signs in, runs the three steps on a two-company Tray order, and Mainô gets one "Loja Tray" order per company', async (context) => {
    needsChromium(context);
    // An order the priority-1 company cannot serve alone: 5 of SKU A where Matriz has 2 (Filial has 9), 2 of SKU B
    // which Matriz has. Priority-greedy takes A's 2 from Matriz Curitiba and 3 from Filial São Paulo, B from Matriz.
    const { maino } = harness!.demo;
    maino.addProducts(matriz.cnpj, [{ sku: 'BROWSER-A', name: 'Camiseta Azul', qtdeMilli: 2_000 }, { sku: 'BROWSER-B', name: 'Boné Preto', qtdeMilli: 10_000 }]);
    maino.addProducts(filial.cnpj, [{ sku: 'BROWSER-A', name: 'Camiseta Azul', qtdeMilli: 9_000 }, { sku: 'BROWSER-B', name: 'Boné Preto', qtdeMilli: 1_000 }]);
    maino.addProducts(cd.cnpj, [{ sku: 'BROWSER-A', name: 'Camiseta Azul', qtdeMilli: 0 }, { sku: 'BROWSER-B', name: 'Boné Preto', qtdeMilli: 0 }]);
    const externalId = tray().addOrder(
      [
        { reference: 'BROWSER-A', quantity: '5', price: '49.90' },
        { reference: 'BROWSER-B', quantity: '2', price: '35.00' },
      ],
      { partialTotal: '319.50', total: '319.50' },
    );
    await harness!.conecta.pipeline.poll('tray');
    const orderId = `tray:${externalId}`;

    // Signed out: the dashboard sends us to the sign-in page.
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/entrar\?next=/);
    await page.getByLabel('E-mail').fill(DEMO_USERS.main.email);
    await page.getByLabel('Senha').fill(DEMO_USERS.main.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(`${baseUrl}/`);
    expect(await page.locator('header').textContent()).toContain(DEMO_USERS.main.email);
    await shot('dashboard');
    // Each card's situations add up to "Todos".
    for (const card of await page.locator('section.card').all()) {
      const id = await card.getAttribute('data-integration');
      const all = Number(await card.locator(`[data-stat="${id}:all"]`).textContent());
      let sum = 0;
      for (const filter of ['without-movements', 'pending-sync', 'failed', 'done', 'cancelled', 'ignored', 'unmapped']) sum += Number(await card.locator(`[data-stat="${id}:${filter}"]`).textContent());
      expect(sum, id ?? '').toBe(all);
    }

    // The Tray integration's order listing, then the order.
    await page.locator('[data-integration="tray"] h3 a').click();
    await page.waitForURL(/\/integracoes\/tray\/pedidos/);
    const row = page.locator(`tr[data-order="${orderId}"]`);
    await row.waitFor();
    await shot('orders');
    await row.locator('a').first().click();
    await page.waitForURL(orderUrl(orderId));
    expect(await page.locator('h1').textContent()).toContain(`Pedido ${externalId}`);
    expect(await page.locator('h1 .badge').textContent()).toBe('Sem movimentação');
    // A company select per line; the explanation says where the priority order puts each line.
    expect(await page.locator('select[name^="empresa-"]').count()).toBe(2);
    const explanation = (await page.locator('tr[data-line="0"] td').last().textContent()) ?? '';
    expect(explanation).toContain('Matriz Curitiba');
    expect(explanation).toContain('Filial São Paulo');
    await shot('order-before');

    const states = () => page.locator('tr[data-movement]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
    const step = async (name: string, expected: string, badge: string) => {
      await page.getByRole('button', { name, exact: true }).click();
      await page.locator('[data-notice]').waitFor();
      expect(await page.locator('.notice.error').allTextContents()).toEqual([]);
      await expect.poll(async () => [...new Set(await states())]).toEqual([expected]);
      // The order's badge follows its movements.
      expect(await page.locator('h1 .badge').textContent()).toBe(badge);
    };
    await step('Criar movimentação', 'created', 'Pendente de sincronização');
    expect(await page.getByRole('button', { name: 'Criar movimentação', exact: true }).isDisabled()).toBe(true);
    await step('Sincronizar', 'synced', 'Pendente de sincronização');
    await step('Criar pedido no Mainô', 'done', 'Realizado');
    // Line A is split (2 from Matriz, 3 from Filial), line B comes from Matriz: three movements, all Realizada.
    expect(await states()).toHaveLength(3);
    expect(new Set(await page.locator('tr[data-movement] .badge').allTextContents())).toEqual(new Set(['Realizada']));
    await shot('order');

    // On a phone the order page fits: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await shot('order-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    // In Mainô: each supplying company has exactly one order tagged "Loja Tray" for it, the others none.
    const { movements } = await harness!.conecta.pipeline.getOrder(orderId);
    const supplying = new Set(movements.map((movement) => movement.companyCnpj));
    expect([...supplying].sort()).toEqual([matriz.cnpj, filial.cnpj].sort());
    for (const movement of movements) {
      expect(movement.audit.at(-1)?.actor).toBe(DEMO_USERS.main.email);
      expect(harness!.demo.maino.countByReference(movement.companyCnpj, movement.erpReference!)).toBe(1);
    }
    for (const company of DEMO_COMPANIES) {
      const tagged = harness!.demo.maino.orders(company.cnpj).filter((order) => order.tags.includes('Loja Tray'));
      expect(tagged, company.name).toHaveLength(supplying.has(company.cnpj) ? 1 : 0);
    }
  }, 120_000);

  it('runs each step on several orders of a three-company group at once, with live progress, a summary linking the failure, and no double start', async (context) => {
    needsChromium(context);
    const { maino } = harness!.demo;
    // Order 1 needs Matriz and Filial; order 2 only CD Joinville has; order 3 the group cannot cover (4 wanted, 3 in all).
    maino.addProducts(matriz.cnpj, [{ sku: 'BULK-A', name: 'Caneca', qtdeMilli: 2_000 }, { sku: 'BULK-B', name: 'Toalha', qtdeMilli: 0 }, { sku: 'BULK-C', name: 'Vela', qtdeMilli: 1_000 }]);
    maino.addProducts(filial.cnpj, [{ sku: 'BULK-A', name: 'Caneca', qtdeMilli: 10_000 }, { sku: 'BULK-B', name: 'Toalha', qtdeMilli: 0 }, { sku: 'BULK-C', name: 'Vela', qtdeMilli: 1_000 }]);
    maino.addProducts(cd.cnpj, [{ sku: 'BULK-A', name: 'Caneca', qtdeMilli: 0 }, { sku: 'BULK-B', name: 'Toalha', qtdeMilli: 5_000 }, { sku: 'BULK-C', name: 'Vela', qtdeMilli: 1_000 }]);
    const ids = [
      tray().addOrder([{ reference: 'BULK-A', quantity: '3', price: '20.00' }], { partialTotal: '60.00', total: '60.00' }),
      tray().addOrder([{ reference: 'BULK-B', quantity: '1', price: '30.00' }], { partialTotal: '30.00', total: '30.00' }),
      tray().addOrder([{ reference: 'BULK-C', quantity: '4', price: '10.00' }], { partialTotal: '40.00', total: '40.00' }),
    ].map((externalId) => `tray:${externalId}`);
    await harness!.conecta.pipeline.poll('tray');
    const [covered, fromCd, short] = ids as [string, string, string];

    const runBulk = async (filter: string, orderIds: string[], action: string, label: string) => {
      await page.goto(`${baseUrl}/integracoes/tray/pedidos?filtro=${filter}`);
      for (const orderId of orderIds) await page.locator(`tr[data-order="${orderId}"] input[name="pedido"]`).check();
      expect(await page.locator('[data-selected-count]').textContent()).toBe(String(orderIds.length));
      await shot(`bulk-select-${action}`);
      // A double click starts one run: the page disables the buttons at the first submit, the server keeps one run
      // per integration.
      await page.locator(`button[name="acao"][value="${action}"]`).dblclick();
      await page.waitForURL(/\/lotes\//);
      expect(await page.locator('h1').textContent()).toBe(`${label} em lote`);
      await page.locator('[data-finished="1"]').waitFor();
      const count = async (key: string) => Number(await page.locator(`[data-count="${key}"]`).textContent());
      return { done: await count('done'), failed: await count('failed'), skipped: await count('skipped'), left: await count('left') };
    };

    const allocated = await runBulk('without-movements', ids, 'movimentacao', 'Criar movimentação');
    expect(allocated).toEqual({ done: 2, failed: 1, skipped: 0, left: 0 });
    await shot('bulk-summary');
    // The summary explains the failure (what each company had and what is missing) and links to the order.
    const failure = page.locator('[data-failures] li');
    expect(await failure.count()).toBe(1);
    const failureText = (await failure.textContent()) ?? '';
    expect(failureText).toContain('Linha 1 (BULK-C): precisa de 4, faltam 1');
    expect(failureText).toContain('Matriz Curitiba tinha 1, Filial São Paulo tinha 1, CD Joinville tinha 1');
    await failure.locator('a').click();
    await page.waitForURL(orderUrl(short));
    expect(await page.locator('h1 .badge').textContent()).toBe('Sem movimentação');
    // Run on its own, the step says the same as an error notice.
    await page.getByRole('button', { name: 'Criar movimentação', exact: true }).click();
    await page.locator('.notice.error[data-notice="shortfall"]').waitFor();
    expect(await page.locator('.notice.error').textContent()).toContain('faltam 1');
    await shot('order-shortfall');

    expect(await runBulk('pending-sync', [covered, fromCd], 'sincronizar', 'Sincronizar')).toEqual({ done: 2, failed: 0, skipped: 0, left: 0 });
    expect(await runBulk('pending-sync', [covered, fromCd], 'pedido-maino', 'Criar pedido no Mainô')).toEqual({ done: 2, failed: 0, skipped: 0, left: 0 });
    await shot('bulk-done');

    // Each order is done, each supplying company got its one tagged order in Mainô.
    for (const [orderId, companies] of [
      [covered, [matriz.cnpj, filial.cnpj]],
      [fromCd, [cd.cnpj]],
    ] as const) {
      const { movements } = await harness!.conecta.pipeline.getOrder(orderId);
      expect(new Set(movements.map((movement) => movement.state))).toEqual(new Set(['done']));
      expect([...new Set(movements.map((movement) => movement.companyCnpj))].sort()).toEqual([...companies].sort());
      for (const movement of movements) expect(harness!.demo.maino.countByReference(movement.companyCnpj, movement.erpReference!)).toBe(1);
    }
    await page.goto(`${baseUrl}/integracoes/tray/pedidos?filtro=done`);
    for (const orderId of [covered, fromCd]) expect(await page.locator(`tr[data-order="${orderId}"] .badge`).first().textContent()).toBe('Realizado');
    await page.goto(`${baseUrl}/integracoes/tray/pedidos?filtro=ignored`);
    expect(await page.locator('.empty').textContent()).toBe('Nenhum pedido neste filtro.');
  }, 180_000);

  it('shows a quarantined payload with its reason and redacted content, and reprocesses it once the store sends it right', async (context) => {
    needsChromium(context);
    const { externalId } = tray().addMalformedOrder();
    await harness!.conecta.pipeline.poll('tray');
    await page.goto(`${baseUrl}/`);
    const quarantined = page.locator('[data-stat="tray:quarantined"]');
    expect(Number(await quarantined.textContent())).toBe(1);
    await page.locator('[data-integration="tray"] a', { hasText: 'Em quarentena' }).click();
    await page.waitForURL(/\/integracoes\/tray\/quarentena/);
    const record = page.locator('[data-quarantine]');
    expect(await record.count()).toBe(1);
    expect(await record.locator('h2').textContent()).toBe(`Pedido ${externalId}`);
    expect(await record.textContent()).toContain('Motivo: O campo price (ProductsSold, item 1) deveria ser um número (recebido: "R$ 19,90 (promo)").');
    await record.locator('summary').click();
    const payload = (await record.locator('pre.payload').textContent()) ?? '';
    expect(payload).toContain('R$ 19,90 (promo)');
    for (const secret of Object.values(harness!.demo.env)) expect(payload).not.toContain(secret);
    // The buyer's checkout session id is hidden too.
    expect(payload).toMatch(/"session_id": "\[oculto\]"/);
    await shot('quarantine');

    // Still broken in the store: it stays, and the page says why in Portuguese.
    await record.getByRole('button', { name: 'Reprocessar' }).click();
    await page.locator('.notice.error').waitFor();
    expect(await page.locator('.notice.error').textContent()).toContain('A loja ainda envia este pedido com problema');
    expect(await page.locator('[data-quarantine]').count()).toBe(1);

    // The merchant fixes the order in Tray; reprocessing imports it and the listing empties.
    tray().repairMalformedOrder(externalId);
    await page.locator('[data-quarantine]').getByRole('button', { name: 'Reprocessar' }).click();
    await page.locator('[data-notice="quarantine-reprocessed"]').waitFor();
    expect(await page.locator('.empty').textContent()).toBe('Nenhum pedido em quarentena.');
    await shot('quarantine-done');
    await page.locator('[data-notice="quarantine-reprocessed"] a').click();
    await page.waitForURL(orderUrl(`tray:${externalId}`));
    expect(await page.locator('h1 .badge').textContent()).toBe('Sem movimentação');
    expect((await harness!.conecta.pipeline.summary('tray')).quarantined).toBe(0);

    // The listing pages fit a phone too.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const path of ['/', '/integracoes/tray/pedidos', '/integracoes/tray/quarentena', '/integracoes/tray/status']) {
      await page.goto(`${baseUrl}${path}`);
      expect(await overflow(), path).toBeLessThanOrEqual(0);
    }
    await page.goto(`${baseUrl}/integracoes/tray/pedidos`);
    await shot('orders-390');
    await page.goto(`${baseUrl}/integracoes/woocommerce/status`);
    await shot('status-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 120_000);
});
