import { AuthError, NotFoundError, UpstreamError, ValidationError, type ErpSalesOrder } from '@conecta/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOnce, mayHaveStored, type CreateOnceSteps } from '../src/create-once.js';

// createOnce on its own, with scripted lookups and creates: each attempt and each pause is seen, which the client
// tests (through the fake server) only see as a count of POSTs.

const REFERENCE = 'loja:1042:11222333000181';
const stored = (id: string): ErpSalesOrder => ({ id, externalReference: REFERENCE, status: 'open', totalCents: 2_985 }) as ErpSalesOrder;
const timeout = () => new UpstreamError('maino: timed out', { code: 'TIMEOUT' });
const badGateway = () => new UpstreamError('maino: 502', { status: 502 });

interface Script {
  /** What each lookup answers, in turn (an Error is thrown); past the end, null. */
  lookups?: Array<ErpSalesOrder | null | Error>;
  /** What each create answers, in turn (an Error is thrown); past the end, a fresh order. */
  creates?: Array<ErpSalesOrder | Error>;
}

/** Steps that play a script and record what was called, in order, with when. */
function scripted(script: Script, overrides: Partial<CreateOnceSteps> = {}) {
  const calls: Array<{ call: 'lookup' | 'create'; at: number }> = [];
  let lookups = 0;
  let creates = 0;
  const steps: CreateOnceSteps = {
    reference: REFERENCE,
    maxAttempts: 3,
    pause: { baseMs: 1, capMs: 5 },
    lookup: async () => {
      calls.push({ call: 'lookup', at: performance.now() });
      lookups += 1;
      const answer = script.lookups?.[lookups - 1] ?? null;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    create: async () => {
      calls.push({ call: 'create', at: performance.now() });
      creates += 1;
      const answer = script.creates?.[creates - 1] ?? stored(`created-${creates}`);
      if (answer instanceof Error) throw answer;
      return answer;
    },
    ...overrides,
  };
  return { steps, calls, sequence: () => calls.map((entry) => entry.call) };
}

afterEach(() => vi.restoreAllMocks());

describe('createOnce', () => {
  it('returns the order already stored under the reference as a reuse, creating nothing', async () => {
    const { steps, sequence } = scripted({ lookups: [stored('42')] });
    expect(await createOnce(steps)).toEqual({ order: stored('42'), reused: true });
    expect(sequence()).toEqual(['lookup']);
  });

  it('looks up first, then creates once when nothing is stored', async () => {
    const { steps, sequence } = scripted({});
    expect(await createOnce(steps)).toEqual({ order: stored('created-1'), reused: false });
    expect(sequence()).toEqual(['lookup', 'create']);
  });

  it('skips the first lookup only when the caller vouches it is the first attempt', async () => {
    const first = scripted({ lookups: [stored('42')] }, { firstAttempt: true });
    expect(await createOnce(first.steps)).toEqual({ order: stored('created-1'), reused: false });
    expect(first.sequence()).toEqual(['create']);
  });

  it('after an ambiguous failure, finds its own creation by the lookup instead of creating twice', async () => {
    const { steps, sequence } = scripted({ lookups: [null, stored('7')], creates: [timeout()] });
    // Stored by this call's own first attempt: a creation, not a reuse.
    expect(await createOnce(steps)).toEqual({ order: stored('7'), reused: false });
    expect(sequence()).toEqual(['lookup', 'create', 'lookup']);
  });

  it('after an ambiguous failure that stored nothing, looks up and creates again', async () => {
    const { steps, sequence } = scripted({ creates: [badGateway()] });
    expect(await createOnce(steps)).toEqual({ order: stored('created-2'), reused: false });
    expect(sequence()).toEqual(['lookup', 'create', 'lookup', 'create']);
  });

  it('a failure that cannot have stored the order is not retried and reaches the caller as it was', async () => {
    const refused = new ValidationError([{ path: 'itens.0.codigo', message: 'produto não encontrado' }], { status: 422 });
    const { steps, sequence } = scripted({ creates: [refused] });
    await expect(createOnce(steps)).rejects.toBe(refused);
    expect(sequence()).toEqual(['lookup', 'create']);
  });

  it('a lookup that fails after an ambiguous create stops at once with the lookup error: no blind second create', async () => {
    const down = new UpstreamError('maino: lookup 503', { status: 503 });
    const { steps, sequence } = scripted({ lookups: [null, down], creates: [timeout()] });
    await expect(createOnce(steps)).rejects.toBe(down);
    expect(sequence()).toEqual(['lookup', 'create', 'lookup']);
  });

  it('a lookup that throws a non-Error still stops at once, as an Error carrying its text', async () => {
    const { steps, sequence } = scripted({ creates: [timeout()] });
    let lookups = 0;
    steps.lookup = async () => {
      lookups += 1;
      if (lookups === 2) throw 'connection reset'; // eslint-disable-line @typescript-eslint/only-throw-error
      return null;
    };
    const error = await createOnce(steps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('connection reset');
    expect(sequence()).toEqual(['create']);
    expect(lookups).toBe(2);
  });

  it('a create that throws a non-Error is not retried, and reaches the caller as an Error carrying its text', async () => {
    const { steps, sequence } = scripted({});
    steps.create = async () => {
      throw 'boom'; // eslint-disable-line @typescript-eslint/only-throw-error
    };
    const error = await createOnce(steps).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('boom');
    expect(sequence()).toEqual(['lookup']);
  });

  it('makes at most maxAttempts creates, looks once more, then gives up with a retryable error naming the reference', async () => {
    const { steps, sequence } = scripted({ creates: [timeout(), timeout(), badGateway(), timeout()] });
    const error = await createOnce(steps).catch((caught: unknown) => caught);
    expect(sequence()).toEqual(['lookup', 'create', 'lookup', 'create', 'lookup', 'create', 'lookup']);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryable).toBe(true);
    expect((error as UpstreamError).message).toBe(
      `maino: sales order ${REFERENCE} could not be confirmed after 3 attempts; a later call looks it up before creating`,
    );
    // The last ambiguous failure is kept as the cause.
    expect((error as UpstreamError).cause).toBeInstanceOf(UpstreamError);
    expect(((error as UpstreamError).cause as UpstreamError).status).toBe(502);
  });

  it('the last look finds an order the last ambiguous attempt stored: a creation, not an error', async () => {
    const { steps, sequence } = scripted({ lookups: [null, null, stored('9')], creates: [timeout(), timeout()] }, { maxAttempts: 2 });
    expect(await createOnce(steps)).toEqual({ order: stored('9'), reused: false });
    expect(sequence()).toEqual(['lookup', 'create', 'lookup', 'create', 'lookup']);
  });

  it('a maxAttempts below one still creates once', async () => {
    for (const maxAttempts of [1, 0, -2]) {
      const { steps, sequence } = scripted({ creates: [timeout()] }, { maxAttempts });
      await expect(createOnce(steps)).rejects.toBeInstanceOf(UpstreamError);
      expect(sequence(), `maxAttempts ${maxAttempts}`).toEqual(['lookup', 'create', 'lookup']);
    }
  });

  it('waits between attempts from baseMs, doubling (times the jitter), and before the last look twice the last wait', async () => {
    // Jitter pinned at its top (x2 less a hair), so every wait is known: 2 x 60 = 120, then 2 x 120 = 240 ms.
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { steps, calls } = scripted({ creates: [timeout(), timeout(), timeout()] }, { pause: { baseMs: 60, capMs: 5_000 } });
    await expect(createOnce(steps)).rejects.toBeInstanceOf(UpstreamError);
    const creates = calls.filter((entry) => entry.call === 'create').map((entry) => entry.at);
    const lastLook = calls.at(-1)!.at;
    expect(creates).toHaveLength(3);
    expect(creates[1]! - creates[0]!).toBeGreaterThanOrEqual(110);
    expect(creates[2]! - creates[1]!).toBeGreaterThanOrEqual(230);
    // Twice the last wait (about 480 ms): neither none, half, nor the 5 s cap.
    expect(lastLook - creates[2]!).toBeGreaterThanOrEqual(450);
    expect(lastLook - creates[2]!).toBeLessThan(2_500);
  });

  it('never waits longer than capMs, between attempts or before the last look', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { steps, calls } = scripted({ creates: [timeout(), timeout()] }, { maxAttempts: 2, pause: { baseMs: 400, capMs: 150 } });
    await expect(createOnce(steps)).rejects.toBeInstanceOf(UpstreamError);
    const [firstCreate, secondCreate] = calls.filter((entry) => entry.call === 'create').map((entry) => entry.at);
    expect(secondCreate! - firstCreate!).toBeGreaterThanOrEqual(140);
    expect(secondCreate! - firstCreate!).toBeLessThan(390);
    expect(calls.at(-1)!.at - secondCreate!).toBeGreaterThanOrEqual(140);
    expect(calls.at(-1)!.at - secondCreate!).toBeLessThan(390);
  });

  it('an abort during the pause stops the attempts; nothing more is created', async () => {
    const controller = new AbortController();
    const { steps, sequence } = scripted({ creates: [timeout()] }, { pause: { baseMs: 2_000, capMs: 2_000 }, signal: controller.signal });
    const settled = createOnce(steps).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(sequence()).toEqual(['lookup', 'create']));
    controller.abort(new Error('shutdown'));
    const started = performance.now();
    expect(await settled).toMatchObject({ message: 'shutdown' });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(sequence()).toEqual(['lookup', 'create']);
  });

  it('an abort during the pause before the last look stops it too', async () => {
    const controller = new AbortController();
    const { steps, sequence } = scripted({ creates: [timeout()] }, { maxAttempts: 1, pause: { baseMs: 2_000, capMs: 2_000 }, signal: controller.signal });
    const settled = createOnce(steps).catch((caught: unknown) => caught);
    await vi.waitFor(() => expect(sequence()).toEqual(['lookup', 'create']));
    const reason = new Error('shutdown');
    controller.abort(reason);
    const started = performance.now();
    // The timer's own AbortError, carrying the reason: not the "could not be confirmed" error after a last look.
    expect(await settled).toMatchObject({ name: 'AbortError', cause: reason });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(sequence()).toEqual(['lookup', 'create']);
  });
});

describe('mayHaveStored: which failures leave the order possibly stored', () => {
  it('a timeout or a dropped connection may have stored it', () => {
    expect(mayHaveStored(new UpstreamError('timed out', { code: 'TIMEOUT' }))).toBe(true);
    expect(mayHaveStored(new UpstreamError('reset', { code: 'NETWORK' }))).toBe(true);
  });

  it('a 408, a 5xx or a 2xx whose body could not be read may have stored it', () => {
    for (const status of [408, 500, 502, 504, 599, 200, 201, 299]) {
      expect(mayHaveStored(new UpstreamError(`status ${status}`, { status })), `status ${status}`).toBe(true);
    }
  });

  it('any other status, or an upstream failure without one, did not store it', () => {
    for (const status of [199, 300, 404, 407, 409, 429, 499]) {
      expect(mayHaveStored(new UpstreamError(`status ${status}`, { status })), `status ${status}`).toBe(false);
    }
    expect(mayHaveStored(new UpstreamError('unreadable answer'))).toBe(false);
  });

  it('a refusal (validation, auth, not found) or an error that is not Conecta\'s did not store it', () => {
    expect(mayHaveStored(new ValidationError([{ path: 'itens', message: 'vazio' }], { status: 422 }))).toBe(false);
    expect(mayHaveStored(new AuthError('401', { status: 500 }))).toBe(false);
    expect(mayHaveStored(new NotFoundError('404'))).toBe(false);
    expect(mayHaveStored(new Error('timed out'))).toBe(false);
    expect(mayHaveStored({ code: 'TIMEOUT' })).toBe(false);
  });
});
