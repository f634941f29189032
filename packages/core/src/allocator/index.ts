export { allocate } from './allocate.js';
export type {
  AllocationInput,
  AllocationLineInput,
  AllocationPolicyOptions,
  AllocationResult,
  LineExplanation,
  LineOutcome,
  PlannedMovement,
  Shortfall,
  SkipReason,
  StockSnapshot,
} from './types.js';
