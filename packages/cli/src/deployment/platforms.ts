import { ConfigurationError, type Connector } from '@conecta/core';
import { createLojaIntegradaConnector } from '@conecta/connector-lojaintegrada';
import { createMercosConnector } from '@conecta/connector-mercos';
import { createRecompraConnector } from '@conecta/connector-recompra';
import { createTrayConnector } from '@conecta/connector-tray';
import { createWooCommerceConnector } from '@conecta/connector-woocommerce';
import * as z from 'zod';

/** A secret in the config file is the name of an environment variable (`env:TRAY_TOKEN`), never the value. */
const secret = z.string().regex(/^env:[A-Z0-9_]+$/, 'secrets come from the environment: write env:VARIABLE_NAME');

export const ConnectionSchemas = {
  tray: z.object({
    apiAddress: z.url(),
    accessToken: secret,
    refreshToken: secret.optional(),
    consumerKey: secret.optional(),
    consumerSecret: secret.optional(),
    storeId: z.string().optional(),
    webhookPathToken: secret.optional(),
    /** Tray's published pace (180 a minute) by default; a local fake may go faster. */
    rateLimit: z.object({ requests: z.int().positive(), intervalMs: z.int().positive(), burst: z.int().positive().optional() }).optional(),
  }),
  woocommerce: z.object({
    storeUrl: z.url(),
    consumerKey: secret,
    consumerSecret: secret,
    webhookSecret: secret.optional(),
    allowInsecureHttp: z.boolean().optional(),
  }),
  lojaintegrada: z.object({
    baseUrl: z.url().optional(),
    chaveApi: secret,
    chaveAplicacao: secret,
    webhookToken: secret.optional(),
  }),
  mercos: z.object({
    baseUrl: z.string().min(1),
    applicationToken: secret,
    companyToken: secret,
    /** Mercos sets the pace per account; the default follows `baseUrl` (sandbox or production). */
    rateLimit: z.object({ requests: z.int().positive(), intervalMs: z.int().positive() }).optional(),
  }),
  recompra: z.object({
    webhookToken: secret,
    polling: z.object({ baseUrl: z.url(), apiToken: secret, ordersPath: z.string().optional() }).optional(),
  }),
} as const;

export type Platform = keyof typeof ConnectionSchemas;
export const PLATFORMS = Object.keys(ConnectionSchemas) as Platform[];

/** Reads `env:NAME` from the environment; a missing variable names both the variable and the config field. */
export function fromEnv(reference: string | undefined, field: string, env: NodeJS.ProcessEnv): string | undefined {
  if (reference === undefined) return undefined;
  const name = reference.slice('env:'.length);
  const value = env[name];
  if (!value) throw new ConfigurationError(`${field}: environment variable ${name} is not set`);
  return value;
}

/** Builds the connector of one integration from its validated connection settings. */
export function buildConnector(platform: Platform, connection: unknown, field: string, env: NodeJS.ProcessEnv, fetchImpl?: typeof fetch): Connector {
  const need = (reference: string, name: string) => fromEnv(reference, `${field}.${name}`, env)!;
  const optional = (reference: string | undefined, name: string) => fromEnv(reference, `${field}.${name}`, env);
  const http = fetchImpl ? { fetch: fetchImpl } : {};
  switch (platform) {
    case 'tray': {
      const settings = ConnectionSchemas.tray.parse(connection);
      const pathToken = optional(settings.webhookPathToken, 'webhookPathToken');
      return createTrayConnector({
        ...http,
        apiAddress: settings.apiAddress,
        credentials: {
          accessToken: need(settings.accessToken, 'accessToken'),
          refreshToken: optional(settings.refreshToken, 'refreshToken'),
          consumerKey: optional(settings.consumerKey, 'consumerKey'),
          consumerSecret: optional(settings.consumerSecret, 'consumerSecret'),
          storeId: settings.storeId,
        },
        ...(settings.rateLimit ? { rateLimit: { ...settings.rateLimit, perDay: undefined, source: 'config' } } : {}),
        ...(pathToken ? { webhook: { pathToken, allowUnsigned: true } } : {}),
      });
    }
    case 'woocommerce': {
      const settings = ConnectionSchemas.woocommerce.parse(connection);
      return createWooCommerceConnector({
        ...http,
        storeUrl: settings.storeUrl,
        consumerKey: need(settings.consumerKey, 'consumerKey'),
        consumerSecret: need(settings.consumerSecret, 'consumerSecret'),
        webhookSecret: optional(settings.webhookSecret, 'webhookSecret'),
        allowInsecureHttp: settings.allowInsecureHttp ?? false,
      });
    }
    case 'lojaintegrada': {
      const settings = ConnectionSchemas.lojaintegrada.parse(connection);
      return createLojaIntegradaConnector({
        ...http,
        ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
        chaveApi: need(settings.chaveApi, 'chaveApi'),
        chaveAplicacao: need(settings.chaveAplicacao, 'chaveAplicacao'),
        webhookToken: optional(settings.webhookToken, 'webhookToken'),
      });
    }
    case 'mercos': {
      const settings = ConnectionSchemas.mercos.parse(connection);
      return createMercosConnector({
        ...http,
        baseUrl: settings.baseUrl,
        applicationToken: need(settings.applicationToken, 'applicationToken'),
        companyToken: need(settings.companyToken, 'companyToken'),
        ...(settings.rateLimit ? { rateLimit: { ...settings.rateLimit, source: 'config' } } : {}),
      });
    }
    case 'recompra': {
      const settings = ConnectionSchemas.recompra.parse(connection);
      return createRecompraConnector({
        ...http,
        webhookToken: need(settings.webhookToken, 'webhookToken'),
        ...(settings.polling
          ? { polling: { baseUrl: settings.polling.baseUrl, apiToken: need(settings.polling.apiToken, 'polling.apiToken'), ordersPath: settings.polling.ordersPath } }
          : {}),
      });
    }
  }
}
