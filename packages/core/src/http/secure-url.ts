import { ConfigurationError } from '../errors/errors.js';

export interface SecureUrlOptions {
  /** Names the platform in the error (`tray`, `maino`). */
  platform: string;
  /** Names the option in the error (`apiAddress`, `baseUrl`). */
  field: string;
  /** Plain http to any host (a test server on another machine). Off by default. */
  allowInsecureHttp?: boolean;
}

/** localhost (and its subdomains), 127.0.0.0/8 and ::1: a connection that never leaves the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The rule every client applies to the URL its credentials travel to: https, or plain http only to a loopback host
 * (a local fake), unless `allowInsecureHttp` says otherwise. Returns the parsed URL; anything else is a
 * ConfigurationError naming the option.
 */
export function requireSecureUrl(raw: string, options: SecureUrlOptions): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigurationError(`${options.platform}: ${options.field} ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (isLoopbackHost(url.hostname) || options.allowInsecureHttp)) return url;
  throw new ConfigurationError(
    `${options.platform}: ${options.field} must use https (plain http only to localhost), got ${url.protocol}//${url.host}: credentials travel with every request`,
  );
}
