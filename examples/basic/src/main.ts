/**
 * The Conecta SDK from code, start to finish: a WooCommerce store sells for a group of two companies; its orders are
 * polled, each line is supplied from the companies' ERP stock (movements), validated in the ERP (sync), and turned
 * into one ERP sales order per supplying company, tagged with the store's name.
 *
 * Everything runs locally: the store is the WooCommerce fake on a loopback port (real HTTP, so the real connector is
 * exercised), the ERP is the in-memory one, and the database is a SQLite file in a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CompanyGroupSchema, IntegrationSchema, createPipeline } from '@conecta/core';
import { serveHandler } from '@conecta/core/testing';
import { createMemoryErp } from '@conecta/core/testing';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import { createWooCommerceFake } from '@conecta/connector-woocommerce/fake';
import { createSqliteStore } from '@conecta/store-sqlite';

export const MATRIZ = '11222333000181';
export const FILIAL = '45723174000110';

export interface BasicReport {
  orders: Array<{ number: string; status: string; intakeState: string }>;
  /** Movements (order lines supplied by one company), by CNPJ. */
  movementsByCompany: Record<string, number>;
  erpOrders: Array<{ cnpj: string; reference: string; tag: string; lines: string[] }>;
  events: { imported: number; movementsCreated: number; erpOrdersCreated: number };
}

export async function main(log: (line: string) => void = console.log): Promise<BasicReport> {
  // Priority decides who supplies first: the Matriz until its stock runs out, then the Filial.
  const group = CompanyGroupSchema.parse({
    id: 'grupo-exemplo',
    name: 'Grupo Exemplo',
    companies: [
      { cnpj: MATRIZ, name: 'Matriz Curitiba', priority: 1 },
      { cnpj: FILIAL, name: 'Filial São Paulo', priority: 2 },
    ],
  });
  // The fake's orders sell these SKUs. The Matriz holds 2 of each, so a line of 3 is split with the Filial.
  const skus = ['WOO-1', 'WOO-2', 'WOO-3', 'WOO-VAR-1', 'WOO-VAR-2', 'WOO-VAR-3'];
  const stocked = (units: number) => skus.map((sku) => ({ sku, onHandMilli: units * 1000 })); // thousandths of a unit
  const erp = createMemoryErp({ companies: [{ cnpj: MATRIZ, products: stocked(2) }, { cnpj: FILIAL, products: stocked(20) }] });

  const fake = createWooCommerceFake();
  const server = await serveHandler((request) => fake.handle(request));
  // The connector refuses plain http (WooCommerce keys must travel over TLS); loopback is the one exception we allow.
  const { consumerKey, consumerSecret } = fake;
  const connector = createWooCommerceConnector({ storeUrl: server.url, consumerKey, consumerSecret, allowInsecureHttp: true });
  const dir = mkdtempSync(join(tmpdir(), 'conecta-basic-'));
  const store = createSqliteStore({ filename: join(dir, 'conecta.db') });

  try {
    // The integration's name is the tag on its ERP orders. Two companies default to on-command: a person (here,
    // this script) decides when to allocate; with createRunner a single-company group would do it all by itself.
    const statusDictionary = connector.defaultStatusDictionary;
    const integration = IntegrationSchema.parse({ id: 'loja-woo', platform: 'woocommerce', name: 'Loja WooCommerce', groupId: group.id, statusDictionary });
    const pipeline = createPipeline({ store, erp, groups: [group], integrations: [{ integration, connector }] });

    const events = { imported: 0, movementsCreated: 0, erpOrdersCreated: 0 };
    pipeline.events.on('order-imported', () => void (events.imported += 1));
    pipeline.events.on('movements-created', () => void (events.movementsCreated += 1));
    pipeline.events.on('erp-order-created', (event) => {
      events.erpOrdersCreated += 1;
      log(`  ERP order ${event.erpOrderId} for ${event.companyCnpj} (${event.reference})`);
    });
    pipeline.events.on('shortfall', (event) => log(`  shortfall on ${event.orderId}: ${JSON.stringify(event.lines)}`));

    // `processing` is WooCommerce's "paid": the default dictionary maps it to pending, a sale to fulfil.
    fake.seedOrders(3, { status: 'processing' });
    const polled = await pipeline.poll(integration.id);
    log(`polled ${polled.pages} page(s): ${polled.imported} order(s) imported`);

    // Each step is idempotent: running it twice allocates, validates or creates nothing twice.
    const actor = 'exemplo@grupo';
    for (const orderId of polled.changedOrderIds) {
      await pipeline.createMovements(orderId, { actor });
      await pipeline.sync(orderId, { actor });
      await pipeline.createErpOrder(orderId, { actor });
    }

    const listed = await pipeline.listOrders({ integrationId: integration.id, limit: 100 });
    const orders = listed.items
      .map(({ order }) => ({ number: order.number, status: order.status, intakeState: order.intakeState }))
      .sort((a, b) => a.number.localeCompare(b.number));
    const movementsByCompany: Record<string, number> = { [MATRIZ]: 0, [FILIAL]: 0 };
    for (const { order } of listed.items) {
      for (const movement of (await pipeline.getOrder(order.id)).movements) movementsByCompany[movement.companyCnpj]! += 1;
    }
    const erpOrders = erp.createdOrders().map((order) => ({
      cnpj: order.cnpj,
      reference: order.externalReference,
      tag: order.tag,
      lines: order.lines.map((line) => `${line.sku} x${line.quantityMilli / 1000}`),
    }));

    log(`orders: ${orders.map((order) => `#${order.number} ${order.status} (${order.intakeState})`).join(', ')}`);
    log(`movements: Matriz ${movementsByCompany[MATRIZ]}, Filial ${movementsByCompany[FILIAL]}`);
    for (const order of erpOrders) log(`ERP ${order.cnpj} [${order.tag}] ${order.reference}: ${order.lines.join(', ')}`);
    return { orders, movementsByCompany, erpOrders, events };
  } finally {
    // Close the database before removing its folder, and the port so the process can exit.
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run only when executed (`npm start`), not when a test imports `main`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
