// Reading a page of orders from its bytes: `JSON.parse(new TextDecoder().decode(bytes))`, as most clients do (the
// official WooCommerce client through axios's `toString`), against core's `parseJsonBytes`, which parses a large
// top-level array element by element. The pages are the WooCommerce fake's answers to `GET orders?per_page=100`.
//
// Run: node bench/run-ts.mjs bench/json-bytes.ts [--pages=100] [--rounds=15]
//
// Also prints what decoding alone costs per byte for a string below and above V8's large-object threshold (~128 KB),
// the reason the element-by-element reading exists.
import { isDeepStrictEqual } from 'node:util';
import { parseJsonBytes } from '@conecta/core/http';
import { createWooCommerceFake } from '@conecta/connector-woocommerce/fake';
import { arg, fmt } from './lib.js';

const PAGES = Number(arg('pages', '100'));
const ROUNDS = Number(arg('rounds', '15'));

const baseUrl = 'http://woo.bench.invalid';
const fake = createWooCommerceFake({ baseUrl });
fake.seedOrders(PAGES * 100, { status: 'processing' });
const auth = `Basic ${Buffer.from(`${fake.consumerKey}:${fake.consumerSecret}`).toString('base64')}`;
const pages: Uint8Array[] = [];
for (let page = 1; page <= PAGES; page += 1) {
  const response = await fake.handle(new Request(`${baseUrl}/wp-json/wc/v3/orders?per_page=100&page=${page}&orderby=id&order=asc`, { headers: { authorization: auth } }));
  if (response.status !== 200) throw new Error(`the fake answered ${response.status} for page ${page}`);
  pages.push(new Uint8Array(await response.arrayBuffer()));
}
const totalBytes = pages.reduce((sum, page) => sum + page.length, 0);

const decoder = new TextDecoder();
const whole = (bytes: Uint8Array): unknown => JSON.parse(decoder.decode(bytes));
for (const bytes of pages) {
  if (!isDeepStrictEqual(parseJsonBytes(bytes), whole(bytes))) throw new Error('parseJsonBytes read a page differently from JSON.parse');
}

/** One pass over every page, in milliseconds; the best of `ROUNDS` is kept, the two readers alternating round by round. */
function onePass(read: (bytes: Uint8Array) => unknown): number {
  const start = performance.now();
  for (const bytes of pages) read(bytes);
  return performance.now() - start;
}
const times = { whole: Infinity, elements: Infinity };
for (let round = 0; round < ROUNDS; round += 1) {
  times.whole = Math.min(times.whole, onePass(whole));
  times.elements = Math.min(times.elements, onePass(parseJsonBytes));
}

console.log(`json-bytes bench: node ${process.version}, ${PAGES} WooCommerce fake pages of 100 orders, ${fmt(totalBytes / 1024 / PAGES)} KB per page, best of ${ROUNDS} rounds`);
console.log(`  JSON.parse(TextDecoder.decode(page)): ${fmt(times.whole, 1)} ms (${fmt((times.whole * 1000) / PAGES)} µs per page)`);
console.log(`  parseJsonBytes(page), element by element: ${fmt(times.elements, 1)} ms (${fmt((times.elements * 1000) / PAGES)} µs per page)`);
console.log(`  ratio: ${(times.whole / times.elements).toFixed(2)}x; same values: yes`);

// Decoding alone, per byte, for one string below and one above the large-object threshold.
const sample = pages[0]!;
for (const size of [96 * 1024, Math.min(sample.length, 256 * 1024)]) {
  const slice = sample.subarray(0, size);
  let ns = Infinity;
  for (let round = 0; round < ROUNDS * 4; round += 1) {
    const start = performance.now();
    for (let i = 0; i < 20; i += 1) decoder.decode(slice);
    ns = Math.min(ns, ((performance.now() - start) * 1e6) / 20 / size);
  }
  console.log(`  TextDecoder.decode of ${fmt(size / 1024)} KB: ${ns.toFixed(2)} ns per byte`);
}
