/**
 * The deployment shared by the example server and the `conecta` command line: the config file's schema (secrets
 * are `env:` references), the connectors built from it, and the SDK composed into store, pipeline and runner.
 */
export { loadConfigFile, mercosViolationPt, parseConfig, ServerConfigSchema, type ParseConfigOptions, type ServerConfig } from './config.js';
export { buildConnector, ConnectionSchemas, fromEnv, PLATFORMS, type Platform } from './platforms.js';
export { composeConecta, openStore, type Conecta } from './compose.js';
export { routeErpByCompany } from './erp-router.js';
export { importLegacyDictionaryFile } from './legacy-dictionaries.js';
