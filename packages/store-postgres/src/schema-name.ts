import { ConfigurationError } from '@conecta/core';

/** The schema name, checked and double-quoted: it is spliced into SQL text, so only plain identifiers are accepted. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigurationError(`invalid PostgreSQL schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _`);
  }
  return `"${schema}"`;
}
