import type { CommandContext } from '../command.js';
import { UsageError } from '../exit-codes.js';

/** The integration named on the command line, or a usage error listing the configured ones. */
export function requireIntegration(context: CommandContext, id: string): string {
  const ids = context.session.config.integrations.map((entry) => entry.id);
  if (ids.includes(id)) return id;
  throw new UsageError(context.say(`integração "${id}" não existe; configuradas: ${ids.join(', ')}`, `no integration "${id}"; configured: ${ids.join(', ')}`));
}
