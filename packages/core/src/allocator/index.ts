export type {
  AllocationInput,
  AllocationLineInput,
  AllocationPolicyOptions,
  AllocationResult,
  LineExplanation,
  PlannedMovement,
  Shortfall,
  SkipReason,
  StockSnapshot,
} from './types.js';
