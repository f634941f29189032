import type { StockPushPlan } from '@conecta/core';
import type { CommandContext } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { units } from '../i18n.js';
import { table } from '../output.js';
import { requireIntegration } from './integrations.js';

/**
 * `conecta stock --dry-run`: what a stock push would send, per integration and SKU (Mainô stock of the allowed
 * companies, less open movements, less the buffer, in whole units), without sending. Without --dry-run it pushes.
 */
export async function stock(context: CommandContext): Promise<number> {
  const { args, say, lang } = context;
  if (args.positionals.length > 0) throw new UsageError(say(`argumento a mais: ${args.positionals.join(' ')}`, `unexpected argument: ${args.positionals.join(' ')}`));
  const conecta = await context.session.conecta();
  const enabled = context.session.config.integrations.filter((entry) => entry.stockPush?.enabled).map((entry) => entry.id);
  const integrationIds = args.integration ? [requireIntegration(context, args.integration)] : enabled;
  if (integrationIds.length === 0) {
    if (context.json) context.emit({ dryRun: args.dryRun, plans: [] });
    else context.print(say('Nenhuma integração com envio de estoque ligado (stockPush.enabled).\n', 'No integration has stock push enabled (stockPush.enabled).\n'));
    return EXIT.ok;
  }
  if (args.dryRun) {
    const plans: StockPushPlan[] = [];
    for (const integrationId of integrationIds) plans.push(await conecta.pipeline.planStockPush(integrationId, { force: args.force, signal: context.io.interrupt }));
    if (context.json) {
      context.emit({ dryRun: true, plans });
      return EXIT.ok;
    }
    for (const plan of plans) {
      const sending = plan.lines.filter((line) => line.send).length;
      context.print(`${plan.integrationId}: ${say(`${sending} de ${plan.lines.length} SKUs seriam enviados`, `${sending} of ${plan.lines.length} SKUs would be sent`)}\n`);
      context.print(
        table(
          ['SKU', say('livre no Mainô', 'free in Mainô'), say('enviaria', 'would send'), say('último enviado', 'last sent'), say('envia?', 'sends?')],
          plan.lines.map((line) => [
            line.sku,
            units(line.freeMilli, lang),
            units(line.quantityMilli, lang),
            line.previousMilli === undefined ? '—' : units(line.previousMilli, lang),
            line.send ? context.paint('ok', say('sim', 'yes')) : context.paint('dim', say('não (igual)', 'no (same)')),
          ]),
        ) + '\n',
      );
    }
    context.print(say('Simulação: nada foi enviado às lojas.\n', 'Dry run: nothing was sent to the stores.\n'));
    return EXIT.ok;
  }
  const results = [];
  for (const integrationId of integrationIds) results.push({ integrationId, ...(await conecta.pipeline.pushStock(integrationId, { force: args.force, signal: context.io.interrupt })) });
  const failed = results.some((result) => result.failed > 0 || result.notFound.length > 0);
  if (context.json) context.emit({ dryRun: false, results });
  else
    for (const result of results) {
      context.print(
        say(
          `${result.integrationId}: ${result.pushed} enviados, ${result.unchanged} sem mudança, ${result.failed} falharam${result.notFound.length ? `, não existem na loja: ${result.notFound.join(', ')}` : ''}\n`,
          `${result.integrationId}: ${result.pushed} pushed, ${result.unchanged} unchanged, ${result.failed} failed${result.notFound.length ? `, not in the store: ${result.notFound.join(', ')}` : ''}\n`,
        ),
      );
    }
  return failed ? EXIT.findings : EXIT.ok;
}
