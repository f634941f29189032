import type { WooCommerceAuthMode } from './options.js';

/** Adds the consumer key and secret to one attempt, as WooCommerce reads them over HTTPS. */
export function wooAuthorizer(mode: WooCommerceAuthMode, consumerKey: string, consumerSecret: string) {
  const basic = `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}`;
  return ({ headers, query }: { headers: Headers; query: URLSearchParams }): void => {
    if (mode === 'query') {
      query.set('consumer_key', consumerKey);
      query.set('consumer_secret', consumerSecret);
    } else {
      headers.set('authorization', basic);
    }
  };
}
