import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { StatusDictionarySchema, type StatusDictionary } from '@conecta/core';
import * as z from 'zod';

const OverridesSchema = z.record(
  z.string(),
  z.object({ dictionary: StatusDictionarySchema, updatedBy: z.string(), updatedAt: z.string() }),
);
export type DictionaryOverrides = z.output<typeof OverridesSchema>;

/**
 * Status dictionaries edited on the dashboard, kept in a JSON file beside the database so an edit survives a restart
 * (the config file holds the dictionaries a deployment starts with; an edit made by a person wins over it).
 */
export function createDictionaryOverrides(path: string | undefined) {
  let current: DictionaryOverrides = {};
  if (path && existsSync(path)) {
    const parsed = OverridesSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    // A damaged file is set aside, not trusted and not silently lost.
    if (parsed.success) current = parsed.data;
    else renameSync(path, `${path}.invalid-${Date.now()}`);
  }
  return {
    get(integrationId: string): StatusDictionary | undefined {
      return current[integrationId]?.dictionary;
    },
    /** Who last edited the integration's dictionary on the dashboard, and when. */
    lastEdit(integrationId: string): { updatedBy: string; updatedAt: string } | undefined {
      const entry = current[integrationId];
      return entry ? { updatedBy: entry.updatedBy, updatedAt: entry.updatedAt } : undefined;
    },
    save(integrationId: string, dictionary: StatusDictionary, updatedBy: string): void {
      current = { ...current, [integrationId]: { dictionary, updatedBy, updatedAt: new Date().toISOString() } };
      if (!path) return;
      mkdirSync(dirname(path), { recursive: true });
      // Written aside and renamed, so a crash mid-write never leaves half a file.
      writeFileSync(`${path}.tmp`, JSON.stringify(current, null, 2));
      renameSync(`${path}.tmp`, path);
    },
  };
}

export type DictionaryOverridesStore = ReturnType<typeof createDictionaryOverrides>;
