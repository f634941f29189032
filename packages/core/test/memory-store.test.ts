import { describeStoreContract } from '../src/testing/store-contract.js';
import { createMemoryStore } from '../src/store/index.js';

describeStoreContract({ name: 'memory', create: async () => createMemoryStore() });
