export { describeConnectorContract, assertNoSecret, type ConnectorContractCase, type ConnectorContractOptions } from './connector-contract.js';
export type { ExpectedOrder, PlatformFake } from './platform-fake.js';
export { serveHandler, type FetchHandler } from './serve-handler.js';
export { describeStoreContract, platformOrder, type StoreContractOptions } from './store-contract.js';
