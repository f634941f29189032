import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConectaError } from '../errors/conecta-error.js';
import type { CreateSalesOrderInput, ErpPort } from '../spec/erp.js';
import { assertNoSecret } from './connector-contract.js';

export interface ErpContractProductSeed {
  sku: string;
  name: string;
  /** On hand, milli-units. */
  onHandMilli: number;
  committedMilli?: number;
}

/** Makes the next create end ambiguously; each hook arms exactly one create. */
export interface ErpContractFaults {
  /** The order is stored, but the answer does not arrive before the client gives up. */
  timeoutAfterStore(): void | Promise<void>;
  /** The order is stored, then a 5xx (a gateway 504, say) is all the client sees. */
  serverErrorAfterStore(): void | Promise<void>;
  /** A 5xx before anything is stored. */
  serverErrorBeforeStore(): void | Promise<void>;
}

/** One fresh ERP per case, with the hooks the suite needs to seed it and to read its state independently of the port. */
export interface ErpContractHarness {
  erp: ErpPort;
  /** Two companies of the configured group (14 digits). */
  companies: readonly [string, string];
  /** A valid CNPJ that is not in the group (the ERP may well know it). */
  outsideCnpj: string;
  seedProduct(cnpj: string, product: ErpContractProductSeed): void | Promise<void>;
  /** Committed stock as the ERP itself holds it. */
  committedMilli(cnpj: string, sku: string): number | Promise<number>;
  /** Orders stored under a reference, as the ERP itself holds them. */
  countByReference(cnpj: string, externalReference: string): number | Promise<number>;
  /** Requests (or calls) that reached the ERP so far; lets the suite prove a refusal happened before any. */
  requestCount?(): number;
  /** Omit when the implementation has no transport to fail (the in-memory ERP). */
  faults?: ErpContractFaults;
  /** The same ERP set up with wrong credentials; omit when there are none. */
  withWrongCredentials?(): ErpPort;
  /** Every configured secret; none may appear in any error. */
  secrets: readonly string[];
  teardown?(): void | Promise<void>;
}

export interface ErpContractOptions {
  name: string;
  setup(): ErpContractHarness | Promise<ErpContractHarness>;
  /** Per case; fault cases wait out timeouts. Default 20 s. */
  timeoutMs?: number;
  /**
   * What the implementation has. An ERP without a transport (the in-memory one) has no faults to survive and no
   * credentials to get wrong; those cases are then not run, and a case checks the harness agrees. Default: both.
   */
  has?: { transport?: boolean; credentials?: boolean };
}

/** The behaviour every ErpPort shares, run against the in-memory ERP and against the Mainô client on its fake. */
export function describeErpContract(options: ErpContractOptions): void {
  let harness: ErpContractHarness;
  let seq = 0;
  const timeout = options.timeoutMs ?? 20_000;
  const errors: unknown[] = [];
  const capture = async (promise: Promise<unknown>): Promise<unknown> => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error, 'the call should have failed').toBeDefined();
    errors.push(error);
    return error;
  };
  const orderInput = (reference: string, lines: CreateSalesOrderInput['lines']): CreateSalesOrderInput => ({
    externalReference: reference,
    tag: 'Contract Store',
    orderNumber: `N-${reference}`,
    customer: { name: 'Maria da Silva', document: '52998224725', email: 'maria@example.com' },
    lines,
    issuedAt: new Date().toISOString(),
  });
  /** Fresh SKUs and references per case, so a leak between cases cannot make one pass. */
  const unique = (prefix: string) => `${prefix}-${(seq += 1)}-${Date.now().toString(36)}`;

  describe(`erp contract: ${options.name}`, () => {
    beforeEach(async () => {
      errors.length = 0;
      harness = await options.setup();
    });
    afterEach(async () => {
      for (const error of errors) assertNoSecret(error, harness.secrets);
      await harness.teardown?.();
    });

    it('finds a product by SKU with on hand less committed, and null for an unknown SKU', async () => {
      const [a] = harness.companies;
      const sku = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Caneca azul', onHandMilli: 12_000, committedMilli: 2_500 });
      const product = await harness.erp.findProduct(a, sku);
      expect(product).toMatchObject({ sku, name: 'Caneca azul', availableMilli: 9_500 });
      expect(product!.id).toBeTruthy();
      expect(await harness.erp.findProduct(a, unique('MISSING'))).toBeNull();
    }, timeout);

    it('keeps companies apart: a SKU of one company is unknown in the other', async () => {
      const [a, b] = harness.companies;
      const sku = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Only in A', onHandMilli: 1_000 });
      expect(await harness.erp.findProduct(b, sku)).toBeNull();
      expect(await harness.erp.findProduct(a, sku)).not.toBeNull();
    }, timeout);

    it('reads stock for several SKUs, fractional quantities exact, unknown SKUs left out', async () => {
      const [a] = harness.companies;
      const whole = unique('SKU');
      const weighed = unique('KG');
      await harness.seedProduct(a, { sku: whole, name: 'Whole', onHandMilli: 7_000, committedMilli: 0 });
      await harness.seedProduct(a, { sku: weighed, name: 'By weight', onHandMilli: 2_750, committedMilli: 125 });
      const missing = unique('MISSING');
      const stock = await harness.erp.getStock(a, [whole, weighed, missing]);
      expect(Object.fromEntries(stock)).toEqual({ [whole]: 7_000, [weighed]: 2_625 });
    }, timeout);

    it('creates a sales order with its lines, tag and reference, and commits its stock', async () => {
      const [a] = harness.companies;
      const sku = unique('SKU');
      const other = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Caneca', onHandMilli: 10_000 });
      await harness.seedProduct(a, { sku: other, name: 'Queijo', onHandMilli: 5_000 });
      const reference = unique('ref');
      const lines = [
        { sku, name: 'Caneca', quantityMilli: 2_000, unitPriceCents: 1_990 },
        { sku: other, name: 'Queijo', quantityMilli: 1_500, unitPriceCents: 4_000 },
      ];
      const { order, reused } = await harness.erp.createSalesOrder(a, orderInput(reference, lines));
      expect(reused).toBe(false);
      expect(order).toMatchObject({ externalReference: reference, tag: 'Contract Store', status: 'open', totalCents: 2 * 1_990 + 6_000 });
      expect(order.lines.map(({ sku: s, quantityMilli, unitPriceCents }) => ({ sku: s, quantityMilli, unitPriceCents }))).toEqual(
        lines.map(({ sku: s, quantityMilli, unitPriceCents }) => ({ sku: s, quantityMilli, unitPriceCents })),
      );
      expect(await harness.committedMilli(a, sku)).toBe(2_000);
      expect(await harness.committedMilli(a, other)).toBe(1_500);
      expect((await harness.erp.findProduct(a, other))!.availableMilli).toBe(3_500);
      expect(await harness.countByReference(a, reference)).toBe(1);
    }, timeout);

    it('refuses an order with an unknown SKU and stores nothing', async () => {
      const [a] = harness.companies;
      const reference = unique('ref');
      const error = await capture(harness.erp.createSalesOrder(a, orderInput(reference, [{ sku: unique('NOPE'), name: 'x', quantityMilli: 1_000, unitPriceCents: 100 }])));
      expect((error as ConectaError).code).toBe('VALIDATION');
      expect(await harness.countByReference(a, reference)).toBe(0);
    }, timeout);

    it('finds an order by its reference in its own company only', async () => {
      const [a, b] = harness.companies;
      const sku = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Caneca', onHandMilli: 10_000 });
      const reference = unique('ref');
      const { order } = await harness.erp.createSalesOrder(a, orderInput(reference, [{ sku, name: 'Caneca', quantityMilli: 1_000, unitPriceCents: 500 }]));
      const found = await harness.erp.findSalesOrderByReference(a, reference);
      expect(found).toMatchObject({ id: order.id, externalReference: reference, status: 'open', totalCents: 500 });
      expect(await harness.erp.findSalesOrderByReference(a, unique('ref'))).toBeNull();
      expect(await harness.erp.findSalesOrderByReference(b, reference)).toBeNull();
    }, timeout);

    it('cancels an order and releases its stock; cancelling again is a no-op', async () => {
      const [a] = harness.companies;
      const sku = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Caneca', onHandMilli: 10_000, committedMilli: 1_000 });
      const reference = unique('ref');
      const { order } = await harness.erp.createSalesOrder(a, orderInput(reference, [{ sku, name: 'Caneca', quantityMilli: 3_000, unitPriceCents: 500 }]));
      expect(await harness.committedMilli(a, sku)).toBe(4_000);
      await harness.erp.cancelSalesOrder(a, order.id);
      expect(await harness.committedMilli(a, sku)).toBe(1_000);
      expect((await harness.erp.findSalesOrderByReference(a, reference))?.status).toBe('cancelled');
      await harness.erp.cancelSalesOrder(a, order.id);
      expect(await harness.committedMilli(a, sku)).toBe(1_000);
      const error = await capture(harness.erp.cancelSalesOrder(a, '987654321'));
      expect((error as ConectaError).code).toBe('NOT_FOUND');
    }, timeout);

    it('a second create with the same reference returns the first order (reused) and stores nothing more', async () => {
      const [a] = harness.companies;
      const sku = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Caneca', onHandMilli: 10_000 });
      const reference = unique('ref');
      const input = orderInput(reference, [{ sku, name: 'Caneca', quantityMilli: 1_000, unitPriceCents: 990 }]);
      const first = await harness.erp.createSalesOrder(a, input);
      const second = await harness.erp.createSalesOrder(a, input);
      expect(first.reused).toBe(false);
      expect(second).toMatchObject({ reused: true, order: { id: first.order.id } });
      expect(await harness.countByReference(a, reference)).toBe(1);
      expect(await harness.committedMilli(a, sku)).toBe(1_000);
    }, timeout);

    it('a first attempt creates the order once, and a later plain create finds it', async () => {
      const [a] = harness.companies;
      const sku = unique('SKU');
      await harness.seedProduct(a, { sku, name: 'Caneca', onHandMilli: 10_000 });
      const reference = unique('ref');
      const input = orderInput(reference, [{ sku, name: 'Caneca', quantityMilli: 1_000, unitPriceCents: 990 }]);
      // A read first, so a transport that signs in on first use has done so before the count starts.
      expect(await harness.erp.findProduct(a, sku)).toMatchObject({ sku });
      const before = harness.requestCount?.();
      const first = await harness.erp.createSalesOrder(a, input, { firstAttempt: true });
      // The lookup it may skip is the whole point of the flag: a transport sends the create alone.
      if (before !== undefined) expect(harness.requestCount!() - before, 'requests for a first attempt').toBe(1);
      const second = await harness.erp.createSalesOrder(a, input);
      expect(first.reused).toBe(false);
      expect(second).toMatchObject({ reused: true, order: { id: first.order.id } });
      expect(await harness.countByReference(a, reference)).toBe(1);
    }, timeout);

    const hasTransport = options.has?.transport ?? true;
    const hasCredentials = options.has?.credentials ?? true;
    if (!hasTransport || !hasCredentials) {
      it('offers no fault hooks or wrong credentials it declared it lacks', () => {
        if (!hasTransport) expect(harness.faults).toBeUndefined();
        if (!hasCredentials) expect(harness.withWrongCredentials).toBeUndefined();
      });
    }
    // Each fault twice: a plain create, and a first attempt (no lookup before it) that must still look up after it.
    const faultCase = (title: string, arm: (faults: ErpContractFaults) => void | Promise<void>) => {
      if (!hasTransport) return;
      for (const firstAttempt of [false, true]) {
        it(`${title}${firstAttempt ? ' (first attempt)' : ''}`, async () => {
          expect(harness.faults, 'fault hooks for an ERP with a transport').toBeDefined();
          const [a] = harness.companies;
          const sku = unique('SKU');
          await harness.seedProduct(a, { sku, name: 'Caneca', onHandMilli: 10_000 });
          const reference = unique('ref');
          await arm(harness.faults!);
          const { order } = await harness.erp.createSalesOrder(a, orderInput(reference, [{ sku, name: 'Caneca', quantityMilli: 2_000, unitPriceCents: 700 }]), { firstAttempt });
          expect(order.externalReference).toBe(reference);
          expect(await harness.countByReference(a, reference), 'orders stored under the reference').toBe(1);
          expect(await harness.committedMilli(a, sku), 'stock committed once').toBe(2_000);
          const again = await harness.erp.createSalesOrder(a, orderInput(reference, [{ sku, name: 'Caneca', quantityMilli: 2_000, unitPriceCents: 700 }]));
          expect(again).toMatchObject({ reused: true, order: { id: order.id } });
        }, timeout);
      }
    };
    faultCase('creates at most once when the answer times out after the order was stored', (faults) => faults.timeoutAfterStore());
    faultCase('creates at most once when a 5xx comes after the order was stored', (faults) => faults.serverErrorAfterStore());
    faultCase('creates the order once after a 5xx before it was stored', (faults) => faults.serverErrorBeforeStore());

    it('refuses a CNPJ outside the group on every operation before any request', async () => {
      const outside = harness.outsideCnpj;
      const before = harness.requestCount?.();
      const input = orderInput(unique('ref'), [{ sku: 'X', name: 'x', quantityMilli: 1_000, unitPriceCents: 100 }]);
      const attempts: Array<() => Promise<unknown>> = [
        () => harness.erp.findProduct(outside, 'X'),
        () => harness.erp.getStock(outside, ['X']),
        () => harness.erp.createSalesOrder(outside, input),
        () => harness.erp.findSalesOrderByReference(outside, 'ref'),
        () => harness.erp.cancelSalesOrder(outside, '1'),
      ];
      for (const attempt of attempts) {
        const error = await capture(Promise.resolve().then(() => attempt()));
        expect((error as ConectaError).code).toBe('CONFIGURATION');
      }
      if (before !== undefined) expect(harness.requestCount!(), 'requests sent for a refused company').toBe(before);
    }, timeout);

    if (hasCredentials) {
      it('wrong credentials give an AuthError that carries no secret', async () => {
        expect(harness.withWrongCredentials, 'a wrong-credentials ERP for an ERP with credentials').toBeDefined();
        const error = await capture(harness.withWrongCredentials!().findProduct(harness.companies[0], 'X'));
        expect((error as ConectaError).code).toBe('AUTH');
        expect((error as ConectaError).retryable).toBe(false);
      }, timeout);
    }
  });
}
