export {
  describeConnectorContract,
  assertNoSecret,
  type ConnectorContractCase,
  type ConnectorContractOptions,
  type PublishedPayloadCase,
  type PublishedPayloadsOption,
} from './connector-contract.js';
export { keyPaths, readPublishedPayload, readPublishedPayloads } from './published-payloads.js';
export type { ExpectedLine, ExpectedOrder, MatchedExpectedLine, PlatformFake, UnmatchedExpectedLine } from './platform-fake.js';
export { serveHandler, type FetchHandler } from './serve-handler.js';
export { describeStoreContract, platformOrder, type StoreContractOptions } from './store-contract.js';
export { describeErpContract, type ErpContractFaults, type ErpContractHarness, type ErpContractOptions, type ErpContractProductSeed } from './erp-contract.js';
export { createMemoryErp, type ErpOperation, type MemoryErp, type MemoryErpOrder, type MemoryErpProductSeed, type MemoryErpSeed, type MemoryErpStock } from './memory-erp.js';
export { createMemoryConnector, type MemoryConnector } from './memory-connector.js';
export { comparableOrder, expectOrderToMatch } from './expected-order.js';
export { FAKE_CLOCK_START, createFakeClock, type FakeClock, type FakeClockOptions } from './fake-clock.js';
export { describePipelineInvariants, memoryInvariantsErp, type PipelineInvariantsErp, type PipelineInvariantsOptions } from './pipeline-invariants.js';
