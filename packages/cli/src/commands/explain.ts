import { NotFoundError, parseQuantity, type Company, type LineExplanation } from '@conecta/core';
import type { CommandContext } from '../command.js';
import { UsageError } from '../exit-codes.js';
import { units, type Lang, type Say } from '../i18n.js';
import { table } from '../output.js';
import { requireIntegration } from './integrations.js';

/**
 * `conecta explain ORDER` (an order id `integration:externalId`, or `--integration ID EXTERNAL_ID`), or
 * `conecta explain --integration ID SKU=QTY...` for an order nobody placed: the allocator's plan and why, with
 * today's Mainô stock less what open movements hold. Reads only.
 */
export async function explain(context: CommandContext): Promise<number> {
  const { args, say, lang } = context;
  const conecta = await context.session.conecta();
  const pairs = args.positionals.filter((arg) => arg.includes('='));
  const others = args.positionals.filter((arg) => !arg.includes('='));
  let target: string | { integrationId: string; lines: Array<{ sku: string; quantityMilli: number }> };
  if (pairs.length > 0) {
    if (!args.integration) throw new UsageError(say('um pedido hipotético precisa de --integration ID (o grupo de empresas vem dela)', 'a hypothetical order needs --integration ID (the group of companies comes from it)'));
    if (others.length > 0) throw new UsageError(say(`misture pares SKU=QTD ou um pedido, não os dois: ${others.join(' ')}`, `give SKU=QTY pairs or an order, not both: ${others.join(' ')}`));
    const integrationId = requireIntegration(context, args.integration);
    const lines = pairs.map((pair) => {
      const [sku, quantity] = [pair.slice(0, pair.lastIndexOf('=')), pair.slice(pair.lastIndexOf('=') + 1)];
      try {
        // People type 1,5 or 1.5: a comma is the decimal separator when there is one.
        const quantityMilli = parseQuantity(quantity, { field: sku, decimalSeparator: quantity.includes(',') ? ',' : '.' });
        if (!sku || quantityMilli <= 0) throw new Error('empty SKU or quantity');
        return { sku, quantityMilli };
      } catch {
        throw new UsageError(say(`"${pair}": use SKU=QUANTIDADE, ex.: CAM-P=2 ou CAM-P=1,5`, `"${pair}": use SKU=QUANTITY, e.g. CAM-P=2 or CAM-P=1.5`));
      }
    });
    target = { integrationId, lines };
  } else {
    if (others.length !== 1) throw new UsageError(say('diga um pedido: conecta explain tray:1234 (ou --integration tray 1234)', 'name one order: conecta explain tray:1234 (or --integration tray 1234)'));
    const given = others[0]!;
    target = args.integration ? `${requireIntegration(context, args.integration)}:${given}` : given;
    if (!target.includes(':')) throw new UsageError(say(`"${given}": use integração:pedido (ex.: tray:1234) ou --integration`, `"${given}": use integration:order (e.g. tray:1234) or --integration`));
  }
  const integrationId = typeof target === 'string' ? target.slice(0, target.indexOf(':')) : target.integrationId;
  const { companies } = conecta.pipeline.context.resolve(integrationId);
  if (typeof target === 'string' && !(await conecta.store.getOrder(target))) {
    throw new NotFoundError(
      say(`o pedido ${target} não está no store: ele chega pela consulta do servidor ou por conecta backfill`, `order ${target} is not in the store: it arrives with the server's polling or conecta backfill`),
    );
  }
  const detail = typeof target === 'string' ? await conecta.pipeline.getOrder(target) : undefined;
  const result = await conecta.pipeline.previewAllocation(target);
  if (context.json) {
    context.emit({
      order: detail ? { id: detail.order.id, number: detail.order.number, status: detail.order.status, intakeState: detail.order.intakeState, movements: detail.movements.length } : { hypothetical: true, integrationId },
      companies: companies.map(({ cnpj, name, priority, active }) => ({ cnpj, name, priority, active })),
      ...result,
      lines: result.explanation.map((line) => ({ ...line, text: explainLine(line, companies, say, lang) })),
    });
    return 0;
  }
  const heading = detail
    ? say(`Pedido ${detail.order.number} (${detail.order.id}), status "${detail.order.status}", ${detail.movements.length} movimentação(ões) já criadas`, `Order ${detail.order.number} (${detail.order.id}), status "${detail.order.status}", ${detail.movements.length} movement(s) already created`)
    : say(`Pedido hipotético em ${integrationId}`, `Hypothetical order in ${integrationId}`);
  context.print(`${heading}\n${say('Empresas por prioridade', 'Companies by priority')}: ${companies.map((company) => `${company.priority}. ${company.name}`).join(', ')}\n\n`);
  context.print(
    table(
      ['SKU', say('qtd', 'qty'), say('resultado', 'outcome'), say('explicação', 'explanation')],
      result.explanation.map((line) => [line.sku ?? say('(sem SKU)', '(no SKU)'), units(line.requestedMilli, lang), context.paint(line.outcome === 'covered' ? 'ok' : 'warn', outcomeText(line.outcome, say)), explainLine(line, companies, say, lang)]),
    ),
  );
  context.print(
    `\n${result.complete ? say('O pedido seria atendido por inteiro.', 'The order would be served in full.') : say('O pedido não seria atendido por inteiro.', 'The order would not be served in full.')} ${say('Nada foi gravado.', 'Nothing was written.')}\n`,
  );
  return 0;
}

function outcomeText(outcome: LineExplanation['outcome'], say: Say): string {
  switch (outcome) {
    case 'covered':
      return say('atendido', 'covered');
    case 'partial':
      return say('em parte', 'partial');
    case 'short':
      return say('sem estoque', 'short');
    case 'unknown-sku':
      return say('SKU desconhecido', 'unknown SKU');
    case 'held':
      return say('retido', 'held');
    case 'unmatched':
      return say('sem SKU', 'no SKU');
  }
}

/** One line's explanation from its structured fields, in the chosen language (the allocator's own summary is English). */
export function explainLine(line: LineExplanation, companies: readonly Company[], say: Say, lang: Lang): string {
  const name = (cnpj: string) => {
    const company = companies.find((entry) => entry.cnpj === cnpj);
    return company ? say(`${company.name} (prioridade ${company.priority})`, `${company.name} (priority ${company.priority})`) : cnpj;
  };
  const reasons: Record<string, string> = {
    inactive: say('empresa inativa', 'inactive company'),
    'no-stock': say('sem estoque', 'no stock'),
    'unknown-sku': say('produto não cadastrado', 'product not registered'),
    'not-chosen': say('não escolhida', 'not chosen'),
    'over-company-limit': say('acima do limite de empresas por pedido', 'over the companies-per-order limit'),
    'single-company-short': say('não atende o pedido inteiro sozinha', 'cannot serve the whole order alone'),
  };
  const parts: string[] = [];
  if (line.chosen.length) parts.push(line.chosen.map((entry) => say(`${units(entry.quantityMilli, lang)} de ${name(entry.companyCnpj)}`, `${units(entry.quantityMilli, lang)} from ${name(entry.companyCnpj)}`)).join(' + '));
  for (const skipped of line.skipped) {
    const available = skipped.reason === 'no-stock' || skipped.reason === 'unknown-sku' ? '' : say(`, ${units(Math.max(0, skipped.availableMilli), lang)} disponível`, `, ${units(Math.max(0, skipped.availableMilli), lang)} available`);
    parts.push(say(`${name(skipped.companyCnpj)} pulada: ${reasons[skipped.reason] ?? skipped.reason}${available}`, `${name(skipped.companyCnpj)} skipped: ${reasons[skipped.reason] ?? skipped.reason}${available}`));
  }
  if (line.outcome === 'held') parts.push(say('retido: o pedido só é movimentado quando todos os itens têm estoque', 'held: the order moves only when every line has stock'));
  if (line.outcome === 'unmatched') parts.push(say('a loja mandou o item sem SKU: mapeie-o a um SKU no painel', 'the store sent the line without a SKU: map it to a SKU on the dashboard'));
  return parts.join('; ') || outcomeText(line.outcome, say);
}
