import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@conecta/store-sqlite';
import { EXIT } from '../src/index.js';
import { startWorld, type World } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/conecta.mjs', import.meta.url));
const CURSOR_KEY = 'backfill:tray:2026-01-01T03:00:00.000Z';

interface Child {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The real `conecta` binary in a process of its own; `onStderr` may send it a signal. */
function conecta(args: string[], env: Record<string, string>, onStderr?: (text: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      onStderr?.(stderr, (signal) => child.kill(signal));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('conecta backfill: Ctrl-C and resume, in a real process', () => {
  let world: World;
  let config: string;
  beforeAll(async () => {
    world = await startWorld({ ordersPerStore: 2, malformedPerStore: 0 });
    world.demo.platforms.find((platform) => platform.integrationId === 'tray')!.fake.seedOrders(198, { status: 'A ENVIAR' });
    // Slow enough that the run is still going when the signal arrives: a page of 50 orders takes about 2 s.
    config = world.writeConfig((settings) => {
      const tray = (settings['integrations'] as Array<{ id: string; connection: Record<string, unknown> }>).find((entry) => entry.id === 'tray')!;
      tray.connection['rateLimit'] = { requests: 25, intervalMs: 1000, burst: 5 };
    }, 'slow-tray.json');
  });
  afterAll(async () => {
    await world?.close();
  });

  it('SIGINT stops at a stored page with its cursor saved (exit 130); the next run continues from it and nothing is read twice or lost', async () => {
    let signalled = false;
    const first = await conecta(['backfill', '--config', config, '--integration', 'tray', '--since', '2026-01-01'], world.env, (stderr, kill) => {
      // The first progress line comes after the first page is stored.
      if (!signalled && /\d+ pedidos · \d+ página/.test(stderr)) {
        signalled = true;
        kill('SIGINT');
      }
    });
    expect(signalled).toBe(true);
    expect(first.code).toBe(EXIT.interrupted);
    expect(first.stdout).toMatch(/Backfill de tray interrompido: (\d+) pedidos/);
    expect(first.stdout).toContain('O store está consistente e o cursor foi salvo após a última página gravada.');

    const store = createSqliteStore({ filename: world.dbPath });
    let storedFirst: number;
    try {
      storedFirst = (await store.listOrders({ integrationId: 'tray' })).total;
      expect(await store.getCursor(CURSOR_KEY)).not.toBeNull();
    } finally {
      await store.close();
    }
    const reported = Number(/interrompido: (\d+) pedidos/.exec(first.stdout)![1]);
    // What the report says was imported is what the store holds: every listed page was stored whole.
    expect(storedFirst).toBe(reported);
    expect(storedFirst).toBeGreaterThan(0);
    expect(storedFirst).toBeLessThan(200);

    const second = await conecta(['backfill', '--config', config, '--integration', 'tray', '--since', '2026-01-01', '--json'], world.env);
    expect(second.code).toBe(EXIT.ok);
    const report = JSON.parse(second.stdout) as { resumed: boolean; orders: number; imported: number; unchanged: number };
    expect(report.resumed).toBe(true);
    // Continued after the saved cursor: the two runs together listed each order exactly once.
    expect(storedFirst + report.orders).toBe(200);
    expect(report.unchanged).toBe(0);
    const after = createSqliteStore({ filename: world.dbPath });
    try {
      expect((await after.listOrders({ integrationId: 'tray' })).total).toBe(200);
    } finally {
      await after.close();
    }
  }, 180_000);
});
