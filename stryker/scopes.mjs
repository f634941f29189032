// What `npm run mutation` mutates and which tests judge each mutant, one named scope at a time (a whole run does not
// fit this 2-core machine). `<connector>-contract` scopes run only that connector's contract suite: the measure of
// what a partner's connector, which has only the contract, would catch.
const connector = (name, modules) => modules.map((module) => `packages/connector-${name}/src/${module}`);

const CONNECTOR_MODULES = {
  tray: ['orders/map-order.ts', 'orders/cursor.ts', 'webhook.ts', 'stock.ts'],
  woocommerce: ['orders/map-order.ts', 'orders/cursor.ts', 'webhooks.ts', 'stock/push-stock.ts'],
  lojaintegrada: ['map-order.ts', 'cursor.ts', 'webhook.ts', 'stock.ts'],
  mercos: ['map-order.ts', 'cursor.ts', 'stock.ts'],
  // Recompra's mapping is split: the schema converts amounts and dates, map-order assembles the order.
  recompra: ['map-order.ts', 'cursor.ts', 'webhook.ts', 'signature.ts', 'schema.ts'],
};

export const SCOPES = {
  allocator: {
    mutate: ['packages/core/src/allocator/*.ts', '!packages/core/src/allocator/index.ts', '!packages/core/src/allocator/types.ts'],
    tests: ['packages/core/test/allocator*.test.ts'],
  },
  pipeline: {
    mutate: ['packages/core/src/pipeline/{allocate-step,sync-step,erp-order-step,cancel-step}.ts'],
    tests: ['packages/core/test/pipeline*.test.ts'],
  },
  maino: {
    mutate: ['packages/mainô-client/src/{create-once,session}.ts'],
    tests: ['packages/mainô-client/test/**/*.test.ts'],
  },
};
for (const [name, modules] of Object.entries(CONNECTOR_MODULES)) {
  SCOPES[name] = { mutate: connector(name, modules), tests: [`packages/connector-${name}/test/**/*.test.ts`] };
  SCOPES[`${name}-contract`] = { mutate: connector(name, modules), tests: [`packages/connector-${name}/test/contract.test.ts`] };
  const mapping = name === 'recompra' ? ['map-order.ts', 'schema.ts'] : [modules[0]];
  SCOPES[`${name}-mapping-contract`] = { mutate: connector(name, mapping), tests: [`packages/connector-${name}/test/contract.test.ts`] };
}
