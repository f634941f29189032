import { describe, expect, it } from 'vitest';
import {
  StockShortfallError,
  UpstreamError,
  ValidationError,
  createMemoryStore,
  createRunner,
  createWebhookHandler,
  type StatusDictionary,
  type Store,
} from '../src/index.js';
import { FILIAL, MATRIZ, OUTLET, line, minute, order, setupPipeline } from './support/pipeline-fixture.js';

describe('pipeline: automatic mode, one company', () => {
  it('takes an order from import to a tagged Mainô order, once', async () => {
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'CAM-P', 5000);
    connector.put(order('100', [line('CAM-P', 2, 4990)]));
    const runner = createRunner(pipeline);
    await runner.drain();
    const detail = await pipeline.getOrder('loja:100');
    expect(detail.movements.map((m) => [m.companyCnpj, m.quantityMilli, m.state])).toEqual([[MATRIZ, 2000, 'done']]);
    const created = erp.createdOrders(MATRIZ);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ tag: 'Loja Virtual', externalReference: `conecta:loja:100:${MATRIZ}` });
    expect(created[0]!.lines).toEqual([{ sku: 'CAM-P', name: 'Produto CAM-P', quantityMilli: 2000, unitPriceCents: 4990 }]);
    expect(erp.stockOf(MATRIZ, 'CAM-P')).toMatchObject({ committedMilli: 2000, availableMilli: 3000 });
    // Running again (a duplicate poll, a restart) changes nothing.
    await runner.drain();
    await pipeline.process('loja:100');
    expect(erp.createdOrders(MATRIZ)).toHaveLength(1);
  });
});

describe('pipeline: several companies, on command', () => {
  it('splits across companies in priority order, then syncs and creates one Mainô order per company', async () => {
    const { erp, connector, pipeline, events, store } = setupPipeline();
    erp.setStock(MATRIZ, 'TEN-42', 1000);
    erp.setStock(FILIAL, 'TEN-42', 5000);
    erp.setStock(OUTLET, 'TEN-42', 9000);
    erp.setStock(FILIAL, 'MEIA', 3000);
    connector.put(order('200', [line('TEN-42', 3, 29990), line('MEIA', 2, 1990)]));
    await pipeline.poll('loja');
    // On-command mode: nothing moves until a person asks.
    expect((await pipeline.process('loja:200')).outcome).toBe('skipped');
    expect((await pipeline.listOrders({ integrationId: 'loja', filter: 'without-movements' })).total).toBe(1);

    const preview = await pipeline.previewAllocation('loja:200');
    expect(preview.explanation[0]!.chosen).toEqual([
      { companyCnpj: MATRIZ, quantityMilli: 1000 },
      { companyCnpj: FILIAL, quantityMilli: 2000 },
    ]);
    // A draft of the same lines gets the same plan, and writes nothing either.
    const draft = await pipeline.previewAllocation({ integrationId: 'loja', lines: [{ sku: 'TEN-42', quantityMilli: 3000 }, { sku: 'MEIA', quantityMilli: 2000 }] });
    expect(draft.movements.map((m) => [m.sku, m.companyCnpj, m.quantityMilli])).toEqual(preview.movements.map((m) => [m.sku, m.companyCnpj, m.quantityMilli]));
    expect(await store.getMovements('loja:200')).toEqual([]);
    const created = await pipeline.createMovements('loja:200', { actor: 'ana@grupo' });
    expect(created.movements.map((m) => [m.sku, m.companyCnpj, m.quantityMilli])).toEqual([
      ['TEN-42', MATRIZ, 1000],
      ['TEN-42', FILIAL, 2000],
      ['MEIA', FILIAL, 2000],
    ]);
    expect(created.movements[0]!.audit[0]!.actor).toBe('ana@grupo');
    expect((await pipeline.summary('loja')).pendingSync).toBe(1);

    const synced = await pipeline.sync('loja:200', { actor: 'ana@grupo' });
    expect(synced.synced).toHaveLength(3);
    const result = await pipeline.createErpOrder('loja:200', { actor: 'ana@grupo' });
    expect(result.created.map((entry) => entry.companyCnpj).sort()).toEqual([MATRIZ, FILIAL].sort());
    expect(erp.createdOrders(MATRIZ)).toHaveLength(1);
    expect(erp.createdOrders(FILIAL)).toHaveLength(1);
    expect(erp.createdOrders(FILIAL)[0]!.lines.map((l) => l.sku)).toEqual(['TEN-42', 'MEIA']);
    expect(erp.createdOrders(OUTLET)).toHaveLength(0);
    const detail = await pipeline.getOrder('loja:200');
    expect(detail.movements.every((m) => m.state === 'done' && m.audit.at(-1)!.actor === 'ana@grupo')).toBe(true);
    expect(events.filter(([name]) => name === 'erp-order-created')).toHaveLength(2);
    // Again: nothing new is created.
    await pipeline.createErpOrder('loja:200', { actor: 'ana@grupo' });
    expect(erp.createdOrders()).toHaveLength(2);
  });

  it('lets a person choose the company per line, re-validated and audited', async () => {
    const { erp, connector, pipeline } = setupPipeline();
    erp.setStock(MATRIZ, 'X', 5000);
    erp.setStock(OUTLET, 'X', 1000);
    connector.put(order('300', [line('X', 2)]));
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:300', { actor: 'system' });
    const refused = await pipeline.createMovements('loja:300', { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    // The figures, as fields, for a caller that explains it in its own words.
    expect(refused).toBeInstanceOf(StockShortfallError);
    expect(refused).toMatchObject({ path: 'overrides.0.companyCnpj', lineIndex: 0, sku: 'X', companyCnpj: OUTLET, availableMilli: 1000, neededMilli: 2000 });
    await expect(pipeline.createMovements('loja:300', { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: '99999999000191' }] })).rejects.toThrow(/not an active company/);
    erp.setStock(OUTLET, 'X', 2000);
    const override = await pipeline.createMovements('loja:300', { actor: 'bia', overrides: [{ lineIndex: 0, companyCnpj: OUTLET }] });
    expect(override.movements.map((m) => [m.companyCnpj, m.state])).toEqual([[OUTLET, 'created']]);
    const all = (await pipeline.getOrder('loja:300')).movements;
    expect(all.find((m) => m.companyCnpj === MATRIZ)).toMatchObject({ state: 'cancelled' });
    expect(override.movements[0]!.audit[0]).toMatchObject({ actor: 'bia', action: 'override' });
  });

  it('marks a movement failed with its reason when Mainô lacks the product, and retries it later', async () => {
    // Reading Mainô for every check (no snapshots), so the lookup the sync makes is the one that fails.
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], integration: { mode: 'on-command' }, stockFreshnessMs: 0 });
    erp.setStock(MATRIZ, 'Y', 5000);
    connector.put(order('400', [line('Y', 1)]));
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:400', { actor: 'system' });
    erp.failNext('findProduct', new UpstreamError('Mainô answered 503', { status: 503 }));
    const first = await pipeline.sync('loja:400', { actor: 'system' });
    expect(first.failed[0]!.failure).toMatchObject({ code: 'UPSTREAM', retryable: true });
    expect((await pipeline.listOrders({ integrationId: 'loja', filter: 'failed' })).total).toBe(1);
    const retried = await pipeline.retryFailed('loja:400', { actor: 'caio' });
    expect(retried.synced).toHaveLength(1);
    expect(retried.synced[0]!.audit.map((entry) => entry.action)).toEqual(['allocate', 'sync', 'retry', 'sync']);
  });
});

describe('pipeline: statuses', () => {
  it('keeps an unmapped status visible, without movements, until the dictionary maps it', async () => {
    const { erp, connector, pipeline, events } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'Z', 5000);
    connector.put(order('500', [line('Z', 1)], { status: 'em_separacao' }));
    await createRunner(pipeline).drain();
    expect((await pipeline.getOrder('loja:500')).order.intakeState).toBe('unmapped');
    expect((await pipeline.getOrder('loja:500')).movements).toEqual([]);
    expect(events.some(([name]) => name === 'status-unmapped')).toBe(true);
    const report = await pipeline.statusReport('loja');
    expect(report.seen).toEqual([{ status: 'em_separacao', count: 1, state: 'unmapped', unmapped: true }]);
    const dictionary = { ...report.dictionary, entries: { ...report.dictionary.entries, em_separacao: { state: 'pending' as const } } };
    expect(await pipeline.updateStatusDictionary('loja', dictionary, { actor: 'ana' })).toEqual({ reclassified: 1, persisted: true });
    await createRunner(pipeline).drain();
    expect((await pipeline.getOrder('loja:500')).movements.map((m) => m.state)).toEqual(['done']);
  });

  it('a dictionary edit reclassifies every stored order it touches: a pending order the store cancelled under an unmapped status is cancelled and its stock released', async () => {
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], integration: { mode: 'on-command' } });
    erp.setStock(MATRIZ, 'Z', 5000);
    connector.put(order('540', [line('Z', 2)], { updatedAt: minute(1) }));
    connector.put(order('541', [line('Z', 1)], { updatedAt: minute(1) }));
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:540', { actor: 'ana' });
    // The store cancels 540 under a status the dictionary does not know: the order keeps its rank (pending).
    connector.put(order('540', [line('Z', 2)], { status: 'estornado', updatedAt: minute(2) }));
    await pipeline.poll('loja');
    expect((await pipeline.getOrder('loja:540')).order.intakeState).toBe('pending');
    const report = await pipeline.statusReport('loja');
    const dictionary = { ...report.dictionary, entries: { ...report.dictionary.entries, estornado: { state: 'cancelled' as const } } };
    expect(await pipeline.updateStatusDictionary('loja', dictionary, { actor: 'ana' })).toEqual({ reclassified: 1, persisted: true });
    expect((await pipeline.getOrder('loja:540')).order.intakeState).toBe('cancelled');
    expect((await pipeline.getOrder('loja:541')).order.intakeState).toBe('pending');
    await expect(pipeline.createMovements('loja:540', { actor: 'ana' })).rejects.toThrow(/only pending or finalized/);
    // The runner releases the cancelled order's stock, in every mode.
    await createRunner(pipeline).drain();
    expect((await pipeline.getOrder('loja:540')).movements.map((m) => m.state)).toEqual(['cancelled']);
    // A later edit that would map the status back to pending does not revive it.
    const back = { ...dictionary, entries: { ...dictionary.entries, estornado: { state: 'pending' as const } } };
    expect((await pipeline.updateStatusDictionary('loja', back, { actor: 'ana' })).reclassified).toBe(0);
  });

  it('shares a dictionary edit with every worker on the store, with who made it', async () => {
    const store = createMemoryStore();
    const companies = [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }];
    const a = setupPipeline({ store, companies });
    const b = setupPipeline({ store, companies });
    b.erp.setStock(MATRIZ, 'Z', 5000);
    const report = await a.pipeline.statusReport('loja');
    expect(report.lastEdit).toBeUndefined();
    const dictionary = { ...report.dictionary, entries: { ...report.dictionary.entries, em_separacao: { state: 'pending' as const } } };
    expect(await a.pipeline.updateStatusDictionary('loja', dictionary, { actor: 'ana' })).toEqual({ reclassified: 0, persisted: true });
    // Worker B never saw the edit: its next import takes it up from the store.
    b.connector.put(order('520', [line('Z', 1)], { status: 'em_separacao' }));
    await createRunner(b.pipeline).drain();
    expect((await b.pipeline.getOrder('loja:520')).movements.map((m) => m.state)).toEqual(['done']);
    expect((await b.pipeline.statusReport('loja')).lastEdit).toMatchObject({ updatedBy: 'ana', version: 1 });
  });

  it('without a store that keeps dictionaries, applies an edit in its own process and says it was not persisted', async () => {
    const { getStatusDictionary: _get, saveStatusDictionary: _save, ...withoutDictionaries } = createMemoryStore();
    const { pipeline } = setupPipeline({ store: withoutDictionaries });
    const report = await pipeline.statusReport('loja');
    const dictionary = { ...report.dictionary, entries: { ...report.dictionary.entries, em_separacao: { state: 'pending' as const } } };
    expect(await pipeline.updateStatusDictionary('loja', dictionary, { actor: 'ana' })).toEqual({ reclassified: 0, persisted: false });
    const after = await pipeline.statusReport('loja');
    expect(after.dictionary.entries['em_separacao']).toEqual({ state: 'pending' });
    expect(after.lastEdit).toEqual({ updatedBy: 'ana', updatedAt: expect.any(String) });
  });

  it('refuses to import with a stored dictionary that is not valid, naming the field', async () => {
    const { store, connector, pipeline } = setupPipeline();
    const broken = { platform: 'memory', entries: { paid: { state: 'shipped-ish' } } } as unknown as StatusDictionary;
    await store.saveStatusDictionary!('loja', { dictionary: broken, updatedBy: 'someone', updatedAt: minute(1) });
    connector.put(order('530', [line('Z', 1)]));
    const failure = await pipeline.poll('loja').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as ValidationError).issues[0]?.path).toBe('entries.paid.state');
    expect((failure as Error).message).toContain('the status dictionary stored for integration "loja"');
    expect((await pipeline.listOrders({ integrationId: 'loja' })).total).toBe(0);
  });

  it('never revives a cancelled order when a late paid status arrives', async () => {
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'Z', 5000);
    connector.put(order('510', [line('Z', 1)], { status: 'cancelled', updatedAt: minute(5) }));
    await pipeline.poll('loja');
    await pipeline.ingest('loja', [order('510', [line('Z', 1)], { status: 'paid', updatedAt: minute(9) })]);
    expect((await pipeline.getOrder('loja:510')).order.intakeState).toBe('cancelled');
  });
});

describe('pipeline: cancellation', () => {
  it('reverses a done order: the Mainô order is cancelled and its stock released', async () => {
    const { erp, connector, pipeline, events } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'C', 4000);
    connector.put(order('600', [line('C', 3)], { updatedAt: minute(1) }));
    const runner = createRunner(pipeline);
    await runner.drain();
    expect(erp.stockOf(MATRIZ, 'C')!.availableMilli).toBe(1000);
    connector.put(order('600', [line('C', 3)], { status: 'cancelled', updatedAt: minute(7) }));
    await runner.drain();
    const detail = await pipeline.getOrder('loja:600');
    expect(detail.order.intakeState).toBe('cancelled');
    expect(detail.movements.map((m) => m.state)).toEqual(['reversed']);
    expect(erp.createdOrders(MATRIZ)[0]!.status).toBe('cancelled');
    expect(erp.stockOf(MATRIZ, 'C')!.availableMilli).toBe(4000);
    expect(events.find(([name]) => name === 'order-cancelled')![1]).toMatchObject({ released: 0, reversed: 1 });
    expect((await pipeline.listOrders({ integrationId: 'loja', filter: 'cancelled' })).total).toBe(1);
  });

  it('releases movements not yet in Mainô, and cancels an order Mainô stored before a crash', async () => {
    const { erp, connector, pipeline, store } = setupPipeline();
    erp.setStock(MATRIZ, 'D', 5000);
    connector.put(order('610', [line('D', 2)]));
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:610', { actor: 'system' });
    await pipeline.sync('loja:610', { actor: 'system' });
    // The Mainô order was stored, then the process died before marking the movement done.
    const movement = (await store.getMovements('loja:610'))[0]!;
    await erp.createSalesOrder(MATRIZ, {
      externalReference: `conecta:loja:610:${MATRIZ}`,
      tag: 'Loja Virtual',
      orderNumber: '#610',
      customer: { name: 'x' },
      issuedAt: minute(1),
      lines: [{ sku: 'D', name: 'D', quantityMilli: movement.quantityMilli, unitPriceCents: 1000 }],
    });
    await pipeline.ingest('loja', [order('610', [line('D', 2)], { status: 'cancelled', updatedAt: minute(8) })]);
    const result = await pipeline.process('loja:610');
    expect(result.outcome).toBe('cancelled');
    expect((await store.getMovements('loja:610'))[0]!.state).toBe('cancelled');
    expect(erp.createdOrders(MATRIZ)[0]!.status).toBe('cancelled');
    expect(erp.stockOf(MATRIZ, 'D')!.availableMilli).toBe(5000);
  });
});

describe('pipeline: failures', () => {
  it('creates the Mainô order once when the create times out after Mainô stored it', async () => {
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'E', 5000);
    const realCreate = erp.createSalesOrder.bind(erp);
    let calls = 0;
    erp.createSalesOrder = async (...args) => {
      calls += 1;
      const stored = await realCreate(...args);
      if (calls === 1) throw new UpstreamError('Mainô timed out', { code: 'TIMEOUT' });
      return stored;
    };
    connector.put(order('700', [line('E', 1)]));
    await pipeline.poll('loja');
    const first = await pipeline.process('loja:700');
    expect(first).toEqual({ outcome: 'waiting', retry: true });
    expect((await pipeline.getOrder('loja:700')).movements[0]!.state).toBe('synced');
    const second = await pipeline.process('loja:700');
    expect(second.outcome).toBe('done');
    expect(erp.countByReference(MATRIZ, `conecta:loja:700:${MATRIZ}`)).toBe(1);
    // The first create skipped the lookup; the second found the movement validated before, so it looked first.
    expect(erp.calls.filter((call) => call.operation === 'createSalesOrder').map((call) => call.firstAttempt ?? false)).toEqual([true, false]);
  });

  it('quarantines a malformed payload with its error and still imports the rest', async () => {
    const { connector, pipeline, store } = setupPipeline();
    connector.put(order('800', [line('F', 1)]));
    connector.putMalformed('801', { externalId: '801', number: '801', lines: [{ sku: 'F', quantityMilli: 'lots' }] });
    const result = await pipeline.poll('loja');
    expect([result.imported, result.quarantined]).toEqual([1, 1]);
    const [record] = await store.listQuarantine('loja');
    expect(record).toMatchObject({ externalId: '801', code: 'VALIDATION', source: 'poll' });
    expect(record!.raw).toEqual({ externalId: '801', number: '801', lines: [{ sku: 'F', quantityMilli: 'lots' }] });
    expect((await pipeline.summary('loja')).quarantined).toBe(1);
  });

  it('reprocesses a quarantined payload: still malformed it stays with the field named; fixed on the platform it is imported and leaves quarantine', async () => {
    const { connector, pipeline, store } = setupPipeline();
    const reprocessed: unknown[] = [];
    pipeline.events.on('quarantine-reprocessed', (event) => reprocessed.push(event));
    connector.putMalformed('802', { externalId: '802', number: '802', lines: [{ sku: 'F', quantityMilli: 'lots' }] });
    await pipeline.poll('loja');
    const [record] = await store.listQuarantine('loja');
    await expect(pipeline.reprocessQuarantined('loja', record!.id, { actor: 'ana' })).rejects.toThrow(ValidationError);
    expect((await store.listQuarantine('loja')).map((entry) => entry.id)).toEqual([record!.id]);
    await expect(pipeline.reprocessQuarantined('loja', 'nope', { actor: 'ana' })).rejects.toThrow(/no quarantined payload/);

    connector.put(order('802', [line('F', 1)], { updatedAt: minute(3) }));
    const result = await pipeline.reprocessQuarantined('loja', record!.id, { actor: 'ana' });
    expect(result).toMatchObject({ orderId: 'loja:802', ingest: { imported: 1 } });
    expect((await pipeline.getOrder('loja:802')).order.intakeState).toBe('pending');
    expect(await store.listQuarantine('loja')).toEqual([]);
    expect((await pipeline.summary('loja')).quarantined).toBe(0);
    expect(reprocessed).toEqual([{ integrationId: 'loja', quarantineId: record!.id, orderId: 'loja:802', actor: 'ana' }]);
    await expect(pipeline.reprocessQuarantined('loja', record!.id, { actor: 'ana' })).rejects.toThrow(/no quarantined payload/);
  });

  it('saves a cursor only after the orders of its page are stored', async () => {
    const memory = createMemoryStore();
    let upserts = 0;
    const flaky: Store = {
      ...memory,
      upsertOrder: async (input) => {
        upserts += 1;
        if (upserts === 5) throw new Error('disk full');
        return memory.upsertOrder(input);
      },
    };
    const { connector, pipeline } = setupPipeline({ store: flaky });
    for (let index = 0; index < 7; index += 1) connector.put(order(`9${index}`, [line('G', 1)], { updatedAt: minute(index + 1) }));
    await expect(pipeline.poll('loja')).rejects.toThrow('disk full');
    // Page 1 (3 orders) was stored and its cursor saved; page 2 failed at its second order.
    expect(JSON.parse((await memory.getCursor('loja'))!)).toEqual({ updatedAt: minute(3), externalId: '92' });
    const resumed = await pipeline.poll('loja');
    expect(resumed.imported).toBe(3);
    expect((await memory.listOrders({ integrationId: 'loja' })).total).toBe(7);
  });
});

describe('pipeline: concurrency', () => {
  it('never oversells scarce stock when many orders are processed in parallel', async () => {
    const { erp, connector, pipeline, store } = setupPipeline({ integration: { mode: 'automatic' } });
    erp.setStock(MATRIZ, 'RARE', 3000);
    erp.setStock(FILIAL, 'RARE', 2000);
    for (let index = 0; index < 20; index += 1) connector.put(order(`r${index}`, [line('RARE', 1)], { updatedAt: minute(index) }));
    await pipeline.poll('loja');
    const ids = (await store.listOrders({ integrationId: 'loja', limit: 100 })).items.map((item) => item.order.id);
    await Promise.all(ids.map((id) => pipeline.process(id)));
    expect(erp.stockOf(MATRIZ, 'RARE')!.availableMilli).toBe(0);
    expect(erp.stockOf(FILIAL, 'RARE')!.availableMilli).toBe(0);
    expect(erp.createdOrders()).toHaveLength(5);
    expect((await pipeline.listOrders({ integrationId: 'loja', filter: 'without-movements' })).total).toBe(15);
  });
});

describe('pipeline: webhooks', () => {
  it('accepts a signed delivery, answers a redelivery with 200 as a duplicate and a tampered one with 401', async () => {
    const { connector, pipeline } = setupPipeline();
    const handler = createWebhookHandler(pipeline);
    const delivery = connector.delivery(order('900', [line('H', 1)]), { deliveryId: 'd-900' });
    const post = (input: typeof delivery, body = String(input.rawBody)) =>
      handler(new Request('https://conecta.test/webhooks/loja', { method: 'POST', headers: input.headers as Record<string, string>, body }));
    const accepted = await post(delivery);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ status: 'accepted', imported: 1 });
    const again = await post(delivery);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ status: 'duplicate', deliveryId: 'd-900' });
    const reasons: Array<string | undefined> = [];
    pipeline.events.on('webhook-received', (event) => reasons.push(event.reason));
    const tampered = await post(delivery, String(delivery.rawBody).replace('"900"', '"901"'));
    expect(tampered.status).toBe(401);
    // The answer names no reason (it would guide an attacker's next try); the event carries it for the logs.
    expect(await tampered.json()).toEqual({ error: 'rejected' });
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/\w/);
    expect((await pipeline.listOrders({ integrationId: 'loja' })).total).toBe(1);
    expect((await handler(new Request('https://conecta.test/webhooks/nope', { method: 'POST', body: '{}' }))).status).toBe(404);
  });
});

describe('pipeline: stock push', () => {
  it('pushes Mainô stock less open movements and the buffer, rounded down, only when changed', async () => {
    const { erp, connector, pipeline } = setupPipeline({
      integration: { stockPush: { enabled: true, companies: [MATRIZ, FILIAL], buffer: { kind: 'units', units: 1 } } },
    });
    erp.setStock(MATRIZ, 'P', 4500);
    erp.setStock(FILIAL, 'P', 3000);
    erp.setStock(OUTLET, 'P', 100000);
    connector.put(order('950', [line('P', 2)]));
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:950', { actor: 'system' });
    const plan = await pipeline.planStockPush('loja');
    expect(plan.lines).toEqual([{ sku: 'P', quantityMilli: 4000, freeMilli: 5500, previousMilli: undefined, send: true }]);
    expect(connector.pushes).toBe(0);
    const first = await pipeline.pushStock('loja');
    // (4.5 + 3 - 2 held) - 1 buffer = 4.5 -> 4 whole units.
    expect(connector.stock.get('P')).toBe(4000);
    expect(first).toMatchObject({ pushed: 1, unchanged: 0 });
    const second = await pipeline.pushStock('loja');
    expect(second).toMatchObject({ pushed: 0, unchanged: 1 });
    expect(connector.pushes).toBe(1);
    expect((await pipeline.planStockPush('loja')).lines).toEqual([{ sku: 'P', quantityMilli: 4000, freeMilli: 5500, previousMilli: 4000, send: false }]);
  });
});

describe('runner', () => {
  it('stops gracefully: the order being processed finishes, nothing new is claimed, cursors stay saved', async () => {
    const { erp, connector, pipeline, store } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'S', 50_000);
    for (let index = 0; index < 6; index += 1) connector.put(order(`s${index}`, [line('S', 1)], { updatedAt: minute(index) }));
    await pipeline.poll('loja');
    const realCreate = erp.createSalesOrder.bind(erp);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    erp.createSalesOrder = async (...args) => {
      started += 1;
      await gate;
      return realCreate(...args);
    };
    const runner = createRunner(pipeline, { concurrency: 1, workIntervalMs: 10, pollIntervalMs: 60_000 });
    runner.start();
    while (started === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const stopped = runner.stop();
    release();
    await stopped;
    const done = (await store.listOrders({ integrationId: 'loja', filter: 'done' })).total;
    expect(done).toBe(1);
    expect(erp.createdOrders()).toHaveLength(1);
    expect(await store.getCursor('loja')).not.toBeNull();
  });
});

describe('webhook handler limits', () => {
  it('refuses a body over the limit with 413, without reading it whole', async () => {
    const { pipeline } = setupPipeline();
    const handler = createWebhookHandler(pipeline, { maxBodyBytes: 1024 });
    const big = 'x'.repeat(4096);
    const declared = await handler(new Request('https://conecta.test/webhooks/loja', { method: 'POST', body: big }));
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let index = 0; index < 8; index += 1) controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const undeclared = await handler(new Request('https://conecta.test/webhooks/loja', { method: 'POST', body: stream, duplex: 'half' } as RequestInit));
    expect(undeclared.status).toBe(413);
  });
});

describe('runner drain', () => {
  it('keeps going when one integration fails to poll, then reports the failure', async () => {
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'Q', 5000);
    connector.put(order('q1', [line('Q', 1)]));
    await pipeline.poll('loja');
    const listOrders = connector.listOrders.bind(connector);
    connector.listOrders = () => {
      throw new UpstreamError('store is down', { status: 503 });
    };
    await expect(createRunner(pipeline).drain()).rejects.toThrow('store is down');
    connector.listOrders = listOrders;
    expect((await pipeline.getOrder('loja:q1')).movements.map((m) => m.state)).toEqual(['done']);
  });

  it('works on the orders of the pages already stored while the poll reads the rest', async () => {
    const { erp, connector, pipeline } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'Q', 50_000);
    for (let index = 0; index < 9; index += 1) connector.put(order(`p${index}`, [line('Q', 1)], { updatedAt: minute(index + 1) }));
    const seen: string[] = [];
    pipeline.events.on('order-processed', ({ orderId }) => seen.push(`processed ${orderId}`));
    // The platform is slow after its first page (3 orders): each later page comes once an order was processed, or
    // after a second at most, so a drain that reads every page before working still ends, with the order wrong.
    let processed!: () => void;
    const firstProcessed = new Promise<void>((resolve) => (processed = resolve));
    pipeline.events.once('order-processed', () => processed());
    const listOrders = connector.listOrders.bind(connector);
    connector.listOrders = async function* (options) {
      let pages = 0;
      for await (const page of listOrders(options)) {
        if (pages > 0) await Promise.race([firstProcessed, new Promise((resolve) => setTimeout(resolve, 1000))]);
        pages += 1;
        seen.push(`page ${pages}`);
        yield page;
      }
    };
    await createRunner(pipeline, { concurrency: 2 }).drain();
    const firstWork = seen.findIndex((entry) => entry.startsWith('processed'));
    expect(firstWork).toBeGreaterThanOrEqual(0);
    expect(firstWork).toBeLessThan(seen.indexOf('page 2'));
    expect(seen.filter((entry) => entry.startsWith('processed'))).toHaveLength(9);
    expect(erp.calls.filter((call) => call.operation === 'createSalesOrder')).toHaveLength(9);
  });
});

describe('Mainô calls per order', () => {
  it('reads lower-priority companies only when the higher ones fall short, and syncs against that read', async () => {
    const { erp, connector, pipeline } = setupPipeline({ stockFreshnessMs: 0, integration: { mode: 'automatic' } });
    erp.setStock(MATRIZ, 'A', 5000);
    erp.setStock(FILIAL, 'A', 5000);
    erp.setStock(OUTLET, 'A', 5000);
    connector.put(order('c1', [line('A', 2)]));
    await pipeline.poll('loja');
    const before = erp.calls.length;
    expect((await pipeline.process('loja:c1')).outcome).toBe('done');
    const calls = erp.calls.slice(before);
    expect(calls.filter((call) => call.operation === 'getStock').map((call) => call.cnpj)).toEqual([MATRIZ]);
    expect(calls.filter((call) => call.operation === 'findProduct')).toEqual([]);
    expect((await pipeline.getOrder('loja:c1')).movements[0]!.audit.find((entry) => entry.action === 'sync')?.detail).toMatch(/stock read at/);

    connector.put(order('c2', [line('A', 7)], { updatedAt: minute(2) }));
    await pipeline.poll('loja');
    const mark = erp.calls.length;
    await pipeline.process('loja:c2');
    // Matriz has 3 left: Filial is read too, the outlet is not.
    expect(erp.calls.slice(mark).filter((call) => call.operation === 'getStock').map((call) => call.cnpj)).toEqual([MATRIZ, FILIAL]);
    expect((await pipeline.getOrder('loja:c2')).movements.map((m) => [m.companyCnpj, m.quantityMilli])).toEqual([
      [MATRIZ, 3000],
      [FILIAL, 4000],
    ]);
  });

  it('looks the reference up before a create unless the movements were validated for the first time just now', async () => {
    const { erp, connector, pipeline } = setupPipeline({ stockFreshnessMs: 0, companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], integration: { mode: 'automatic' } });
    erp.setStock(MATRIZ, 'F', 5000);
    connector.put(order('f1', [line('F', 1)]));
    await pipeline.poll('loja');
    erp.failNext('createSalesOrder', new ValidationError([{ path: 'cliente', message: 'cadastro incompleto' }], { subject: 'maino' }));
    expect(await pipeline.process('loja:f1')).toEqual({ outcome: 'failed', retry: false });
    // Validated again after a refused create: that create may have reached Mainô, so this one is not a first attempt.
    expect((await pipeline.process('loja:f1')).outcome).toBe('done');
    const creates = erp.calls.filter((call) => call.operation === 'createSalesOrder');
    expect(creates.map((call) => call.firstAttempt ?? false)).toEqual([true, false]);
    expect(erp.countByReference(MATRIZ, `conecta:loja:f1:${MATRIZ}`)).toBe(1);

    // Validated on command, created later by the runner: another run's validation, so it looks first.
    connector.put(order('f2', [line('F', 1)], { updatedAt: minute(3) }));
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:f2', { actor: 'caio' });
    await pipeline.sync('loja:f2', { actor: 'caio' });
    expect((await pipeline.process('loja:f2')).outcome).toBe('done');
    expect(erp.calls.filter((call) => call.operation === 'createSalesOrder').slice(2).map((call) => call.firstAttempt ?? false)).toEqual([false]);
  });

  it('asks a lower-priority company only for the SKUs the companies before it cannot cover', async () => {
    const { erp, connector, pipeline } = setupPipeline({ stockFreshnessMs: 0, integration: { mode: 'automatic' } });
    erp.setStock(MATRIZ, 'G', 5000);
    erp.setStock(FILIAL, 'G', 5000);
    erp.setStock(FILIAL, 'H', 5000);
    erp.setStock(OUTLET, 'H', 5000);
    connector.put(order('g1', [line('G', 2), line('H', 1)]));
    await pipeline.poll('loja');
    const before = erp.calls.length;
    expect((await pipeline.process('loja:g1')).outcome).toBe('done');
    const calls = erp.calls.slice(before);
    expect(calls.filter((call) => call.operation === 'getStock').map((call) => [call.cnpj, call.skus])).toEqual([
      [MATRIZ, ['G', 'H']],
      [FILIAL, ['H']],
    ]);
    // The sync trusts the read for exactly what was read, and asks nothing more.
    expect(calls.filter((call) => call.operation === 'findProduct')).toEqual([]);
    expect((await pipeline.getOrder('loja:g1')).movements.map((m) => [m.companyCnpj, m.sku, m.state])).toEqual([
      [MATRIZ, 'G', 'done'],
      [FILIAL, 'H', 'done'],
    ]);
  });

  it('reads what it skipped when another order took the stock it counted on', async () => {
    const { erp, connector, pipeline } = setupPipeline({ stockFreshnessMs: 0, integration: { mode: 'automatic' } });
    erp.setStock(MATRIZ, 'K', 3000);
    erp.setStock(FILIAL, 'K', 5000);
    erp.setStock(FILIAL, 'L', 5000);
    connector.put(order('k0', [line('K', 3)]));
    connector.put(order('k1', [line('K', 3), line('L', 1)]));
    await pipeline.poll('loja');
    // Right after k1's reads, and before its plan, k0 takes Matriz's K: k1 must then look at Filial's K after all.
    const realGetStock = erp.getStock.bind(erp);
    let raced = false;
    erp.getStock = async (cnpj, skus, options) => {
      const stock = await realGetStock(cnpj, skus, options);
      if (!raced && cnpj === FILIAL) {
        raced = true;
        await pipeline.createMovements('loja:k0', { actor: 'outra' });
      }
      return stock;
    };
    expect((await pipeline.process('loja:k1')).outcome).toBe('done');
    expect(erp.calls.filter((call) => call.operation === 'getStock').map((call) => [call.cnpj, call.skus])).toEqual([
      [MATRIZ, ['K', 'L']],
      [FILIAL, ['L']],
      [MATRIZ, ['K']], // k0's own read
      [FILIAL, ['K']],
      [OUTLET, ['K', 'L']],
    ]);
    expect((await pipeline.getOrder('loja:k0')).movements.map((m) => [m.companyCnpj, m.sku, m.quantityMilli])).toEqual([[MATRIZ, 'K', 3000]]);
    expect((await pipeline.getOrder('loja:k1')).movements.map((m) => [m.companyCnpj, m.sku, m.quantityMilli, m.state])).toEqual([
      [FILIAL, 'K', 3000, 'done'],
      [FILIAL, 'L', 1000, 'done'],
    ]);
  });

  it('asks Mainô again in the sync when the allocation read is too old to trust', async () => {
    const { erp, connector, pipeline } = setupPipeline({ stockFreshnessMs: 0, integration: { mode: 'automatic' }, stockReuseMs: 0 });
    erp.setStock(MATRIZ, 'B', 5000);
    connector.put(order('d1', [line('B', 1)]));
    await pipeline.poll('loja');
    const before = erp.calls.length;
    await pipeline.process('loja:d1');
    expect(erp.calls.slice(before).filter((call) => call.operation === 'findProduct').map((call) => call.cnpj)).toEqual([MATRIZ]);
  });

  it('reads every company when the policy is not priority-greedy', async () => {
    const { erp, connector, pipeline } = setupPipeline({ stockFreshnessMs: 0, integration: { mode: 'automatic' }, allocation: { strategy: 'fewest-companies', shortfall: 'all-or-nothing' } });
    erp.setStock(MATRIZ, 'C', 1000);
    erp.setStock(FILIAL, 'C', 1000);
    erp.setStock(OUTLET, 'C', 9000);
    connector.put(order('e1', [line('C', 5)]));
    await pipeline.poll('loja');
    const before = erp.calls.length;
    await pipeline.process('loja:e1');
    expect(new Set(erp.calls.slice(before).filter((call) => call.operation === 'getStock').map((call) => call.cnpj))).toEqual(new Set([MATRIZ, FILIAL, OUTLET]));
    expect((await pipeline.getOrder('loja:e1')).movements.map((m) => m.companyCnpj)).toEqual([OUTLET]);
  });
});

describe('pipeline: lines without a SKU', () => {
  const unmatched = (name: string, units: number, priceCents = 1000) => ({ name, quantityMilli: units * 1000, unitPriceCents: priceCents, productRef: { productId: '93' } });

  it('all-or-nothing: imports the order, holds it in "without movements" until a person maps the line, then allocates it whole', async () => {
    const { erp, connector, pipeline, store } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }] });
    erp.setStock(MATRIZ, 'CAM-P', 5000);
    erp.setStock(MATRIZ, 'BONE', 5000);
    connector.put(order('700', [unmatched('Boné (sem SKU)', 1), line('CAM-P', 2)]));
    const runner = createRunner(pipeline);
    await runner.drain();
    const imported = await pipeline.getOrder('loja:700');
    expect(imported.movements).toEqual([]);
    expect(imported.order.lines[0]!.unmatched).toEqual({ reason: 'sku-missing' });
    expect(imported.order.warnings).toContainEqual(expect.objectContaining({ code: 'line-unmatched', lineIndex: 0 }));
    expect((await pipeline.listOrders({ filter: 'without-movements' })).items.map((item) => item.order.id)).toEqual(['loja:700']);
    const preview = await pipeline.previewAllocation('loja:700');
    expect(preview.explanation.map((entry) => entry.outcome)).toEqual(['unmatched', 'held']);
    expect(preview.movements).toEqual([]);

    await expect(pipeline.mapOrderLine('loja:700', 1, 'OTHER', 'ana')).rejects.toThrow(/platform's SKU CAM-P/);
    const mapped = await pipeline.mapOrderLine('loja:700', 0, ' BONE ', 'ana');
    expect(mapped.lines[0]!.sku).toBe('BONE');
    expect(mapped.lineMappings).toEqual([expect.objectContaining({ lineIndex: 0, sku: 'BONE', actor: 'ana', unmatched: { reason: 'sku-missing' } })]);
    expect((await store.claimOrders({ limit: 5, owner: 'probe', leaseMs: 1, now: new Date(0).toISOString() })).map((claim) => claim.order.id)).toEqual(['loja:700']);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await runner.drain();

    const done = await pipeline.getOrder('loja:700');
    expect(done.movements.map((m) => [m.lineIndex, m.sku, m.quantityMilli, m.state]).sort()).toEqual([
      [0, 'BONE', 1000, 'done'],
      [1, 'CAM-P', 2000, 'done'],
    ]);
    expect(erp.createdOrders(MATRIZ)).toHaveLength(1);
    expect(erp.createdOrders(MATRIZ)[0]!.lines.map((l) => l.sku).sort()).toEqual(['BONE', 'CAM-P']);
    expect((await pipeline.listOrders({ filter: 'without-movements' })).total).toBe(0);
  });

  it('partial: allocates the matched lines at once; a line mapped later gets its own movement and its own Mainô order', async () => {
    const { erp, connector, pipeline, events } = setupPipeline({ companies: [{ cnpj: MATRIZ, name: 'Matriz', priority: 1 }], allocation: { strategy: 'priority-greedy', shortfall: 'partial' } });
    erp.setStock(MATRIZ, 'CAM-P', 5000);
    erp.setStock(MATRIZ, 'BONE', 1000);
    connector.put(order('701', [line('CAM-P', 2), unmatched('Boné (sem SKU)', 1)]));
    const runner = createRunner(pipeline);
    await runner.drain();
    const first = await pipeline.getOrder('loja:701');
    expect(first.movements.map((m) => [m.lineIndex, m.sku, m.state])).toEqual([[0, 'CAM-P', 'done']]);
    expect((await pipeline.listOrders({ filter: 'without-movements' })).items.map((item) => item.order.id)).toEqual(['loja:701']);

    await pipeline.mapOrderLine('loja:701', 1, 'BONE', 'bia');
    await expect(pipeline.mapOrderLine('loja:701', 0, 'X', 'bia')).rejects.toThrow(/already has movements/);
    const topUp = await pipeline.createMovements('loja:701', { actor: 'bia' });
    expect(topUp.created).toBe(true);
    expect(topUp.movements.map((m) => [m.lineIndex, m.sku, m.state]).sort()).toEqual([
      [0, 'CAM-P', 'done'],
      [1, 'BONE', 'created'],
    ]);
    expect(topUp.movements.find((m) => m.lineIndex === 1)!.audit[0]).toMatchObject({ actor: 'bia', detail: 'line(s) 1 mapped to a SKU by a person' });
    await pipeline.sync('loja:701', { actor: 'bia' });
    await pipeline.createErpOrder('loja:701', { actor: 'bia' });

    const orders = erp.createdOrders(MATRIZ);
    expect(orders.map((o) => [o.externalReference, o.lines.map((l) => l.sku)])).toEqual([
      [`conecta:loja:701:${MATRIZ}`, ['CAM-P']],
      [`conecta:loja:701:${MATRIZ}:2`, ['BONE']],
    ]);
    expect((await pipeline.getOrder('loja:701')).movements.every((m) => m.state === 'done')).toBe(true);
    expect(events.filter(([name]) => name === 'erp-order-created')).toHaveLength(2);
    expect((await pipeline.listOrders({ filter: 'without-movements' })).total).toBe(0);
  });
});

describe('pipeline: the order breakdown in Mainô', () => {
  it('sends freight, discount and fees once, on the lead company first order, never on the others', async () => {
    const { erp, connector, pipeline } = setupPipeline();
    erp.setStock(MATRIZ, 'X', 1000);
    erp.setStock(FILIAL, 'X', 5000);
    connector.put(
      order('800', [line('X', 3, 10000)], {
        totals: { itemsCents: 30000, shippingCents: 1590, discountCents: 500, feesCents: 299, taxCents: 0, totalCents: 31389 },
      }),
    );
    await pipeline.poll('loja');
    await pipeline.createMovements('loja:800', { actor: 'ana' });
    await pipeline.sync('loja:800', { actor: 'ana' });
    await pipeline.createErpOrder('loja:800', { actor: 'ana' });
    const [matriz] = erp.createdOrders(MATRIZ);
    const [filial] = erp.createdOrders(FILIAL);
    expect(matriz!.input.charges).toEqual({ shippingCents: 1590, discountCents: 500, otherExpensesCents: 299 });
    expect(filial!.input.charges).toBeUndefined();
    expect((await pipeline.getOrder('loja:800')).order.warnings).toEqual([]);
  });
});
