import { ConfigurationError, NotFoundError } from '../errors/errors.js';
import { fromZodError } from '../errors/zod-errors.js';
import type { ConectaEventBus } from '../events/events.js';
import { companiesByPriority, type Company, type CompanyGroup } from '../models/company.js';
import { effectiveMode, type Integration, type IntegrationMode } from '../models/integration.js';
import { StatusDictionarySchema } from '../models/status-dictionary.js';
import type { Connector } from '../spec/connector.js';
import type { ErpPort } from '../spec/erp.js';
import type { Store, StoredStatusDictionary } from '../store/store-port.js';
import { StockCache } from './stock-cache.js';
import { describeMercosViolation, mercosRuleViolations } from './mercos-rule.js';

export interface IntegrationBinding {
  integration: Integration;
  connector: Connector;
}

export interface ResolvedIntegration {
  integration: Integration;
  connector: Connector;
  group: CompanyGroup;
  /** Active companies, priority order. */
  companies: Company[];
  mode: IntegrationMode;
}

/** What every pipeline step needs: ports, configuration and the clock. */
export interface PipelineContext {
  store: Store;
  erp: ErpPort;
  events: ConectaEventBus;
  now: () => string;
  /** How old the stock read for an allocation may be for a sync right after it to use it instead of reading again. */
  stockReuseMs: number;
  /**
   * How old the stock a check reads may be (ms): allocation and the Sincronizar check answer from the shared
   * snapshots within it. 0 reads Mainô for every check.
   */
  stockFreshnessMs: number;
  /** The stock snapshots (used when `stockFreshnessMs` > 0). */
  stock: StockCache;
  /**
   * Puts the held orders (shortfalls) of the automatic integrations whose group has any of these companies (all when
   * omitted) back in the queue: the stock they wait for may have changed.
   */
  requeueHeld(cnpjs?: readonly string[]): Promise<number>;
  resolve(integrationId: string): ResolvedIntegration;
  integrationIds(): string[];
  /**
   * Replaces an integration's status dictionary in the running configuration. `edit` says who made it when a person
   * did, with the store's version of it when the store keeps it.
   */
  setDictionary(integrationId: string, dictionary: Integration['statusDictionary'], edit?: DictionaryEdit): void;
  /**
   * Takes up the integration's dictionary as the store keeps it, when the store holds a later edit than this process
   * applies (another worker's, or one made before a restart). Nothing to do for stores that do not keep dictionaries.
   */
  refreshDictionary(integrationId: string): Promise<void>;
  /** The last runtime edit of the integration's dictionary this process applies; undefined when there was none. */
  dictionaryEdit(integrationId: string): DictionaryEdit | undefined;
}

export interface DictionaryEdit {
  updatedBy: string;
  updatedAt: string;
  /** The store's version of the edit; undefined when the store does not keep dictionaries. */
  version?: number;
}

export function createContext(options: {
  store: Store;
  erp: ErpPort;
  events: ConectaEventBus;
  groups: readonly CompanyGroup[];
  integrations: readonly IntegrationBinding[];
  now?: () => Date;
  stockReuseMs?: number;
  stockFreshnessMs?: number;
  incrementalStock?: boolean;
}): PipelineContext {
  const groups = new Map(options.groups.map((group) => [group.id, group]));
  const bindings = new Map<string, IntegrationBinding>();
  for (const binding of options.integrations) {
    const { integration, connector } = binding;
    if (bindings.has(integration.id)) throw new ConfigurationError(`integration id "${integration.id}" is used twice`);
    if (!groups.has(integration.groupId)) throw new ConfigurationError(`integration "${integration.id}" names group "${integration.groupId}", which is not configured`);
    if (connector.platform !== integration.platform) {
      throw new ConfigurationError(`integration "${integration.id}" is for ${integration.platform} but its connector is for ${connector.platform}`);
    }
    bindings.set(integration.id, { integration, connector });
  }
  const [violation] = mercosRuleViolations(options.groups, options.integrations.map((binding) => binding.integration));
  if (violation) throw new ConfigurationError(describeMercosViolation(violation));
  const clock = options.now ?? (() => new Date());
  const edits = new Map<string, DictionaryEdit>();
  const setDictionary = (integrationId: string, dictionary: Integration['statusDictionary'], edit?: DictionaryEdit) => {
    const binding = bindings.get(integrationId);
    if (!binding) throw new NotFoundError(`integration "${integrationId}" is not configured`);
    binding.integration = { ...binding.integration, statusDictionary: dictionary };
    if (edit) edits.set(integrationId, edit);
  };
  const applyStored = (integrationId: string, stored: StoredStatusDictionary) => {
    // Written by this SDK after validation, but a store is a file or a database a person can edit: checked again.
    const parsed = StatusDictionarySchema.safeParse(stored.dictionary);
    if (!parsed.success) throw fromZodError(parsed.error, `the status dictionary stored for integration "${integrationId}"`);
    setDictionary(integrationId, parsed.data, { updatedBy: stored.updatedBy, updatedAt: stored.updatedAt, version: stored.version });
  };
  const now = () => clock().toISOString();
  const resolve = (integrationId: string): ResolvedIntegration => {
    const binding = bindings.get(integrationId);
    if (!binding) throw new NotFoundError(`integration "${integrationId}" is not configured`);
    const group = groups.get(binding.integration.groupId)!;
    const companies = companiesByPriority(group);
    return { ...binding, group, companies, mode: effectiveMode(binding.integration, companies.length) };
  };
  const requeueHeld = async (cnpjs?: readonly string[]): Promise<number> => {
    if (!options.store.requeueHeld) return 0;
    const wanted = cnpjs && new Set(cnpjs);
    const ids = [...bindings.keys()].filter((id) => {
      const resolved = resolve(id);
      return resolved.mode === 'automatic' && (!wanted || resolved.companies.some((company) => wanted.has(company.cnpj)));
    });
    if (ids.length === 0) return 0;
    const count = await options.store.requeueHeld(ids);
    if (count > 0) options.events.emit('held-requeued', { integrationIds: ids, count });
    return count;
  };
  const stockFreshnessMs = options.stockFreshnessMs ?? 30_000;
  const stock = new StockCache({
    store: options.store,
    erp: options.erp,
    now,
    freshnessMs: stockFreshnessMs,
    incremental: options.incrementalStock ?? false,
    // Runs inside a step; a failing requeue must not fail the step that read the stock.
    onRise: (cnpj) => void requeueHeld([cnpj]).catch(() => undefined),
  });
  return {
    store: options.store,
    erp: options.erp,
    events: options.events,
    now,
    stockReuseMs: options.stockReuseMs ?? 5_000,
    stockFreshnessMs,
    stock,
    requeueHeld,
    resolve,
    integrationIds: () => [...bindings.keys()],
    setDictionary,
    async refreshDictionary(integrationId) {
      if (!options.store.getStatusDictionary) return;
      const stored = await options.store.getStatusDictionary(integrationId);
      if (stored && stored.version !== edits.get(integrationId)?.version) applyStored(integrationId, stored);
    },
    dictionaryEdit: (integrationId) => edits.get(integrationId),
  };
}

/** The integration id of an order id (`integration:externalId`). */
export function integrationOf(orderId: string): string {
  const index = orderId.indexOf(':');
  if (index <= 0) throw new NotFoundError(`"${orderId}" is not an order id`);
  return orderId.slice(0, index);
}
