import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMPANIES, DEMO_USERS } from '@conecta/cli/demo';
import { buildApp, form, signIn, startHarness, withCookie, type App, type Harness } from './helpers.js';

/**
 * A held order in on-command mode (Tray in the demo): a person's try fell short, nothing was reserved; once Mainô
 * has the stock, the listing and the order page say it is ready to try again, with the action to do it.
 */
let harness: Harness;
let app: App;
let main: { cookie: string; csrf: string };
const T0 = '2026-07-02T12:00:00.000Z';
const [matriz, filial, cd] = DEMO_COMPANIES;
const listPath = '/integracoes/tray/pedidos?filtro=without-movements';
const orderPath = '/pedidos/tray%3Aretry-1';

beforeAll(async () => {
  // Mainô is read for every check, so stock changed mid-test is seen at once.
  harness = await startHarness({ ordersPerStore: 0, stockFreshnessMs: 0 });
  app = buildApp(harness, { log: () => undefined });
  main = await signIn(app, DEMO_USERS.main.email, DEMO_USERS.main.password);
  harness.demo.maino.addProducts(matriz.cnpj, [{ sku: 'RETRY-A', name: 'Caneca Azul', qtdeMilli: 1_000 }]);
  harness.demo.maino.addProducts(filial.cnpj, [{ sku: 'RETRY-A', name: 'Caneca Azul', qtdeMilli: 0 }]);
  harness.demo.maino.addProducts(cd.cnpj, [{ sku: 'RETRY-A', name: 'Caneca Azul', qtdeMilli: 0 }]);
  await harness.conecta.pipeline.ingest('tray', [
    {
      externalId: 'retry-1',
      number: 'retry-1',
      status: 'A ENVIAR',
      customer: { name: 'Ana Souza' },
      lines: [{ sku: 'RETRY-A', name: 'Caneca Azul', quantityMilli: 3000, unitPriceCents: 2500 }],
      totals: { itemsCents: 7500, shippingCents: 0, discountCents: 0, feesCents: 0, taxCents: 0, totalCents: 7500 },
      warnings: [],
      createdAt: T0,
      updatedAt: T0,
      raw: {},
    },
  ]);
});
afterAll(async () => {
  await harness?.close();
});

const text = async (path: string) => (await app.request(path, withCookie(main.cookie))).text();
const row = (page: string) => /<tr data-order="tray:retry-1"[\s\S]*?<\/tr>/.exec(page)?.[0] ?? '';

describe('a held order in on-command mode', () => {
  it('is not ready while the stock falls short, after a person tried', async () => {
    const tried = await app.request(`${orderPath}/movimentacao`, withCookie(main.cookie, form({ _csrf: main.csrf })));
    expect(tried.status).toBe(303);
    expect((await harness.conecta.pipeline.getOrder('tray:retry-1')).movements).toEqual([]);
    const listing = row(await text(listPath));
    expect(listing).toContain('Sem movimentação');
    expect(listing).not.toContain('Pronto para tentar de novo');
    expect(await text(orderPath)).not.toContain('data-ready-to-retry');
  });

  it('shows "Pronto para tentar de novo" with the action once Mainô has the stock, and the action allocates it', async () => {
    harness.demo.maino.setStock(matriz.cnpj, 'RETRY-A', { qtdeMilli: 2_000 });
    harness.demo.maino.setStock(filial.cnpj, 'RETRY-A', { qtdeMilli: 1_000 });
    const listing = row(await text(listPath));
    expect(listing).toContain('<span class="badge ready" data-ready-to-retry>Pronto para tentar de novo</span>');
    expect(listing).toContain('formaction="/pedidos/tray%3Aretry-1/movimentacao"');
    expect(listing).toContain('>Tentar de novo</button>');

    const page = await text(orderPath);
    expect(page).toMatch(/<h1>Pedido retry-1 .*data-ready-to-retry>Pronto para tentar de novo<\/span><\/h1>/);
    expect(page).toContain('Pronto para tentar de novo: o estoque livre agora cobre todos os itens deste pedido. <button type="submit" form="form-movimentacao">Tentar de novo</button>');

    // The listing's button posts the listing's form (its CSRF token included) to the order's action.
    const retried = await app.request(`${orderPath}/movimentacao`, withCookie(main.cookie, form({ _csrf: main.csrf, filtro: 'without-movements', busca: '' })));
    expect(retried.status).toBe(303);
    const { movements } = await harness.conecta.pipeline.getOrder('tray:retry-1');
    expect(movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([
      [matriz.cnpj, 2000, 'created'],
      [filial.cnpj, 1000, 'created'],
    ]);
    expect(await text(listPath)).not.toContain('data-order="tray:retry-1"');
    expect(await text(orderPath)).not.toContain('data-ready-to-retry');
  });
});
