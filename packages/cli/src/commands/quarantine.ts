import { NotFoundError, ValidationError, type QuarantinedRecord } from '@conecta/core';
import type { CommandContext } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { jsonText, table } from '../output.js';
import { requireIntegration } from './integrations.js';

interface Listed extends QuarantinedRecord {
  /** The order was imported after it was quarantined (a later version validated, or a retry). */
  resolved: boolean;
}

/**
 * `conecta quarantine list | show ID | retry ID`: payloads that failed validation. A retry reads the order again
 * from the platform and imports it if it validates now, and the payload leaves quarantine; a payload whose order was
 * imported since by other means (a later version) is listed as resolved.
 */
export async function quarantine(context: CommandContext): Promise<number> {
  const { args, say } = context;
  const [action, id, ...rest] = args.positionals;
  if (rest.length > 0) throw new UsageError(say(`argumento a mais: ${rest.join(' ')}`, `unexpected argument: ${rest.join(' ')}`));
  const conecta = await context.session.conecta();
  const integrationIds = args.integration ? [requireIntegration(context, args.integration)] : conecta.pipeline.context.integrationIds();
  const records: Listed[] = [];
  for (const integrationId of integrationIds) {
    for (const record of await conecta.store.listQuarantine(integrationId, { limit: 1000 })) {
      const order = record.externalId ? await conecta.store.getOrder(`${integrationId}:${record.externalId}`) : null;
      records.push({ ...record, resolved: order !== null });
    }
  }
  const find = (wanted: string | undefined): Listed => {
    if (!wanted) throw new UsageError(say(`diga qual: conecta quarantine ${action} ID`, `say which: conecta quarantine ${action} ID`));
    const record = records.find((candidate) => candidate.id === wanted);
    if (!record) throw new UsageError(say(`nenhum payload em quarentena com id "${wanted}" (veja conecta quarantine list)`, `no quarantined payload with id "${wanted}" (see conecta quarantine list)`));
    return record;
  };

  switch (action) {
    case 'list':
    case undefined: {
      if (context.json) {
        context.emit({ records: records.map(({ raw: _raw, ...record }) => record) });
        return EXIT.ok;
      }
      if (records.length === 0) {
        context.print(say('Nenhum payload em quarentena.\n', 'No quarantined payloads.\n'));
        return EXIT.ok;
      }
      context.print(
        table(
          ['id', say('integração', 'integration'), say('pedido', 'order'), say('campo', 'field'), say('erro', 'error'), say('quando', 'when'), say('situação', 'state')],
          records.map((record) => [
            record.id,
            record.integrationId,
            record.externalId ?? '?',
            record.path,
            record.message,
            record.at.slice(0, 19).replace('T', ' '),
            record.resolved ? context.paint('ok', say('importado depois', 'imported since')) : context.paint('warn', say('pendente', 'pending')),
          ]),
        ),
      );
      return EXIT.ok;
    }
    case 'show': {
      const record = find(id);
      if (context.json) {
        context.emit(record);
        return EXIT.ok;
      }
      context.print(
        [
          `id: ${record.id}`,
          `${say('integração', 'integration')}: ${record.integrationId}`,
          `${say('pedido na plataforma', 'platform order')}: ${record.externalId ?? '?'}`,
          `${say('origem', 'source')}: ${record.source}`,
          `${say('quando', 'when')}: ${record.at}`,
          `${say('erro', 'error')}: ${record.code} ${record.path}: ${record.message}`,
          `${say('situação', 'state')}: ${record.resolved ? say('importado depois', 'imported since') : say('pendente', 'pending')}`,
          `${say('payload recebido (segredos ocultados)', 'payload received (secrets redacted)')}:`,
          jsonText(record.raw),
        ].join('\n'),
      );
      return EXIT.ok;
    }
    case 'retry': {
      const record = find(id);
      if (!record.externalId) throw new UsageError(say('este payload não tem o id do pedido: não há o que buscar de novo', 'this payload has no order id: there is nothing to read again'));
      let outcome: { status: 'imported' | 'unchanged' | 'still-invalid' | 'gone'; orderId?: string; path?: string; message?: string };
      try {
        // Read again from the platform and imported; the payload leaves quarantine once its order is stored.
        const reprocessed = await conecta.pipeline.reprocessQuarantined(record.integrationId, record.id, { actor: 'conecta-cli', signal: context.io.interrupt });
        outcome = { status: reprocessed.ingest.imported > 0 ? 'imported' : 'unchanged', orderId: reprocessed.orderId };
      } catch (error) {
        if (error instanceof ValidationError) outcome = { status: 'still-invalid', path: error.path, message: error.message };
        else if (error instanceof NotFoundError) outcome = { status: 'gone', message: error.message };
        else throw error;
      }
      const code = outcome.status === 'still-invalid' || outcome.status === 'gone' ? EXIT.findings : EXIT.ok;
      if (context.json) {
        context.emit({ id: record.id, integrationId: record.integrationId, externalId: record.externalId, ...outcome });
        return code;
      }
      const text = {
        imported: say(`Importado: ${outcome.orderId}.`, `Imported: ${outcome.orderId}.`),
        unchanged: say(`Já estava no store: ${outcome.orderId}.`, `Already in the store: ${outcome.orderId}.`),
        'still-invalid': say(`Ainda inválido: ${outcome.path}: ${outcome.message}`, `Still invalid: ${outcome.path}: ${outcome.message}`),
        gone: say('A plataforma diz que o pedido não existe mais.', 'The platform says the order no longer exists.'),
      }[outcome.status];
      context.print(`${text}\n`);
      return code;
    }
    default:
      throw new UsageError(say(`ação desconhecida "${action}": use list, show ID ou retry ID`, `unknown action "${action}": use list, show ID or retry ID`));
  }
}
