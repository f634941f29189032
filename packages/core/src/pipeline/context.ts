import { ConfigurationError, NotFoundError } from '../errors/errors.js';
import type { ConectaEventBus } from '../events/events.js';
import { companiesByPriority, type Company, type CompanyGroup } from '../models/company.js';
import { effectiveMode, type Integration, type IntegrationMode } from '../models/integration.js';
import type { Connector } from '../spec/connector.js';
import type { ErpPort } from '../spec/erp.js';
import type { Store } from '../store/store-port.js';

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
  resolve(integrationId: string): ResolvedIntegration;
  integrationIds(): string[];
  /** Replaces an integration's status dictionary in the running configuration. */
  setDictionary(integrationId: string, dictionary: Integration['statusDictionary']): void;
}

export function createContext(options: {
  store: Store;
  erp: ErpPort;
  events: ConectaEventBus;
  groups: readonly CompanyGroup[];
  integrations: readonly IntegrationBinding[];
  now?: () => Date;
  stockReuseMs?: number;
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
  const clock = options.now ?? (() => new Date());
  return {
    store: options.store,
    erp: options.erp,
    events: options.events,
    now: () => clock().toISOString(),
    stockReuseMs: options.stockReuseMs ?? 5_000,
    resolve(integrationId) {
      const binding = bindings.get(integrationId);
      if (!binding) throw new NotFoundError(`integration "${integrationId}" is not configured`);
      const group = groups.get(binding.integration.groupId)!;
      const companies = companiesByPriority(group);
      return { ...binding, group, companies, mode: effectiveMode(binding.integration, companies.length) };
    },
    integrationIds: () => [...bindings.keys()],
    setDictionary(integrationId, dictionary) {
      const binding = bindings.get(integrationId);
      if (!binding) throw new NotFoundError(`integration "${integrationId}" is not configured`);
      binding.integration = { ...binding.integration, statusDictionary: dictionary };
    },
  };
}

/** The integration id of an order id (`integration:externalId`). */
export function integrationOf(orderId: string): string {
  const index = orderId.indexOf(':');
  if (index <= 0) throw new NotFoundError(`"${orderId}" is not an order id`);
  return orderId.slice(0, index);
}
