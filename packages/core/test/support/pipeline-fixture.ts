// One group of three companies, one memory connector and the memory ERP behind a pipeline: the setup that
// pipeline.test.ts (whole flows) and pipeline-steps.test.ts (one command at a time) share.
import {
  CompanyGroupSchema,
  ConectaEventBus,
  IntegrationSchema,
  createMemoryStore,
  createPipeline,
  type CompanyGroupInput,
  type IntegrationInput,
  type PlatformOrder,
  type Store,
} from '../../src/index.js';
import { createMemoryConnector, createMemoryErp, platformOrder, type MemoryConnector, type MemoryErp } from '../../src/testing/index.js';

export const MATRIZ = '11222333000181';
export const FILIAL = '45723174000110';
export const OUTLET = '19131243000197';

export interface PipelineSetup {
  store: Store;
  erp: MemoryErp;
  connector: MemoryConnector;
  pipeline: ReturnType<typeof createPipeline>;
  /** Every event the pipeline emitted, in order, with its payload. */
  events: Array<[string, Record<string, unknown>]>;
}

export interface PipelineSetupOptions {
  companies?: CompanyGroupInput['companies'];
  allocation?: CompanyGroupInput['allocation'];
  integration?: Partial<IntegrationInput>;
  store?: Store;
  /** The connector's page size (how many orders one listing request returns). */
  pageSize?: number;
  stockFreshnessMs?: number;
  stockReuseMs?: number;
  /** The memory ERP refuses a sales order it cannot cover, as Mainô does. */
  refuseOversell?: boolean;
  /** The pipeline's clock; the wall clock when omitted. */
  now?: () => Date;
}

const RECORDED_EVENTS = [
  'order-imported',
  'status-unmapped',
  'order-quarantined',
  'movements-created',
  'shortfall',
  'movement-synced',
  'movement-failed',
  'erp-order-created',
  'order-cancelled',
  'stock-refused',
  'stock-pushed',
  'held-requeued',
] as const;

/** Matriz (priority 1), Filial SP (2) and Outlet (3) unless `companies` says otherwise; the integration is `loja`. */
export function setupPipeline(options: PipelineSetupOptions = {}): PipelineSetup {
  const companies = options.companies ?? [
    { cnpj: MATRIZ, name: 'Matriz', priority: 1 },
    { cnpj: FILIAL, name: 'Filial SP', priority: 2 },
    { cnpj: OUTLET, name: 'Outlet', priority: 3 },
  ];
  const group = CompanyGroupSchema.parse({ id: 'grupo', name: 'Grupo Exemplo', companies, allocation: options.allocation });
  const connector = createMemoryConnector({ platform: 'memory', pageSize: options.pageSize ?? 3 });
  const integration = IntegrationSchema.parse({
    id: 'loja',
    platform: 'memory',
    name: 'Loja Virtual',
    groupId: 'grupo',
    statusDictionary: connector.defaultStatusDictionary,
    ...options.integration,
  });
  const erp = createMemoryErp({ companies: companies.map((company) => ({ cnpj: company.cnpj })), refuseOversell: options.refuseOversell ?? false });
  const store = options.store ?? createMemoryStore();
  const bus = new ConectaEventBus();
  const events: PipelineSetup['events'] = [];
  for (const name of RECORDED_EVENTS) bus.on(name, (payload: unknown) => events.push([name, payload as Record<string, unknown>]));
  const pipeline = createPipeline({
    store,
    erp,
    groups: [group],
    integrations: [{ integration, connector }],
    events: bus,
    stockReuseMs: options.stockReuseMs,
    stockFreshnessMs: options.stockFreshnessMs,
    ...(options.now ? { now: options.now } : {}),
  });
  return { store, erp, connector, pipeline, events };
}

export const line = (sku: string, units: number, priceCents = 1000) => ({ sku, name: `Produto ${sku}`, quantityMilli: units * 1000, unitPriceCents: priceCents });
export const minute = (n: number) => `2026-03-01T10:${String(n).padStart(2, '0')}:00.000Z`;
export const order = (externalId: string, lines: PlatformOrder['lines'], overrides: Partial<PlatformOrder> = {}) =>
  platformOrder(externalId, { lines, createdAt: minute(1), updatedAt: minute(1), ...overrides });
/** The payloads of the events of one name, in order. */
export const named = (events: PipelineSetup['events'], name: string) => events.filter(([event]) => event === name).map(([, payload]) => payload);

/** Puts the order on the platform and polls it in: the id the pipeline gives it. */
export async function imported(s: PipelineSetup, externalId: string, lines: PlatformOrder['lines'], overrides: Partial<PlatformOrder> = {}): Promise<string> {
  s.connector.put(order(externalId, lines, overrides));
  await s.pipeline.poll('loja');
  return `loja:${externalId}`;
}

/** A person's three commands for one order, in order: plan movements, check them against the ERP, create its ERP orders. */
export async function allocateSyncCreate(s: PipelineSetup, orderId: string, actor = 'bia'): Promise<void> {
  await s.pipeline.createMovements(orderId, { actor });
  await s.pipeline.sync(orderId, { actor });
  await s.pipeline.createErpOrder(orderId, { actor });
}
