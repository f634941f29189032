import { createMemoryStore } from '../src/index.js';
import { describePipelineInvariants } from '../src/testing/index.js';

describePipelineInvariants({ name: 'memory store + memory ERP', createStore: () => createMemoryStore() });
