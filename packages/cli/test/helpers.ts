import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type RunOptions } from '../src/index.js';
import { startDemo, type Demo, type DemoOptions } from '../src/deployment/demo.js';
import type { ServerConfig } from '../src/deployment/index.js';

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed, for --json runs. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs one command line in this process, with its output captured and no terminal (unless `tty`). */
export async function run(argv: string[], options: { env?: Record<string, string | undefined>; cwd?: string; tty?: boolean; signal?: AbortSignal; run?: RunOptions } = {}): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
      stderr: { write: (text: string) => (stderr += text), isTTY: false },
      env: options.env ?? {},
      cwd: options.cwd ?? process.cwd(),
      interrupt: options.signal ?? new AbortController().signal,
    },
    options.run,
  );
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}

export interface World {
  demo: Demo;
  dir: string;
  configPath: string;
  dbPath: string;
  env: Record<string, string>;
  /** Writes the config (the demo's, changed by `edit`) with a SQLite store in the world's folder; returns its path. */
  writeConfig(edit?: (config: Record<string, unknown>) => void, name?: string): string;
  close(): Promise<void>;
}

/**
 * The demo's fakes on local ports and a real config file pointing at them, with a SQLite store on disk: the commands
 * run as an integrator runs them, secrets from the environment.
 */
export async function startWorld(options: DemoOptions = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-cli-'));
  const dbPath = join(dir, 'conecta.db');
  const demo = await startDemo({ ordersPerStore: 4, malformedPerStore: 1, quarantineExample: false, ...options, storePath: ':memory:' });
  const writeConfig = (edit?: (config: Record<string, unknown>) => void, name = 'conecta.config.json') => {
    const config = structuredClone(demo.config) as unknown as Record<string, unknown> & Pick<ServerConfig, 'store'>;
    config.store = { kind: 'sqlite', path: dbPath };
    edit?.(config);
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(config, null, 2));
    return path;
  };
  const configPath = writeConfig();
  return {
    demo,
    dir,
    configPath,
    dbPath,
    env: { ...demo.env },
    writeConfig,
    close: () => demo.close(),
  };
}

export type Row = { scope: string; check: string; status: string; expected?: string; came?: string; note?: string };

export function rowOf(rows: Row[], scope: string, check: string): Row {
  const row = rows.find((candidate) => candidate.scope === scope && candidate.check === check);
  if (!row) throw new Error(`no row ${scope} ${check} in ${JSON.stringify(rows.map((r) => `${r.scope} ${r.check}`))}`);
  return row;
}
