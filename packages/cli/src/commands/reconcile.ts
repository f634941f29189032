import { formatCnpj, type ErpSalesOrder } from '@conecta/core';
import type { CommandContext } from '../command.js';
import { parseDateArg } from '../dates.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { money } from '../i18n.js';
import { table } from '../output.js';
import { requireIntegration } from './integrations.js';

type FindingKind = 'missing-in-maino' | 'duplicate-in-maino' | 'unknown-in-maino' | 'total-differs';

export interface ReconcileFinding {
  kind: FindingKind;
  reference: string;
  companyCnpj: string;
  orderId?: string;
  mainoOrderIds: string[];
  expectedCents?: number;
  mainoCents?: number;
}

interface Expected {
  reference: string;
  companyCnpj: string;
  orderId: string;
  erpOrderId: string | undefined;
  totalCents: number;
}

const REFERENCE_PREFIX = 'conecta:';

/**
 * `conecta reconcile --since DATE`: the store's done movements (one Mainô order per order and company) against the
 * Mainô orders listed since that date, matched by reference. Reads only, in the store and in Mainô.
 */
export async function reconcile(context: CommandContext): Promise<number> {
  const { args, say, lang } = context;
  if (!args.since) throw new UsageError(say('falta --since DATA', 'missing --since DATE'));
  if (args.positionals.length > 0) throw new UsageError(say(`argumento a mais: ${args.positionals.join(' ')}`, `unexpected argument: ${args.positionals.join(' ')}`));
  const sinceMs = parseDateArg(args.since, '--since', say);
  const conecta = await context.session.conecta();
  const integrationIds = args.integration ? [requireIntegration(context, args.integration)] : conecta.pipeline.context.integrationIds();

  // What the store says Mainô should have: done movements grouped by their Mainô order reference.
  const expected = new Map<string, Expected>();
  const companies = new Set<string>();
  for (const integrationId of integrationIds) {
    for (const company of conecta.pipeline.context.resolve(integrationId).companies) companies.add(company.cnpj);
    for (let offset = 0; ; offset += 500) {
      const page = await conecta.store.listOrders({ integrationId, filter: 'all', limit: 500, offset });
      for (const { order, movementCount } of page.items) {
        if (movementCount === 0 || Date.parse(order.createdAt) < sinceMs) continue;
        for (const movement of await conecta.store.getMovements(order.id)) {
          if (movement.state !== 'done' || !movement.erpReference) continue;
          const entry = expected.get(movement.erpReference) ?? { reference: movement.erpReference, companyCnpj: movement.companyCnpj, orderId: order.id, erpOrderId: movement.erpOrderId, totalCents: 0 };
          entry.totalCents += Math.round((movement.quantityMilli * movement.unitPriceCents) / 1000);
          expected.set(movement.erpReference, entry);
        }
      }
      if (offset + 500 >= page.total) break;
    }
  }

  // What Mainô has: every order of each company since the date, by reference.
  const found = new Map<string, Array<ErpSalesOrder & { companyCnpj: string }>>();
  let foreign = 0;
  let listed = 0;
  for (const cnpj of companies) {
    const client = conecta.mainoClients.get(cnpj);
    if (!client) continue;
    for await (const page of client.listSalesOrders(cnpj, { from: new Date(sinceMs), ...(context.io.interrupt ? { signal: context.io.interrupt } : {}) })) {
      for (const order of page.items) {
        listed += 1;
        if (order.status === 'cancelled') continue;
        if (!order.externalReference.startsWith(REFERENCE_PREFIX)) {
          foreign += 1;
          continue;
        }
        found.set(order.externalReference, [...(found.get(order.externalReference) ?? []), { ...order, companyCnpj: cnpj }]);
      }
    }
  }

  const findings: ReconcileFinding[] = [];
  for (const entry of expected.values()) {
    let inMaino = found.get(entry.reference) ?? [];
    if (inMaino.length === 0) {
      // Mainô's date filter may not be the sale's date: a direct lookup settles it before calling the order missing.
      const direct = await conecta.mainoClients.get(entry.companyCnpj)?.findSalesOrderByReference(entry.companyCnpj, entry.reference);
      if (direct && direct.status !== 'cancelled') inMaino = [{ ...direct, companyCnpj: entry.companyCnpj }];
    }
    const ids = inMaino.map((order) => order.id);
    if (inMaino.length === 0) findings.push({ kind: 'missing-in-maino', reference: entry.reference, companyCnpj: entry.companyCnpj, orderId: entry.orderId, mainoOrderIds: [], expectedCents: entry.totalCents });
    else if (inMaino.length > 1) findings.push({ kind: 'duplicate-in-maino', reference: entry.reference, companyCnpj: entry.companyCnpj, orderId: entry.orderId, mainoOrderIds: ids, expectedCents: entry.totalCents });
    else if (inMaino[0]!.totalCents !== entry.totalCents) {
      findings.push({ kind: 'total-differs', reference: entry.reference, companyCnpj: entry.companyCnpj, orderId: entry.orderId, mainoOrderIds: ids, expectedCents: entry.totalCents, mainoCents: inMaino[0]!.totalCents });
    }
  }
  for (const [reference, orders] of found) {
    if (expected.has(reference) || !referenceInScope(reference, integrationIds)) continue;
    findings.push({ kind: orders.length > 1 ? 'duplicate-in-maino' : 'unknown-in-maino', reference, companyCnpj: orders[0]!.companyCnpj, mainoOrderIds: orders.map((order) => order.id), mainoCents: orders[0]!.totalCents });
    if (orders.length > 1) findings.push({ kind: 'unknown-in-maino', reference, companyCnpj: orders[0]!.companyCnpj, mainoOrderIds: orders.map((order) => order.id), mainoCents: orders[0]!.totalCents });
  }

  const counts = Object.fromEntries((['missing-in-maino', 'duplicate-in-maino', 'unknown-in-maino', 'total-differs'] as const).map((kind) => [kind, findings.filter((finding) => finding.kind === kind).length]));
  const code = findings.length > 0 ? EXIT.findings : EXIT.ok;
  if (context.json) {
    context.emit({ since: new Date(sinceMs).toISOString(), integrations: integrationIds, expected: expected.size, mainoListed: listed, mainoWithoutConectaReference: foreign, counts, findings });
    return code;
  }
  const kindText: Record<FindingKind, string> = {
    'missing-in-maino': say('falta no Mainô', 'missing in Mainô'),
    'duplicate-in-maino': say('dois ou mais no Mainô', 'two or more in Mainô'),
    'unknown-in-maino': say('no Mainô, desconhecido aqui', 'in Mainô, unknown here'),
    'total-differs': say('total difere', 'total differs'),
  };
  context.print(
    say(
      `Desde ${args.since}: ${expected.size} pedido(s) do Mainô esperados pelas movimentações realizadas; ${listed} listados no Mainô (${foreign} sem referência do Conecta, fora da comparação).\n`,
      `Since ${args.since}: ${expected.size} Mainô order(s) expected from done movements; ${listed} listed in Mainô (${foreign} without a Conecta reference, not compared).\n`,
    ),
  );
  if (findings.length === 0) {
    context.print(context.paint('ok', say('Tudo confere.\n', 'Everything matches.\n')));
    return code;
  }
  context.print(
    `\n${table(
      [say('divergência', 'discrepancy'), say('referência', 'reference'), say('empresa', 'company'), say('pedido no Mainô', 'Mainô order'), say('esperado', 'expected'), say('no Mainô', 'in Mainô')],
      findings.map((finding) => [
        context.paint(finding.kind === 'total-differs' || finding.kind === 'unknown-in-maino' ? 'warn' : 'bad', kindText[finding.kind]),
        finding.reference,
        formatCnpj(finding.companyCnpj),
        finding.mainoOrderIds.join(', ') || '—',
        finding.expectedCents === undefined ? '—' : money(finding.expectedCents, lang),
        finding.mainoCents === undefined ? '—' : money(finding.mainoCents, lang),
      ]),
    )}`,
  );
  context.print(
    `\n${say(
      `${counts['missing-in-maino']} faltando, ${counts['duplicate-in-maino']} duplicados, ${counts['unknown-in-maino']} desconhecidos, ${counts['total-differs']} com total diferente. Nada foi gravado.`,
      `${counts['missing-in-maino']} missing, ${counts['duplicate-in-maino']} duplicated, ${counts['unknown-in-maino']} unknown, ${counts['total-differs']} with a different total. Nothing was written.`,
    )}\n`,
  );
  return code;
}

/** A reference `conecta:<integration>:<order>:<cnpj>` of one of the integrations being reconciled. */
function referenceInScope(reference: string, integrationIds: readonly string[]): boolean {
  const integration = reference.slice(REFERENCE_PREFIX.length).split(':')[0];
  return integration !== undefined && integrationIds.includes(integration);
}
