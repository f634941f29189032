import { html } from '../html.js';
import { ACTION_NAMES } from '../commands.js';
import { left, type BulkRun } from '../bulk.js';
import { actor, plural, when } from '../format.js';
import { layout } from './layout.js';

/** A bulk run: live counts while it runs, then a summary that links to each failure. */
export function bulkPage(options: { user: string; csrf: string; integration: { id: string; name: string }; run: BulkRun; startedNow: boolean }) {
  const { run } = options;
  const finished = run.finishedAt !== undefined;
  const processed = run.done + run.failed + run.skipped;
  return layout({
    title: `${ACTION_NAMES[run.action]} em lote`,
    user: options.user,
    csrf: options.csrf,
    body: html`<p><a href="/integracoes/${options.integration.id}/pedidos">← ${options.integration.name}</a></p>
<h1>${ACTION_NAMES[run.action]} em lote</h1>
${!options.startedNow && !finished ? html`<p class="notice" role="status">Esta ação em lote já estava em andamento: nada foi iniciado de novo.</p>` : ''}
<section class="progress" ${finished ? '' : html`data-bulk="/api/lotes/${run.id}"`} data-run="${run.id}" data-finished="${finished ? '1' : '0'}">
  <p class="muted">Iniciada por ${actor(run.actor)} em ${when(run.startedAt)} · ${plural(run.total, 'pedido selecionado', 'pedidos selecionados')}</p>
  <progress max="${Math.max(1, run.total)}" value="${processed}" aria-label="Progresso">${processed} de ${run.total}</progress>
  <div class="counts">
    <div>Concluídos<strong data-count="done">${run.done}</strong></div>
    <div>Com falha<strong data-count="failed">${run.failed}</strong></div>
    <div>Não se aplicavam<strong data-count="skipped">${run.skipped}</strong></div>
    <div>Restantes<strong data-count="left">${left(run)}</strong></div>
  </div>
  ${finished
    ? html`<h2>Resumo</h2>
  <p data-summary>${plural(run.done, 'pedido concluído', 'pedidos concluídos')}, ${plural(run.failed, 'com falha', 'com falha')}${run.skipped ? `, ${plural(run.skipped, 'não se aplicava', 'não se aplicavam')} (já tinham passado desta etapa ou não estavam prontos para ela)` : ''}.</p>
  ${run.failures.length
    ? html`<ul data-failures>${run.failures.map((failure) => html`<li><a href="/pedidos/${encodeURIComponent(failure.orderId)}">Pedido ${failure.number}</a>: ${failure.message}</li>`)}</ul>`
    : ''}`
    : html`<noscript><p>Recarregue a página para ver o andamento.</p></noscript>`}
</section>`,
  });
}
