/**
 * Garbage in: random JSON, truncated JSON and real payload shapes with wrong types, fed to every connector's parser
 * (through listOrders against its fake, whose answers are altered on the way) and to every webhook endpoint. The
 * SDK must never crash: a typed ConectaError, a quarantined (rejected) record, or a 4xx, and never a secret echoed.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CompanyGroupSchema,
  ConectaError,
  IntegrationSchema,
  PlatformOrderSchema,
  createMemoryStore,
  createPipeline,
  createWebhookHandler,
  type OrderPage,
  type WebhookInput,
} from '@conecta/core';
import { signRecompraDelivery } from '@conecta/connector-recompra';
import { createMemoryErp } from '@conecta/core/testing';
import { MATRIZ, NAMES, PLATFORM_IDS, SECRETS, SECRET_VALUES, STATUSES, makeConnector, makeFakes, type PlatformId } from '../support/world.js';

const RUNS = Number(process.env['CONECTA_BAD_INPUT_RUNS'] ?? 25);
const SEED = Number(process.env['CONECTA_BAD_INPUT_SEED'] ?? 4242);

function leaked(text: string): string[] {
  return SECRET_VALUES.filter((secret) => text.includes(secret));
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const json = (() => {
    try {
      return JSON.stringify(error);
    } catch {
      return '';
    }
  })();
  return [error.message, String(error), json, error.stack ?? '', error.cause instanceof Error ? `${error.cause.message} ${error.cause.stack ?? ''}` : String(error.cause ?? '')].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations of a real answer body.

type Mutation = { kind: 'random-json'; body: string } | { kind: 'truncate'; at: number } | { kind: 'wrong-type'; node: number; value: unknown } | { kind: 'drop'; node: number };

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.string(),
  fc.boolean(),
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string(), fc.integer()), { maxKeys: 3 }),
  fc.constantFrom('', '-1', '1e309', 'NaN', '2024-13-45T99:99:99', '١٢٣', '0x10', '9'.repeat(40)),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((value) => ({ kind: 'random-json' as const, body: JSON.stringify(value) ?? 'null' })),
  fc.string({ maxLength: 40 }).map((body) => ({ kind: 'random-json' as const, body })),
  fc.nat().map((at) => ({ kind: 'truncate' as const, at })),
  fc.tuple(fc.nat(), wrongValue).map(([node, value]) => ({ kind: 'wrong-type' as const, node, value })),
  fc.tuple(fc.nat(), wrongValue).map(([node, value]) => ({ kind: 'wrong-type' as const, node, value })),
  fc.nat().map((node) => ({ kind: 'drop' as const, node })),
);

/** Every (parent, key) of a JSON tree, depth first. */
function nodes(root: unknown): Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> {
  const out: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((child, index) => {
        out.push({ parent: value, key: index });
        walk(child);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        out.push({ parent: value as Record<string, unknown>, key });
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

function mutate(text: string, change: Mutation): string {
  if (change.kind === 'random-json') return change.body;
  if (change.kind === 'truncate') return text.slice(0, text.length === 0 ? 0 : change.at % text.length);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.slice(0, Math.floor(text.length / 2));
  }
  const all = nodes(parsed);
  if (all.length === 0) return JSON.stringify(change.kind === 'wrong-type' ? change.value : null);
  const { parent, key } = all[change.node % all.length]!;
  if (change.kind === 'drop') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else {
    (parent as Record<string | number, unknown>)[key] = change.value;
  }
  return JSON.stringify(parsed);
}

// ---------------------------------------------------------------------------------------------------------------

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('bad input: connector parsers (listOrders against a fake answering garbage)', () => {
  for (const id of PLATFORM_IDS) {
    it(`${id}: typed errors or quarantined records, no secret`, async () => {
      const problems: string[] = [];
      const stats = { runs: 0, altered: 0, typedErrors: 0, rejected: 0 };
      // How many answers an undisturbed listing reads, so the garbage lands on one of them.
      const answers = await (async () => {
        const fake = makeFakes()[id];
        fake.seedOrders(3, { status: STATUSES[id].paid });
        let count = 0;
        const connector = makeConnector(id, ((input: RequestInfo | URL, init?: RequestInit) => {
          count += 1;
          return fake.handle(new Request(input, init));
        }) as typeof globalThis.fetch);
        for await (const page of connector.listOrders()) expect(page.rejected).toEqual([]);
        return count;
      })();
      expect(answers).toBeGreaterThan(0);
      await fc.assert(
        fc.asyncProperty(fc.nat(), mutation, async (pick, change) => {
          stats.runs += 1;
          const victim = pick % answers;
          const fake = makeFakes()[id];
          fake.seedOrders(3, { status: STATUSES[id].paid });
          let seen = 0;
          let altered = false;
          const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
            const response = await fake.handle(new Request(input, init));
            const index = seen++;
            if (index !== victim || response.status !== 200) return response;
            altered = true;
            const headers = new Headers(response.headers);
            headers.delete('content-length');
            return new Response(mutate(await response.text(), change), { status: 200, headers });
          }) as typeof globalThis.fetch;
          const connector = makeConnector(id, fetch);
          const pages: OrderPage[] = [];
          try {
            await withDeadline(
              (async () => {
                for await (const page of connector.listOrders()) pages.push(page);
              })(),
              8_000,
              `${id} listOrders`,
            );
          } catch (error) {
            if (altered) stats.altered += 1;
            if (!ConectaError.isConectaError(error)) {
              problems.push(`${id} ${JSON.stringify(change).slice(0, 200)} @${victim}: untyped ${describeError(error).slice(0, 300)}`);
              return false;
            }
            stats.typedErrors += 1;
            const secrets = leaked(describeError(error));
            if (secrets.length) {
              problems.push(`${id}: error leaks ${secrets.join(',')}`);
              return false;
            }
            return true;
          }
          if (altered) stats.altered += 1;
          if (pages.some((page) => page.rejected.length > 0)) stats.rejected += 1;
          const dump = JSON.stringify(pages);
          const secrets = leaked(dump);
          if (secrets.length) {
            problems.push(`${id}: a page leaks ${secrets.join(',')}`);
            return false;
          }
          // What passed is a valid order, not garbage let through.
          for (const order of pages.flatMap((page) => page.orders)) {
            const checked = PlatformOrderSchema.safeParse(order);
            if (!checked.success) {
              problems.push(`${id}: order ${order.externalId} let through invalid: ${checked.error.message.slice(0, 200)}`);
              return false;
            }
          }
          for (const rejected of pages.flatMap((page) => page.rejected)) {
            if (!ConectaError.isConectaError(rejected.error)) {
              problems.push(`${id}: a rejected payload without a typed error`);
              return false;
            }
          }
          return true;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      ).catch((error: unknown) => {
        throw new Error(`${problems.join('\n')}\n${String(error)}`);
      });
      if (process.env['CONECTA_BAD_INPUT_DEBUG']) console.log(id, answers, JSON.stringify(stats));
      // The garbage did reach the parser: most runs altered an answer, and some ended in a typed error.
      expect(stats.altered).toBeGreaterThan(stats.runs / 2);
      expect(stats.typedErrors + stats.rejected).toBeGreaterThan(0);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------

function buildEndpoint() {
  const fakes = makeFakes();
  const store = createMemoryStore();
  const erp = createMemoryErp({ companies: [{ cnpj: MATRIZ }] });
  const group = CompanyGroupSchema.parse({ id: 'grupo', name: 'Grupo', companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
  const integrations = PLATFORM_IDS.map((id) => {
    const fake = fakes[id];
    const connector = makeConnector(id, ((input: RequestInfo | URL, init?: RequestInit) => fake.handle(new Request(input, init))) as typeof globalThis.fetch);
    return {
      // One company and no Mainô-side Mercos integration in this test: Mercos may come through Conecta.
      integration: IntegrationSchema.parse({ id, platform: id, name: NAMES[id], groupId: group.id, statusDictionary: connector.defaultStatusDictionary, ...(id === 'mercos' ? { noDirectIntegration: true } : {}) }),
      connector,
    };
  });
  const pipeline = createPipeline({ store, erp, groups: [group], integrations });
  const handler = createWebhookHandler(pipeline);
  const seeded = Object.fromEntries(PLATFORM_IDS.map((id) => [id, fakes[id].seedOrders(2, { status: STATUSES[id].paid })])) as Record<PlatformId, string[]>;
  return { fakes, store, handler, seeded };
}

function toHeaders(input: WebhookInput): Record<string, string> {
  return input.headers instanceof Headers ? Object.fromEntries(input.headers) : { ...input.headers };
}

function bodyText(input: WebhookInput): string {
  return typeof input.rawBody === 'string' ? input.rawBody : new TextDecoder().decode(input.rawBody);
}

let deliverySeq = 0;

/** A delivery of `body` that passes the platform's authentication: garbage that reaches the parser. */
function authentic(id: PlatformId, template: WebhookInput, body: string): { url: string; headers: Record<string, string>; body: string } {
  const headers = toHeaders(template);
  const url = template.url ?? `https://conecta.example/webhooks/${id}`;
  if (id === 'woocommerce') {
    for (const key of Object.keys(headers)) if (key.toLowerCase() === 'x-wc-webhook-signature') delete headers[key];
    headers['x-wc-webhook-signature'] = createHmac('sha256', SECRETS.wooHook).update(body).digest('base64');
    headers['x-wc-webhook-delivery-id'] = `bad-${++deliverySeq}`;
  }
  if (id === 'recompra') {
    for (const key of Object.keys(headers)) if (key.toLowerCase().startsWith('x-recompra-')) delete headers[key];
    const timestamp = String(Math.floor(Date.now() / 1000));
    const delivery = `dlv_bad_${++deliverySeq}`;
    headers['X-Recompra-Timestamp'] = timestamp;
    headers['X-Recompra-Delivery'] = delivery;
    headers['X-Recompra-Signature'] = signRecompraDelivery(SECRETS.recompraHook, timestamp, delivery, body);
  }
  return { url: routeUrl(id, url), headers, body };
}

/** The handler routes by a path segment naming the integration; the platform's own URL (and its token) is kept. */
function routeUrl(id: PlatformId, url: string): string {
  const parsed = new URL(url);
  if (parsed.pathname.split('/').includes(id)) return parsed.toString();
  parsed.pathname = `/webhooks/${id}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  return parsed.toString();
}

describe('bad input: webhook endpoints', () => {
  it('answers every garbage delivery with a 4xx (or quarantines it), never a 5xx, never a secret', async () => {
    const { fakes, handler, seeded, store } = buildEndpoint();
    const problems: string[] = [];
    const seen = new Map<string, number>();
    const check = async (id: PlatformId, label: string, request: Request, allowAccepted: boolean) => {
      const response = await withDeadline(handler(request), 8_000, `${id} ${label}`);
      const text = await response.text();
      const key = `${id} ${label.split(' ')[0]} ${response.status}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      // 404 would mean the request never reached the integration: the run would prove nothing.
      if (response.status === 404) problems.push(`${id} ${label}: not routed`);
      const secrets = leaked(text);
      if (secrets.length) problems.push(`${id} ${label}: response echoes ${secrets.join(',')}`);
      if (response.status >= 500) problems.push(`${id} ${label}: ${response.status} ${text}`);
      else if (response.status === 200) {
        const body = JSON.parse(text) as { status: string; imported: number; quarantined: number };
        if (!allowAccepted && body.status !== 'ping') problems.push(`${id} ${label}: accepted ${text}`);
      }
    };

    const hooked = PLATFORM_IDS.filter((id) => fakes[id].webhooks);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...hooked), mutation, fc.constantFrom('unsigned', 'tampered', 'authentic', 'bytes'), fc.uint8Array({ maxLength: 64 }), async (id, change, how, bytes) => {
        const webhooks = fakes[id].webhooks!;
        const template = webhooks.valid(seeded[id][0]!);
        const garbage = mutate(bodyText(template), change);
        if (how === 'authentic') {
          const { url, headers, body } = authentic(id, template, garbage);
          // Signed garbage may reach the parser: a 4xx, or a 200 that quarantined or imported what it could read.
          await check(id, `authentic ${JSON.stringify(change).slice(0, 120)}`, new Request(url, { method: 'POST', headers, body }), true);
          return true;
        }
        if (how === 'bytes') {
          const headers = toHeaders(template);
          await check(id, 'random bytes', new Request(routeUrl(id, template.url ?? `https://conecta.example/webhooks/${id}`), { method: 'POST', headers, body: bytes }), false);
          return true;
        }
        // The LI fake has no `tampered` (LI signs no body; see the report): its token-carrying delivery is authentic.
        const tamper = webhooks.tampered as typeof webhooks.tampered | undefined;
        const tampered = typeof tamper === 'function';
        const base = how === 'unsigned' ? webhooks.unsigned(seeded[id][1]!) : tamper ? tamper(seeded[id][1]!) : webhooks.valid(seeded[id][1]!);
        const headers = toHeaders(base);
        // The garbage is made from the unsigned or tampered body itself, so what made it unauthentic may survive.
        const body = mutate(bodyText(base), change);
        await check(id, `${how} garbage ${JSON.stringify(change).slice(0, 120)} ${body.slice(0, 200)}`, new Request(routeUrl(id, base.url ?? `https://conecta.example/webhooks/${id}`), { method: 'POST', headers, body }), how === 'tampered' && !tampered);
        return true;
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );

    // Unsigned and tampered deliveries exactly as the fakes build them are refused with a 401.
    for (const id of hooked) {
      const webhooks = fakes[id].webhooks!;
      for (const input of [webhooks.unsigned(seeded[id][1]!), ...(typeof webhooks.tampered === 'function' ? [webhooks.tampered(seeded[id][1]!)] : [])]) {
        const response = await handler(new Request(routeUrl(id, input.url ?? `https://conecta.example/webhooks/${id}`), { method: 'POST', headers: toHeaders(input), body: bodyText(input) }));
        const text = await response.text();
        expect(leaked(text), `${id} echoes`).toEqual([]);
        if (response.status !== 401 && response.status !== 400) problems.push(`${id} unsigned/tampered: ${response.status} ${text}`);
      }
    }
    // Mercos has no webhooks: its endpoint refuses; unknown integrations and other methods too.
    const mercos = await handler(new Request('https://conecta.example/webhooks/mercos', { method: 'POST', body: '{}' }));
    expect(mercos.status).toBeGreaterThanOrEqual(400);
    expect(mercos.status).toBeLessThan(500);
    expect((await handler(new Request('https://conecta.example/webhooks/nope', { method: 'POST', body: '{}' }))).status).toBe(404);
    expect((await handler(new Request('https://conecta.example/webhooks/tray', { method: 'GET' }))).status).toBe(405);

    if (process.env['CONECTA_BAD_INPUT_DEBUG']) console.log([...seen].sort().join('\n'));
    expect(problems).toEqual([]);
    // Nothing unsigned or tampered became an order beyond what the authentic deliveries carried.
    for (const id of hooked) {
      for (const record of await store.listQuarantine(id)) expect(leaked(JSON.stringify(record)), `${id} quarantine`).toEqual([]);
    }
  });
});
