// `@conecta/core/store`: what a store implementation needs beyond the application API (the SQLite and PostgreSQL
// stores use it; so can a store of your own, checked by `describeStoreContract` from `@conecta/core/testing`).
export { applyTransition, newMovement } from './movement-records.js';
export { settleTransition, transitionAll } from './transition-all.js';
export { withLineMapping, type LineMappingInput } from './line-mapping.js';
export { holdsStock, matchesFilter } from './order-filters.js';
export { pickClaims, servedTurns, type ClaimCandidate, type ClaimRotationInput } from './claim-rotation.js';
