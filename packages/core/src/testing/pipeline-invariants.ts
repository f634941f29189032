import { afterAll, describe, expect, it } from 'vitest';
import { CompanyGroupSchema, type AllocationPolicyInput, type CompanyInput } from '../models/company.js';
import { IntegrationSchema } from '../models/integration.js';
import { OPEN_MOVEMENT_STATES, erpReference } from '../models/movement.js';
import type { PlatformOrder } from '../models/order.js';
import { createPipeline, type Pipeline } from '../pipeline/pipeline.js';
import type { ErpPort } from '../spec/erp.js';
import type { Store } from '../store/store-port.js';
import { createMemoryConnector, type MemoryConnector } from './memory-connector.js';
import { createMemoryErp } from './memory-erp.js';
import { platformOrder } from './store-contract.js';

/** An ERP as the invariants drive it: stock set from outside, and the orders it holds counted from outside. */
export interface PipelineInvariantsErp {
  erp: ErpPort;
  /** Sets what the ERP holds on hand for a company's SKU (creating the product when needed). */
  setStock(cnpj: string, sku: string, onHandMilli: number): void | Promise<void>;
  /** Sales orders the ERP holds for a company, cancelled ones included. */
  orderCount(cnpj: string): number | Promise<number>;
}

export interface PipelineInvariantsOptions {
  name: string;
  /** A fresh, empty store. */
  createStore: () => Store | Promise<Store>;
  /** The ERP the pipeline creates orders in, knowing `companies`; default the in-memory ERP. */
  createErp?: (companies: readonly string[]) => PipelineInvariantsErp | Promise<PipelineInvariantsErp>;
  teardown?: () => void | Promise<void>;
}

const A = '11222333000181';
const B = '45723174000110';
const C = '19131243000197';

export function memoryInvariantsErp(companies: readonly string[]): PipelineInvariantsErp {
  const erp = createMemoryErp({ companies: companies.map((cnpj) => ({ cnpj })) });
  return { erp, setStock: (cnpj, sku, milli) => erp.setStock(cnpj, sku, milli), orderCount: (cnpj) => erp.createdOrders(cnpj).length };
}

/**
 * Invariants of the sync pipeline that hold whatever the store, the ERP and the connector: a partner's store or ERP
 * adapter runs them as ours do. Every case drives the pipeline on command (a person's clicks), so each step is seen.
 */
export function describePipelineInvariants(options: PipelineInvariantsOptions): void {
  const createErp = options.createErp ?? memoryInvariantsErp;

  async function setup(companies: CompanyInput[], allocation?: AllocationPolicyInput): Promise<{ pipeline: Pipeline; harness: PipelineInvariantsErp; connector: MemoryConnector; store: Store }> {
    const group = CompanyGroupSchema.parse({ id: 'grupo', name: 'Grupo', companies, allocation });
    const connector = createMemoryConnector({ platform: 'memory', pageSize: 10 });
    const integration = IntegrationSchema.parse({ id: 'loja', platform: 'memory', name: 'Loja', groupId: 'grupo', statusDictionary: connector.defaultStatusDictionary, mode: 'on-command' });
    const harness = await createErp(companies.map((company) => company.cnpj));
    const store = await options.createStore();
    // Every check reads the ERP (no snapshot, no reuse): these invariants are about what a failed check must stop.
    const pipeline = createPipeline({ store, erp: harness.erp, groups: [group], integrations: [{ integration, connector }], stockReuseMs: 0, stockFreshnessMs: 0 });
    return { pipeline, harness, connector, store };
  }

  const order = (externalId: string, units: number, overrides: Partial<PlatformOrder> = {}) =>
    platformOrder(externalId, {
      lines: [{ sku: 'INV-1', name: 'Produto INV-1', quantityMilli: units * 1000, unitPriceCents: 1990 }],
      createdAt: '2026-03-01T10:00:00.000Z',
      updatedAt: '2026-03-01T10:00:00.000Z',
      ...overrides,
    });
  const settle = <T>(promise: Promise<T>) => promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

  describe(`pipeline invariants: ${options.name}`, () => {
    afterAll(async () => options.teardown?.());

    it('creates no ERP order for movements that were not validated', async () => {
      const { pipeline, harness, connector } = await setup([{ cnpj: A, name: 'Matriz', priority: 1 }]);
      await harness.setStock(A, 'INV-1', 5000);
      connector.put(order('1', 2));
      await pipeline.poll('loja');
      const created = await pipeline.createMovements('loja:1', { actor: 'invariants' });
      expect(created.movements.map((movement) => movement.state)).toEqual(['created']);
      await settle(pipeline.createErpOrder('loja:1', { actor: 'invariants' }));
      expect(await harness.orderCount(A), 'ERP orders for movements never validated').toBe(0);
    });

    it("creates no ERP order for any company of an order when one company's stock check failed", async () => {
      const { pipeline, harness, connector } = await setup([
        { cnpj: A, name: 'Matriz', priority: 1 },
        { cnpj: B, name: 'Filial', priority: 2 },
      ]);
      await harness.setStock(A, 'INV-1', 1000);
      await harness.setStock(B, 'INV-1', 5000);
      connector.put(order('2', 3));
      await pipeline.poll('loja');
      const created = await pipeline.createMovements('loja:2', { actor: 'invariants' });
      expect(created.movements.map((movement) => movement.companyCnpj).sort()).toEqual([A, B].sort());
      // Between allocation and sync the Filial's stock is sold elsewhere.
      await harness.setStock(B, 'INV-1', 0);
      await settle(pipeline.sync('loja:2', { actor: 'invariants' }));
      await settle(pipeline.createErpOrder('loja:2', { actor: 'invariants' }));
      expect(await harness.orderCount(B), 'ERP orders for the company whose check failed').toBe(0);
      expect(await harness.orderCount(A), 'ERP orders for the other company of the same order (all-or-nothing)').toBe(0);
    });

    it('cancelling an order whose movements are only allocated releases them', async () => {
      const { pipeline, harness, connector } = await setup([{ cnpj: A, name: 'Matriz', priority: 1 }]);
      await harness.setStock(A, 'INV-1', 5000);
      connector.put(order('3', 2));
      await pipeline.poll('loja');
      await pipeline.createMovements('loja:3', { actor: 'invariants' });
      await pipeline.ingest('loja', [order('3', 2, { status: 'cancelled', updatedAt: '2026-03-01T10:05:00.000Z' })]);
      await settle(pipeline.process('loja:3', { actor: 'invariants' }));
      await settle(pipeline.cancel('loja:3', { actor: 'invariants' }));
      const { movements } = await pipeline.getOrder('loja:3');
      expect(movements.length).toBeGreaterThan(0);
      expect(movements.filter((movement) => OPEN_MOVEMENT_STATES.includes(movement.state)), 'movements still holding stock').toEqual([]);
      expect(await harness.orderCount(A)).toBe(0);
    });

    it('an order cancelled while its ERP order is being created leaves no movement done and no ERP order open', async () => {
      const { pipeline, harness, connector, store } = await setup([{ cnpj: A, name: 'Matriz', priority: 1 }]);
      await harness.setStock(A, 'INV-1', 5000);
      await harness.setStock(A, 'INV-2', 5000);
      const lines = [
        { sku: 'INV-1', name: 'Produto INV-1', quantityMilli: 1000, unitPriceCents: 1990 },
        { sku: 'INV-2', name: 'Produto INV-2', quantityMilli: 1000, unitPriceCents: 990 },
      ];
      connector.put(order('5', 1, { lines }));
      await pipeline.poll('loja');
      await pipeline.createMovements('loja:5', { actor: 'invariants' });
      await pipeline.sync('loja:5', { actor: 'invariants' });
      const [first] = await store.getMovements('loja:5');
      const erp = harness.erp;
      const realCreate = erp.createSalesOrder.bind(erp);
      erp.createSalesOrder = async (...args) => {
        // Another worker's cancellation has released the first movement when the create is sent, not yet the second.
        await store.transitionMovement(first!.id, ['synced'], 'cancelled', {}, { at: '2026-03-01T10:05:00.000Z', actor: 'other-worker', action: 'release' });
        return realCreate(...args);
      };
      try {
        await settle(pipeline.createErpOrder('loja:5', { actor: 'invariants' }));
      } finally {
        erp.createSalesOrder = realCreate;
      }
      const { movements } = await pipeline.getOrder('loja:5');
      expect(movements.filter((movement) => movement.state === 'done' || OPEN_MOVEMENT_STATES.includes(movement.state)), 'movements left holding stock or marked done').toEqual([]);
      const reference = erpReference({ integrationId: 'loja', externalId: '5', companyCnpj: A });
      const stored = await erp.findSalesOrderByReference(A, reference);
      expect(stored?.status ?? 'cancelled', 'the ERP order of the cancelled order').toBe('cancelled');
    });

    it('fewest-companies never counts an inactive company', async () => {
      const { pipeline, harness, connector } = await setup(
        [
          { cnpj: A, name: 'Matriz', priority: 1 },
          { cnpj: B, name: 'Depósito desativado', priority: 2, active: false },
          { cnpj: C, name: 'Outlet', priority: 3 },
        ],
        { strategy: 'fewest-companies', shortfall: 'all-or-nothing' },
      );
      await harness.setStock(A, 'INV-1', 2000);
      await harness.setStock(B, 'INV-1', 10_000);
      await harness.setStock(C, 'INV-1', 2000);
      connector.put(order('4', 3));
      await pipeline.poll('loja');
      const preview = await pipeline.previewAllocation('loja:4');
      const planned = preview.explanation.flatMap((line) => line.chosen.map((choice) => choice.companyCnpj));
      expect(planned, 'the inactive company, which alone could cover the order').not.toContain(B);
      const created = await settle(pipeline.createMovements('loja:4', { actor: 'invariants' }));
      const movements = 'value' in created ? created.value.movements : [];
      expect(movements.map((movement) => movement.companyCnpj)).not.toContain(B);
      expect(movements.reduce((sum, movement) => sum + movement.quantityMilli, 0), 'covered by the active companies').toBe(3000);
    });
  });
}
