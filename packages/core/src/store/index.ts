export { createMemoryStore } from './memory-store.js';
export { applyTransition, newMovement } from './movement-records.js';
export { countStates, holdsStock, matchesFilter } from './order-filters.js';
export type {
  AllocationScope,
  ClaimedOrder,
  CreateMovementsOptions,
  IntegrationSummary,
  MovementPatch,
  OrderFilter,
  OrderListItem,
  OrderQuery,
  QuarantineInput,
  QuarantinedRecord,
  ReservedStock,
  Store,
  UpsertOrderInput,
  UpsertOrderResult,
} from './store-port.js';
