// Helpers shared by the benchmarks: arguments, RSS sampling, latency, and child processes from bundled TypeScript.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
export const flag = (name: string): boolean => process.argv.includes(`--${name}`);

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
export const verdict = (ok: boolean): string => (ok ? 'meets' : 'MISSES');

/** Samples this process's RSS every `everyMs` (and on demand) and keeps the peak. */
export function rssSampler(everyMs = 20): { peak(): number; stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, everyMs);
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** Wraps a fetch-style handler so every answer waits `ms` first (for fakes without a latency option). */
export function withLatency<R>(ms: number, handle: (request: Request) => Promise<R> | R): (request: Request) => Promise<R> {
  return async (request) => {
    if (ms > 0) await sleep(ms);
    return handle(request);
  };
}

const repoRoot = findRepoRoot();

function findRepoRoot(): string {
  // The bundle lives in <repo>/node_modules/.cache/conecta-bench/; walk up to the repository.
  const here = new URL('.', import.meta.url).pathname;
  const index = here.indexOf('/node_modules/');
  return index >= 0 ? here.slice(0, index + 1) : process.cwd() + '/';
}

const bundles = new Map<string, Promise<string>>();

/** Bundles a bench entry the way run-ts.mjs does (workspace packages from source) under its own name, once. */
export function bundle(entry: string): Promise<string> {
  let pending = bundles.get(entry);
  if (!pending) {
    pending = (async () => {
      const { build } = await import('esbuild');
      const outDir = join(repoRoot, 'node_modules', '.cache', 'conecta-bench');
      mkdirSync(outDir, { recursive: true });
      const outfile = join(outDir, `child-${basename(entry).replace(/\.[cm]?ts$/, '')}-${process.pid}.mjs`);
      await build({
        entryPoints: [resolve(repoRoot, entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        conditions: ['@conecta/source'],
        plugins: [
          {
            name: 'external-except-workspace',
            setup(pluginBuild) {
              pluginBuild.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@conecta/') ? undefined : { path: args.path, external: true }));
            },
          },
        ],
        sourcemap: 'inline',
        logLevel: 'warning',
      });
      return outfile;
    })();
    bundles.set(entry, pending);
  }
  return pending;
}

export interface Child {
  process: ChildProcess;
  /** Sends a message and waits for the child's answer to it (matched by `id`). */
  call<T = unknown>(message: Record<string, unknown>): Promise<T>;
  /** Waits for the next message of this `type`. */
  next<T = unknown>(type: string): Promise<T>;
  kill(): Promise<void>;
}

/** Forks a bundled bench entry with an IPC channel; messages are `{ id?, type, ... }`. */
export async function forkChild(entry: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv } = {}): Promise<Child> {
  const file = await bundle(entry);
  const child = fork(file, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: options.env ?? process.env });
  let seq = 0;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const typed: Array<{ type: string; resolve: (value: unknown) => void }> = [];
  const backlog: Array<Record<string, unknown>> = [];
  let exited = false;
  child.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    const id = message['id'] as number | undefined;
    if (id !== undefined && waiting.has(id)) {
      const pending = waiting.get(id)!;
      waiting.delete(id);
      if (message['error']) pending.reject(new Error(String(message['error'])));
      else pending.resolve(message);
      return;
    }
    const index = typed.findIndex((entry) => entry.type === message['type']);
    if (index >= 0) typed.splice(index, 1)[0]!.resolve(message);
    else backlog.push(message);
  });
  const exit = new Promise<void>((resolveExit) =>
    child.on('exit', (code) => {
      exited = true;
      for (const pending of waiting.values()) pending.reject(new Error(`${entry} exited with ${code}`));
      resolveExit();
    }),
  );
  return {
    process: child,
    call<T>(message: Record<string, unknown>) {
      const id = ++seq;
      return new Promise<T>((resolveCall, reject) => {
        waiting.set(id, { resolve: resolveCall as (value: unknown) => void, reject });
        child.send({ ...message, id });
      });
    },
    next<T>(type: string) {
      const index = backlog.findIndex((message) => message['type'] === type);
      if (index >= 0) return Promise.resolve(backlog.splice(index, 1)[0] as T);
      return new Promise<T>((resolveNext) => typed.push({ type, resolve: resolveNext as (value: unknown) => void }));
    },
    async kill() {
      // A disconnect lets the child exit on its own (serveParent exits on it), so --cpu-prof still writes its profile.
      if (!exited && child.connected) child.disconnect();
      const timer = setTimeout(() => {
        if (!exited) child.kill();
      }, 2000);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** In a child: answers each `{ id, ... }` request with the handler's result (or its error). */
export function serveParent(handler: (message: Record<string, unknown>) => Promise<Record<string, unknown>>): void {
  process.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    handler(message).then(
      (result) => process.send?.({ ...result, id: message['id'] }),
      (error: unknown) => process.send?.({ id: message['id'], error: error instanceof Error ? error.stack ?? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
