export * from './errors/index.js';
export * from './money/index.js';
export * from './models/index.js';
export * from './events/index.js';
export * from './spec/index.js';
export * from './allocator/index.js';
export * from './store/index.js';
export * from './pipeline/index.js';
