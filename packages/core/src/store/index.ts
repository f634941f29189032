export { createMemoryStore } from './memory-store.js';
export { applyTransition, newMovement } from './movement-records.js';
export { settleTransition, transitionAll } from './transition-all.js';
export { withLineMapping, type LineMappingInput } from './line-mapping.js';
export { ORDER_SITUATIONS, countStates, holdsStock, matchesFilter, orderSituation, type OrderSituation } from './order-filters.js';
export type {
  AllocationScope,
  ClaimedOrder,
  CreateMovementsOptions,
  IntegrationSummary,
  MovementPatch,
  MovementTransition,
  OrderFilter,
  OrderListItem,
  OrderQuery,
  QuarantineInput,
  QuarantinedRecord,
  ReservedStock,
  SaveStockInput,
  StoredStock,
  StoredStockLevel,
  StoredStockListing,
  Store,
  StoredStatusDictionary,
  TransitionOutcome,
  UpsertOrderInput,
  UpsertOrderResult,
} from './store-port.js';
