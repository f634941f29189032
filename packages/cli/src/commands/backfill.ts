import type { CommandContext } from '../command.js';
import { parseDateArg } from '../dates.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { requireIntegration } from './integrations.js';

export interface BackfillReport {
  integrationId: string;
  since: string;
  until: string | null;
  dryRun: boolean;
  /** The run continued from a cursor saved by an earlier, interrupted one. */
  resumed: boolean;
  pages: number;
  /** Valid orders listed in the range. */
  orders: number;
  imported: number;
  unchanged: number;
  /** Dry run: orders the store does not have yet. */
  new: number;
  /** Payloads that failed validation (quarantined, or in a dry run, counted). */
  refused: number;
  refusedSamples: Array<{ externalId?: string; path: string; message: string }>;
  /** The listing reached --until; the rest is left for a later run. */
  reachedUntil: boolean;
  interrupted: boolean;
  /** Where the progress is kept in the store, for a later run to continue. */
  cursorKey: string;
  elapsedMs: number;
}

/**
 * `conecta backfill`: imports an integration's history page by page. Each page is stored before its cursor is saved
 * under a key of its own (the integration's polling cursor is left alone), so Ctrl-C or a crash loses nothing and the
 * same command continues where the last stored page ended. `--dry-run` reads and validates, and stores nothing.
 */
export async function backfill(context: CommandContext): Promise<number> {
  const { args, say, session } = context;
  if (!args.integration) throw new UsageError(say('falta --integration ID', 'missing --integration ID'));
  if (!args.since) throw new UsageError(say('falta --since DATA', 'missing --since DATE'));
  if (args.positionals.length > 0) throw new UsageError(say(`argumento a mais: ${args.positionals.join(' ')}`, `unexpected argument: ${args.positionals.join(' ')}`));
  const sinceMs = parseDateArg(args.since, '--since', say);
  const untilMs = args.until === undefined ? undefined : parseDateArg(args.until, '--until', say, { endOfDay: true });
  if (untilMs !== undefined && untilMs <= sinceMs) throw new UsageError(say('--until precisa ser depois de --since', '--until must be after --since'));
  const since = new Date(sinceMs).toISOString();

  const conecta = await session.conecta();
  const integrationId = requireIntegration(context, args.integration);
  const { connector } = conecta.pipeline.context.resolve(integrationId);
  const cursorKey = `backfill:${integrationId}:${since}`;
  const saved = await conecta.store.getCursor(cursorKey);
  const started = Date.now();
  const report: BackfillReport = {
    integrationId,
    since,
    until: untilMs === undefined ? null : new Date(untilMs).toISOString(),
    dryRun: args.dryRun,
    resumed: saved !== null,
    pages: 0,
    orders: 0,
    imported: 0,
    unchanged: 0,
    new: 0,
    refused: 0,
    refusedSamples: [],
    reachedUntil: false,
    interrupted: false,
    cursorKey,
    elapsedMs: 0,
  };
  if (saved !== null) context.note(say('Continuando do cursor salvo pela execução anterior.\n', 'Continuing from the cursor saved by the previous run.\n'));
  const progress = context.json ? undefined : createProgress({ stream: context.io.stderr, say, fromMs: sinceMs, toMs: untilMs ?? Date.now() });
  let reachedAt: string | undefined;
  const interrupt = context.io.interrupt;

  try {
    for await (const page of connector.listOrders({ ...(saved !== null ? { cursor: saved } : { since }), signal: interrupt })) {
      const orders = untilMs === undefined ? page.orders : page.orders.filter((order) => Date.parse(order.updatedAt) < untilMs);
      // Past --until: this page is stored only up to it and its cursor is not saved, so a later run with a later
      // --until reads the rest of it again (imports are idempotent).
      const complete = orders.length === page.orders.length;
      if (args.dryRun) {
        for (const order of orders) if (!(await conecta.store.getOrder(`${integrationId}:${order.externalId}`))) report.new += 1;
      } else {
        const ingested = await conecta.pipeline.ingest(integrationId, orders, page.rejected, 'poll');
        report.imported += ingested.imported;
        report.unchanged += ingested.unchanged;
        if (complete) await conecta.store.saveCursor(cursorKey, page.cursor);
      }
      report.pages += 1;
      report.orders += orders.length;
      report.refused += page.rejected.length;
      for (const rejected of page.rejected.slice(0, Math.max(0, 5 - report.refusedSamples.length))) {
        report.refusedSamples.push({ ...(rejected.externalId ? { externalId: rejected.externalId } : {}), path: rejected.error.path, message: rejected.error.message });
      }
      for (const order of orders) if (!reachedAt || order.updatedAt > reachedAt) reachedAt = order.updatedAt;
      progress?.update({ pages: report.pages, orders: report.orders, refused: report.refused, ...(reachedAt ? { reachedAt } : {}) });
      if (!complete) {
        report.reachedUntil = true;
        break;
      }
      if (interrupt.aborted) break;
    }
  } catch (error) {
    if (!interrupt.aborted) {
      progress?.finish();
      throw error;
    }
  }
  progress?.finish();
  report.interrupted = interrupt.aborted && !report.reachedUntil;
  report.elapsedMs = Date.now() - started;

  if (context.json) context.emit(report);
  else printReport(context, report);
  if (report.interrupted) return EXIT.interrupted;
  return report.refused > 0 && args.dryRun ? EXIT.findings : EXIT.ok;
}

function printReport(context: CommandContext, report: BackfillReport): void {
  const { say } = context;
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  const lines: string[] = [];
  if (report.dryRun) {
    lines.push(
      say(
        `Simulação de ${report.integrationId}: ${report.orders} pedidos válidos (${report.new} novos para o store), ${report.refused} recusados, ${report.pages} páginas em ${seconds} s. Nada foi gravado.`,
        `Dry run of ${report.integrationId}: ${report.orders} valid orders (${report.new} new to the store), ${report.refused} refused, ${report.pages} pages in ${seconds} s. Nothing was stored.`,
      ),
    );
  } else {
    lines.push(
      say(
        `Backfill de ${report.integrationId}${report.interrupted ? ' interrompido' : ''}: ${report.orders} pedidos (${report.imported} importados ou atualizados, ${report.unchanged} sem mudança), ${report.refused} recusados e em quarentena, ${report.pages} páginas em ${seconds} s.`,
        `Backfill of ${report.integrationId}${report.interrupted ? ' interrupted' : ''}: ${report.orders} orders (${report.imported} imported or updated, ${report.unchanged} unchanged), ${report.refused} refused and quarantined, ${report.pages} pages in ${seconds} s.`,
      ),
    );
  }
  for (const sample of report.refusedSamples) lines.push(`  ${say('recusado', 'refused')} ${sample.externalId ?? '?'}: ${sample.path}: ${sample.message}`);
  if (report.refused > 0 && !report.dryRun) lines.push(say('  Veja com: conecta quarantine list', '  See them with: conecta quarantine list'));
  if (report.reachedUntil) lines.push(say('Chegou a --until; o cursor fica antes dessa página.', 'Reached --until; the cursor stays before that page.'));
  if (report.interrupted && !report.dryRun) {
    lines.push(say('O store está consistente e o cursor foi salvo após a última página gravada. Rode o mesmo comando para continuar.', 'The store is consistent and the cursor was saved after the last stored page. Run the same command to continue.'));
  }
  context.print(`${lines.join('\n')}\n`);
}
