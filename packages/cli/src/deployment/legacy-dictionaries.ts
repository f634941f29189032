import { existsSync, readFileSync, renameSync } from 'node:fs';
import { StatusDictionarySchema, type Store } from '@conecta/core';
import * as z from 'zod';

const LegacyFileSchema = z.record(z.string(), z.object({ dictionary: StatusDictionarySchema, updatedBy: z.string(), updatedAt: z.string() }));

/**
 * Earlier versions of this server kept dashboard edits in `status-dictionaries.json` beside the SQLite file. The
 * store keeps them now (shared by every worker); a file left by such a version is moved into it once, for the
 * integrations the store has no edit for, and renamed `.imported`. A damaged file is renamed `.invalid-<time>` and
 * left for a person to look at. Returns how many edits were imported.
 */
export async function importLegacyDictionaryFile(path: string, store: Store): Promise<number> {
  if (!existsSync(path) || !store.saveStatusDictionary || !store.getStatusDictionary) return 0;
  const edits = readLegacyFile(path);
  if (!edits) {
    renameSync(path, `${path}.invalid-${Date.now()}`);
    return 0;
  }
  let imported = 0;
  for (const [integrationId, edit] of Object.entries(edits)) {
    if (await store.getStatusDictionary(integrationId)) continue;
    await store.saveStatusDictionary(integrationId, edit);
    imported += 1;
  }
  renameSync(path, `${path}.imported`);
  return imported;
}

function readLegacyFile(path: string): z.output<typeof LegacyFileSchema> | undefined {
  try {
    const result = LegacyFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
