import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, form, signIn, startHarness, withCookie, type App, type Harness } from './helpers.js';
import { DEMO_USERS } from '@conecta/cli/demo';

/** A line the store sent without SKU: shown with its reason in Portuguese, and mapped by a person through a CSRF form. */
let harness: Harness;
let app: App;
let main: { cookie: string; csrf: string };
const T0 = '2026-07-02T12:00:00.000Z';
const orderPath = '/pedidos/tray%3Asem-sku-1';

beforeAll(async () => {
  harness = await startHarness({ ordersPerStore: 0 });
  app = buildApp(harness, { log: () => undefined });
  main = await signIn(app, DEMO_USERS.main.email, DEMO_USERS.main.password);
  await harness.conecta.pipeline.ingest('tray', [
    {
      externalId: 'sem-sku-1',
      number: 'sem-sku-1',
      status: 'A ENVIAR',
      customer: { name: 'Café & Cia', document: '12ABC34501DE35' },
      lines: [{ name: 'Boné sem referência', quantityMilli: 1000, unitPriceCents: 5000, productRef: { productId: '9', variantId: '12' }, unmatched: { reason: 'sku-not-found', detail: 'variant 12 has no reference' } }],
      totals: { itemsCents: 5000, shippingCents: 0, discountCents: 0, feesCents: 0, taxCents: 0, totalCents: 5300 },
      warnings: [
        { code: 'line-unmatched', lineIndex: 0, message: 'x' },
        { code: 'totals-mismatch', expectedCents: 5300, computedCents: 5000, message: 'x' },
      ],
      createdAt: T0,
      updatedAt: T0,
      raw: {},
    },
  ]);
});
afterAll(async () => {
  await harness?.close();
});

describe('order page: a line without SKU', () => {
  it('shows the warnings and the reason in Portuguese, and a form to map the line', async () => {
    const page = await (await app.request(orderPath, withCookie(main.cookie))).text();
    expect(page).toContain('Os valores não fecham: a loja informa total de R$');
    expect(page).toContain('O item 1 não tem SKU e fica sem movimentação até alguém informar o SKU.');
    expect(page).toContain('o produto da loja não tem SKU cadastrado (variant 12 has no reference)');
    expect(page).toMatch(/<form method="post" action="\/pedidos\/tray%3Asem-sku-1\/mapear-linha" id="mapear-0"/);
  });

  it('refuses the mapping without the CSRF token, then maps the line with who did it', async () => {
    const forged = await app.request(`${orderPath}/mapear-linha`, withCookie(main.cookie, form({ linha: '0', sku: 'BONE-P' })));
    expect(forged.status).toBe(403);
    expect((await harness.conecta.pipeline.getOrder('tray:sem-sku-1')).order.lines[0]!.sku).toBeUndefined();

    const mapped = await app.request(`${orderPath}/mapear-linha`, withCookie(main.cookie, form({ _csrf: main.csrf, linha: '0', sku: 'BONE-P' })));
    expect(mapped.status).toBe(303);
    const { order } = await harness.conecta.pipeline.getOrder('tray:sem-sku-1');
    expect(order.lines[0]!.sku).toBe('BONE-P');
    expect(order.lineMappings).toEqual([expect.objectContaining({ lineIndex: 0, sku: 'BONE-P', actor: DEMO_USERS.main.email })]);
    const page = await (await app.request(orderPath, withCookie(main.cookie))).text();
    expect(page).toContain(`Item 1 ligado ao SKU BONE-P por ${DEMO_USERS.main.email}`);
  });
});
