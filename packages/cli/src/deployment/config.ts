import { readFileSync } from 'node:fs';
import {
  CompanyGroupSchema,
  ConfigurationError,
  IntegrationModeSchema,
  StatusDictionarySchema,
  StockPushSettingsSchema,
  fromZodError,
  mercosRuleViolations,
  type MercosRuleViolation,
} from '@conecta/core';
import * as z from 'zod';
import { ConnectionSchemas, PLATFORMS } from './platforms.js';

const secret = z.string().regex(/^env:[A-Z0-9_]+$/, 'secrets come from the environment: write env:VARIABLE_NAME');

export const ServerConfigSchema = z.object({
  server: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.int().min(0).max(65535).default(3000),
      /** Reverse proxies whose X-Forwarded-For is believed (their own addresses, e.g. "127.0.0.1"). */
      trustedProxies: z.array(z.union([z.ipv4(), z.ipv6()])).default([]),
      /** Origins people reach the dashboard at through a TLS proxy (`https://conecta.example`); forms posted from them are accepted. */
      publicOrigins: z.array(z.url().regex(/^https?:\/\/[^/]+$/, 'an origin: scheme and host, no path')).default([]),
    })
    .default({ host: '127.0.0.1', port: 3000, trustedProxies: [], publicOrigins: [] }),
  /** SQLite file by default; PostgreSQL when a URL is given (so several workers can share it). */
  store: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('sqlite'), path: z.string().default('.data/conecta.db') }),
      z.object({ kind: z.literal('postgres'), url: secret }),
    ])
    .default({ kind: 'sqlite', path: '.data/conecta.db' }),
  /** Signs session cookies: required outside the demo (at least 32 characters). */
  sessionSecret: secret.optional(),
  maino: z.object({
    baseUrl: z.url().optional(),
    applicationUid: secret,
    /** API keys per company (CNPJ -> env reference), used by the pipeline; people sign in with their own login. */
    apiKeys: z.record(z.string(), secret),
    /** Requests per company token; the default (2 a second) is an assumption, since Mainô publishes none. */
    rateLimit: z.object({ requests: z.int().positive(), intervalMs: z.int().positive() }).optional(),
  }),
  groups: z.array(CompanyGroupSchema).min(1),
  /**
   * How old (ms) the Mainô stock behind an allocation or a Sincronizar check may be: within it, checks read the
   * snapshots every worker shares; 0 reads Mainô for every check. The order page says how old the reading was.
   */
  stockFreshnessMs: z.int().min(0).default(30_000),
  integrations: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        platform: z.enum(PLATFORMS as [string, ...string[]]),
        name: z.string().min(1),
        groupId: z.string(),
        mode: IntegrationModeSchema.optional(),
        stockPush: StockPushSettingsSchema.optional(),
        /** Left out: the connector's default dictionary. */
        statusDictionary: StatusDictionarySchema.optional(),
        /** Mercos on a one-company group: only when Mainô's own Mercos integration is not in use (see the README). */
        noDirectIntegration: z.boolean().optional(),
        pollIntervalMs: z.int().positive().default(60_000),
        connection: z.unknown(),
      }),
    )
    .min(1),
});
export type ServerConfig = z.output<typeof ServerConfigSchema>;

export interface ParseConfigOptions {
  /** False lets a config that breaks the Mercos rule through, for `conecta doctor` to report it. Default true. */
  mercosRule?: boolean;
}

/** Validates a config object; each error names the field, e.g. `integrations.1.connection.consumerKey`. */
export function parseConfig(input: unknown, options: ParseConfigOptions = {}): ServerConfig {
  const result = ServerConfigSchema.safeParse(input);
  if (!result.success) throw fromZodError(result.error, 'config');
  const config = result.data;
  config.integrations.forEach((integration, index) => {
    const schema = ConnectionSchemas[integration.platform as keyof typeof ConnectionSchemas];
    const connection = schema.safeParse(integration.connection);
    if (!connection.success) {
      const error = fromZodError(connection.error, 'config');
      throw new ConfigurationError(`config: integrations.${index}.connection.${error.path}: ${error.issues[0]?.message ?? 'invalid'}`);
    }
    if (!config.groups.some((group) => group.id === integration.groupId)) {
      throw new ConfigurationError(`config: integrations.${index}.groupId: no group "${integration.groupId}"`);
    }
  });
  const [violation] = options.mercosRule === false ? [] : mercosRuleViolations(config.groups, config.integrations);
  if (violation) throw new ConfigurationError(`config: ${mercosViolationPt(violation, config)}`);
  return config;
}

/** The Mercos rule in the operators' language, naming the integrations, the group and what to do. */
export function mercosViolationPt(violation: MercosRuleViolation, config: Pick<ServerConfig, 'integrations'>): string {
  const where = (id: string) => `integrations.${config.integrations.findIndex((integration) => integration.id === id)}`;
  if (violation.kind === 'several-accounts') {
    return (
      `o grupo "${violation.groupId}" tem ${violation.integrationIds.length} integrações Mercos (${violation.integrationIds.join(', ')}): ` +
      'o Conecta leva uma única conta Mercos por grupo. Deixe só uma.'
    );
  }
  return (
    `${where(violation.integrationId)}: a integração Mercos "${violation.integrationId}" está no grupo "${violation.groupId}", que tem um só CNPJ. ` +
    'Com um CNPJ o Mainô integra com o Mercos diretamente, e cada pedido seria criado duas vezes. ' +
    'Use "noDirectIntegration": true somente se a integração direta do Mainô com o Mercos não estiver ativa.'
  );
}

export function loadConfigFile(path: string, options: ParseConfigOptions = {}): ServerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigurationError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConfig(json, options);
}
