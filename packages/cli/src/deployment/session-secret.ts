import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '@conecta/core';

const MIN_LENGTH = 32;

/**
 * The secret that signs session cookies. Outside the demo it comes from the environment (the config's
 * `sessionSecret: "env:NAME"`), at least 32 characters, or the server does not start: a guessable or missing secret
 * would let anyone reaching the port forge a session for every tenant. The demo draws one at its first run and keeps
 * it beside its SQLite file (readable by its owner only), so a restart keeps people signed in; with an in-memory
 * store it is drawn per run.
 */
export function resolveSessionSecret(options: { configured: string | undefined; demo: boolean; storePath: string | undefined }): string {
  if (options.configured !== undefined) {
    if (options.configured.length < MIN_LENGTH) throw new ConfigurationError(`sessionSecret: must be at least ${MIN_LENGTH} characters (e.g. openssl rand -hex 32)`);
    return options.configured;
  }
  if (!options.demo) {
    throw new ConfigurationError('sessionSecret: required outside the demo. Set "sessionSecret": "env:CONECTA_SESSION_SECRET" in the config and export CONECTA_SESSION_SECRET="$(openssl rand -hex 32)"');
  }
  if (!options.storePath || options.storePath === ':memory:') return randomBytes(32).toString('hex');
  return persistedSecret(join(dirname(options.storePath), 'session-secret'));
}

function persistedSecret(path: string): string {
  const generated = randomBytes(32).toString('hex');
  // A fresh checkout has no data directory yet: the demo's first run makes it (the store would, a moment later).
  mkdirSync(dirname(path), { recursive: true });
  try {
    // 'wx': two processes starting at once keep the one written first.
    writeFileSync(path, `${generated}\n`, { flag: 'wx', mode: 0o600 });
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stored = readFileSync(path, 'utf8').trim();
  if (stored.length < MIN_LENGTH) throw new ConfigurationError(`${path}: the stored session secret is too short; delete the file to draw a new one`);
  return stored;
}
