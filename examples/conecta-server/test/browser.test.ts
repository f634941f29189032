import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_USERS } from '@conecta/cli/demo';
import { buildApp, startHarness, type Harness } from './helpers.js';

/**
 * The dashboard in a real browser (Debian's chromium driven by playwright-core): sign in, open a Tray order whose
 * lines need two companies, run the three steps, and check Mainô got one tagged order per supplying company.
 * Without chromium the test fails in CI (process.env.CI) and is skipped, with the reason, elsewhere.
 */
/** Debian's chromium (.ci/browser.sh installs it); CONECTA_CHROMIUM points elsewhere. */
const CHROMIUM = process.env['CONECTA_CHROMIUM'] ?? '/usr/bin/chromium';
const SCREENSHOT = '/tmp/conecta-order.png';
const MISSING = `chromium is not installed at ${CHROMIUM}: run .ci/browser.sh (apt-get install -y chromium)`;
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && !process.env['CI']) console.warn(`[browser.test] skipped: ${MISSING}`);

let harness: Harness | undefined;
let server: ServerType | undefined;
let baseUrl = '';
let orderId = '';

beforeAll(async () => {
  if (!hasChromium) return;
  harness = await startHarness({ ordersPerStore: 1 });
  // An order the priority-1 company cannot serve alone: 5 of SKU A where Matriz has 2 (Filial has 9), 2 of SKU B
  // which Matriz has. Priority-greedy takes A's 2 from Matriz Curitiba and 3 from Filial São Paulo, B from Matriz.
  const [matriz, filial, cd] = DEMO_COMPANIES;
  const { maino } = harness.demo;
  maino.addProducts(matriz.cnpj, [{ sku: 'BROWSER-A', name: 'Camiseta Azul', qtdeMilli: 2_000 }, { sku: 'BROWSER-B', name: 'Boné Preto', qtdeMilli: 10_000 }]);
  maino.addProducts(filial.cnpj, [{ sku: 'BROWSER-A', name: 'Camiseta Azul', qtdeMilli: 9_000 }, { sku: 'BROWSER-B', name: 'Boné Preto', qtdeMilli: 1_000 }]);
  maino.addProducts(cd.cnpj, [{ sku: 'BROWSER-A', name: 'Camiseta Azul', qtdeMilli: 0 }, { sku: 'BROWSER-B', name: 'Boné Preto', qtdeMilli: 0 }]);
  const tray = harness.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake as unknown as {
    addOrder(lines: Array<{ reference: string; quantity: string; price: string }>, options?: { total?: string; partialTotal?: string }): string;
  };
  const externalId = tray.addOrder(
    [
      { reference: 'BROWSER-A', quantity: '5', price: '49.90' },
      { reference: 'BROWSER-B', quantity: '2', price: '35.00' },
    ],
    { partialTotal: '319.50', total: '319.50' },
  );
  await harness.conecta.pipeline.poll('tray');
  orderId = `tray:${externalId}`;
  const app = buildApp(harness);
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await harness?.close();
});

describe('dashboard in a browser', () => {
  it('signs in, runs the three steps on a two-company Tray order, and Mainô gets one "Loja Tray" order per company', async (context) => {
    if (!hasChromium) {
      if (process.env['CI']) throw new Error(MISSING);
      context.skip(MISSING);
    }
    const { chromium } = await import('playwright-core');
    const profile = mkdtempSync(join(tmpdir(), 'conecta-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      locale: 'pt-BR',
    });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(15_000);

      // Signed out: the dashboard sends us to the sign-in page.
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/entrar\?next=/);
      await page.getByLabel('E-mail').fill(DEMO_USERS.main.email);
      await page.getByLabel('Senha').fill(DEMO_USERS.main.password);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.waitForURL(`${baseUrl}/`);
      expect(await page.locator('header').textContent()).toContain(DEMO_USERS.main.email);

      // The Tray integration's order listing, then the order.
      await page.screenshot({ path: '/tmp/conecta-dashboard.png', fullPage: true });
      await page.locator('[data-integration="tray"] h3 a').click();
      await page.waitForURL(/\/integracoes\/tray\/pedidos/);
      const row = page.locator(`tr[data-order="${orderId}"]`);
      await row.waitFor();
      await page.screenshot({ path: '/tmp/conecta-orders.png', fullPage: true });
      expect(await row.count()).toBe(1);
      await row.locator('a').first().click();
      await page.waitForURL(`${baseUrl}/pedidos/${encodeURIComponent(orderId)}`);
      expect(await page.locator('h1').textContent()).toContain(`Pedido ${orderId.split(':')[1]}`);
      // A company select per line; the explanation says where the priority order puts each line.
      expect(await page.locator('select[name^="empresa-"]').count()).toBe(2);
      const explanation = (await page.locator('tr[data-line="0"] td').last().textContent()) ?? '';
      expect(explanation).toContain('Matriz Curitiba');
      expect(explanation).toContain('Filial São Paulo');
      await page.screenshot({ path: '/tmp/conecta-order-before.png', fullPage: true });

      const states = () => page.locator('tr[data-movement]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
      const step = async (name: string, expected: string) => {
        await page.getByRole('button', { name, exact: true }).click();
        await page.waitForURL(/\?(msg|erro)=/);
        expect(await page.locator('.notice.error').allTextContents()).toEqual([]);
        await expect.poll(async () => [...new Set(await states())]).toEqual([expected]);
      };
      await step('Criar movimentação', 'created');
      expect(await page.getByRole('button', { name: 'Criar movimentação', exact: true }).isDisabled()).toBe(true);
      await step('Sincronizar', 'synced');
      await step('Criar pedido no Mainô', 'done');
      // Line A is split (2 from Matriz, 3 from Filial), line B comes from Matriz: three movements, all Realizado.
      expect(await states()).toHaveLength(3);
      expect(new Set(await page.locator('tr[data-movement] .badge').allTextContents())).toEqual(new Set(['Realizado']));
      await page.screenshot({ path: SCREENSHOT, fullPage: true });

      // In Mainô: each supplying company has exactly one order tagged "Loja Tray" for it, the others none.
      const { movements } = await harness!.conecta.pipeline.getOrder(orderId);
      const supplying = new Set(movements.map((movement) => movement.companyCnpj));
      expect([...supplying].sort()).toEqual([DEMO_COMPANIES[0].cnpj, DEMO_COMPANIES[1].cnpj].sort());
      for (const movement of movements) {
        expect(movement.audit.at(-1)?.actor).toBe(DEMO_USERS.main.email);
        expect(harness!.demo.maino.countByReference(movement.companyCnpj, movement.erpReference!)).toBe(1);
      }
      for (const company of DEMO_COMPANIES) {
        const tagged = harness!.demo.maino.orders(company.cnpj).filter((order) => order.tags.includes('Loja Tray'));
        expect(tagged, company.name).toHaveLength(supplying.has(company.cnpj) ? 1 : 0);
      }
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 90_000);
});
