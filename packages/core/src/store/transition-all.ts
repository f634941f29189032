import { ConflictError } from '../errors/errors.js';
import type { Movement } from '../models/movement.js';
import type { MovementTransition, Store, TransitionOutcome } from './store-port.js';

/** Runs one transition inside a store's batch: a conflict becomes its outcome, anything else is thrown. */
export function settleTransition(apply: () => Movement): TransitionOutcome {
  try {
    return { movement: apply() };
  } catch (error) {
    if (error instanceof ConflictError) return { conflict: error };
    throw error;
  }
}

/**
 * Applies the transitions in one store transaction when the store offers it, one by one otherwise; either way a
 * conflict (another worker moved the movement first) is returned in its place, not thrown.
 */
export async function transitionAll(store: Store, transitions: readonly MovementTransition[]): Promise<TransitionOutcome[]> {
  if (transitions.length === 0) return [];
  if (store.transitionMovements) return store.transitionMovements(transitions);
  const outcomes: TransitionOutcome[] = [];
  for (const { id, from, to, patch, audit } of transitions) {
    try {
      outcomes.push({ movement: await store.transitionMovement(id, from, to, patch, audit) });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      outcomes.push({ conflict: error });
    }
  }
  return outcomes;
}
