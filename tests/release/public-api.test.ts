// Pins the runtime export list of every entry point, so an accidental export (or a lost one) shows up as a failing
// test and a deliberate one as a visible change here. Types are not listed: they cost nothing at run time and the
// typecheck covers them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '@conecta/core';
import * as coreHttp from '@conecta/core/http';
import * as coreStore from '@conecta/core/store';
import * as coreFakes from '@conecta/core/fakes';
import * as coreTesting from '@conecta/core/testing';
import * as tray from '@conecta/connector-tray';
import * as woocommerce from '@conecta/connector-woocommerce';
import * as lojaintegrada from '@conecta/connector-lojaintegrada';
import * as mercos from '@conecta/connector-mercos';
import * as recompra from '@conecta/connector-recompra';
import * as maino from '@conecta/maino-client';
import * as storeSqlite from '@conecta/store-sqlite';

const EXPECTED: Record<string, { module: Record<string, unknown>; names: string[] }> = {
  '@conecta/core': {
    module: core,
    names: [
      'AllocationPolicySchema',
      'AllocationStrategySchema',
      'AuditEntrySchema',
      'AuthError',
      'CONNECTOR_SPEC_VERSION',
      'CnpjSchema',
      'CompanyGroupSchema',
      'CompanySchema',
      'ConectaError',
      'ConectaEventBus',
      'ConfigurationError',
      'ConflictError',
      'CustomerSchema',
      'INTAKE_RANK',
      'InsufficientStockError',
      'IntakeStateSchema',
      'IntegrationModeSchema',
      'IntegrationSchema',
      'MAX_ERROR_BODY_CHARS',
      'MIN_SECRET_LENGTH',
      'MovementFailureSchema',
      'MovementSchema',
      'MovementStateSchema',
      'NotFoundError',
      'OPEN_MOVEMENT_STATES',
      'ORDER_SITUATIONS',
      'OrderLineSchema',
      'OrderTotalsSchema',
      'OrderWarningSchema',
      'PlatformOrderSchema',
      'ProductRefSchema',
      'QUANTITY_SCALE',
      'REDACTED',
      'RateLimitError',
      'ResponseTooLargeError',
      'ShortfallPolicySchema',
      'StatusDictionarySchema',
      'StatusMappingSchema',
      'StockBufferSchema',
      'StockPushSettingsSchema',
      'StockShortfallError',
      'UNMATCHED_REASONS',
      'UnmatchedLineSchema',
      'UpstreamError',
      'ValidationError',
      'WebhookRejectedError',
      'allocate',
      'applyBuffer',
      'applyLineMappings',
      'assertConnector',
      'canTransition',
      'cnpjProblem',
      'companiesByPriority',
      'compiledSchema',
      'computedTotalCents',
      'countStates',
      'createMemoryStore',
      'createPipeline',
      'createReplayGuard',
      'createRunner',
      'createWebhookHandler',
      'customerDocument',
      'decodeHtmlEntities',
      'defineStatusDictionary',
      'describeMercosViolation',
      'effectiveMode',
      'erpReference',
      'floorUnits',
      'formatCents',
      'formatCnpj',
      'formatCpf',
      'formatDateBr',
      'formatQuantity',
      'formatScaledDecimal',
      'fromZodError',
      'instantToLocalDateTime',
      'isHeld',
      'isSecretKey',
      'lineUnmatchedWarning',
      'localDateTimeToInstant',
      'matchedLines',
      'matchedSkus',
      'mercosRuleViolations',
      'movementKey',
      'nextIntakeState',
      'normaliseCnpj',
      'normaliseCpf',
      'normalizeTaxId',
      'orderId',
      'orderSituation',
      'ordersReadyToRetry',
      'parseCents',
      'parseDateBr',
      'parsePlatformOrder',
      'parseQuantity',
      'parseScaledDecimal',
      'parseWith',
      'redactHeaders',
      'redactText',
      'redactUrl',
      'redactValue',
      'registerSecret',
      'registerSecretKey',
      'resolveStatus',
      'resumeCursor',
      'storedTotals',
      'sumCents',
      'taxIdProblem',
      'toConectaError',
      'units',
      'unmappedStatuses',
      'unmatchedLineCount',
      'unregisterSecret',
    ],
  },
  '@conecta/core/http': {
    module: coreHttp,
    names: [
      'DEFAULT_HTTP_POLICY',
      'backoffDelay',
      'createHttpClient',
      'createTokenBucket',
      'hmacSha256Base64',
      'hmacSha256Hex',
      'isLoopbackHost',
      'parseJsonBytes',
      'parseRetryAfter',
      'requireSecureUrl',
      'resetSharedDispatcher',
      'resolveRateLimit',
      'sha256Hex',
      'shareRateLimits',
      'sharedTokenBucket',
      'timingSafeEqualString',
    ],
  },
  '@conecta/core/store': {
    module: coreStore,
    names: [
      'applyTransition',
      'holdsStock',
      'matchesFilter',
      'newMovement',
      'pickClaims',
      'servedTurns',
      'settleTransition',
      'transitionAll',
      'withLineMapping',
    ],
  },
  '@conecta/core/fakes': {
    module: coreFakes,
    names: ['FAKE_CLOCK_START', 'createFakeClock', 'serveHandler'],
  },
  '@conecta/core/testing': {
    module: coreTesting,
    names: [
      'FAKE_CLOCK_START',
      'assertNoSecret',
      'comparableOrder',
      'createFakeClock',
      'createMemoryConnector',
      'createMemoryErp',
      'describeConnectorContract',
      'describeErpContract',
      'describePipelineInvariants',
      'describeStoreContract',
      'expectOrderToMatch',
      'keyPaths',
      'memoryInvariantsErp',
      'platformOrder',
      'readPublishedPayload',
      'readPublishedPayloads',
      'serveHandler',
    ],
  },
  '@conecta/connector-tray': {
    module: tray,
    names: [
      'TRAY_DEFAULT_STATUSES',
      'TRAY_RATE_LIMIT',
      'createTrayConnector',
      'exchangeTrayCode',
      'mapTrayOrder',
      'parseTrayNotification',
      'parseTrayTokenResponse',
      'refreshTrayToken',
      'trayDefaultStatusDictionary',
    ],
  },
  '@conecta/connector-woocommerce': {
    module: woocommerce,
    names: [
      'WOOCOMMERCE_BATCH_LIMIT',
      'WOOCOMMERCE_MAPPED_ORDER_FIELDS',
      'WOOCOMMERCE_RATE_LIMIT',
      'WOOCOMMERCE_STATUS_LABELS',
      'WooCommerceOrderSchema',
      'createWooCommerceConnector',
      'mapWooCommerceOrder',
      'wooCommerceDefaultStatusDictionary',
    ],
  },
  '@conecta/connector-lojaintegrada': {
    module: lojaintegrada,
    names: [
      'LOJAINTEGRADA_BASE_URL',
      'LOJAINTEGRADA_MAX_PAGE_SIZE',
      'LOJAINTEGRADA_RATE_LIMIT',
      'LOJAINTEGRADA_SITUACOES',
      'LOJAINTEGRADA_UNCONFIRMED_SITUACOES',
      'createLojaIntegradaConnector',
      'lojaIntegradaDefaultStatusDictionary',
      'mapLojaIntegradaOrder',
      'mapLojaIntegradaWebhookBody',
    ],
  },
  '@conecta/connector-mercos': {
    module: mercos,
    names: [
      'MERCOS_EXCLUDED_STATUS',
      'MERCOS_HOSTS',
      'MERCOS_LIMIT_HEADER',
      'MERCOS_RATE_LIMIT',
      'MERCOS_SANDBOX_RATE_LIMIT',
      'MERCOS_STATUS',
      'MERCOS_STATUSES',
      'MERCOS_STOCK_BATCH_SIZE',
      'createMercosConnector',
      'decodeMercosCursor',
      'encodeMercosCursor',
      'mapMercosOrder',
      'mercosCustomStatusCode',
      'mercosDefaultStatusDictionary',
      'mercosRetryAfter',
      'toMercosNovoSaldo',
    ],
  },
  '@conecta/connector-recompra': {
    module: recompra,
    names: [
      'RECOMPRA_ASSUMED_STATUSES',
      'RECOMPRA_DELIVERY_HEADER',
      'RECOMPRA_RATE_LIMIT',
      'RECOMPRA_SIGNATURE_HEADER',
      'RECOMPRA_TIMESTAMP_HEADER',
      'RecompraOrderSchema',
      'RecompraWireOrderSchema',
      'createRecompraConnector',
      'decodeRecompraCursor',
      'encodeRecompraCursor',
      'identifyRecompraOrder',
      'recompraCentsField',
      'recompraDefaultStatusDictionary',
      'recompraQuantityField',
      'signRecompraDelivery',
    ],
  },
  '@conecta/maino-client': {
    module: maino,
    names: [
      'MAINO_BASE_URL',
      'MAINO_DEFAULT_ENDPOINTS',
      'MAINO_RATE_LIMIT',
      'authenticateMaino',
      'buildMainoOrderBody',
      'createMainoClient',
    ],
  },
  '@conecta/store-sqlite': {
    module: storeSqlite,
    names: [
      'MIGRATIONS',
      'SCHEMA_VERSION',
      'createSqliteStore',
      'migrate',
    ],
  },
};

describe('public API', () => {
  it.each(Object.keys(EXPECTED))('%s exports exactly the pinned names', (entry) => {
    const { module, names } = EXPECTED[entry]!;
    expect(Object.keys(module).sort()).toEqual([...names].sort());
  });

  it('names every connector and the Mainô client export after its platform, one way', () => {
    const platforms: Record<string, { camel: string; upper: string; pascal: string }> = {
      '@conecta/connector-tray': { camel: 'tray', upper: 'TRAY', pascal: 'Tray' },
      '@conecta/connector-woocommerce': { camel: 'wooCommerce', upper: 'WOOCOMMERCE', pascal: 'WooCommerce' },
      '@conecta/connector-lojaintegrada': { camel: 'lojaIntegrada', upper: 'LOJAINTEGRADA', pascal: 'LojaIntegrada' },
      '@conecta/connector-mercos': { camel: 'mercos', upper: 'MERCOS', pascal: 'Mercos' },
      '@conecta/connector-recompra': { camel: 'recompra', upper: 'RECOMPRA', pascal: 'Recompra' },
      '@conecta/maino-client': { camel: 'maino', upper: 'MAINO', pascal: 'Maino' },
    };
    for (const [entry, { camel, upper, pascal }] of Object.entries(platforms)) {
      const names = Object.keys(EXPECTED[entry]!.module);
      for (const name of names) {
        // Constants are <PLATFORM>_..., functions <platform>... or ...<Platform>..., schemas <Platform>...
        const named = name.startsWith(`${upper}_`) || name.startsWith(camel) || name.includes(pascal);
        expect(named, `${entry} exports ${name}, which does not name the platform`).toBe(true);
      }
      if (entry !== '@conecta/maino-client') {
        expect(names).toContain(`create${pascal}Connector`);
        expect(names).toContain(`${camel}DefaultStatusDictionary`);
      }
      expect(names.some((name) => name === `${upper}_RATE_LIMIT`)).toBe(true);
    }
  });

  it('keeps the HTTP internals and the test helpers out of @conecta/core/http', () => {
    for (const internal of ['sharedLimiterKey', 'sharedSpacingMs', 'sharedRateLimiter', 'serveHandler', 'createLane', 'sharedLane']) {
      expect(Object.keys(coreHttp)).not.toContain(internal);
    }
    for (const storeHelper of ['applyTransition', 'settleTransition', 'matchesFilter']) expect(Object.keys(core)).not.toContain(storeHelper);
  });

  it('builds @conecta/core/fakes without vitest or msw, which the connectors\' fakes and the demo load at run time', () => {
    const built = readFileSync(new URL('../../packages/core/dist/fakes/index.js', import.meta.url), 'utf8');
    expect(built).not.toMatch(/from ["'](vitest|msw)/);
    for (const source of ['connector-tray/src/fake/clock.ts', 'connector-recompra/src/fake/clock.ts', 'cli/src/deployment/demo.ts']) {
      expect(readFileSync(new URL(`../../packages/${source}`, import.meta.url), 'utf8')).not.toContain('@conecta/core/testing');
    }
  });
});
