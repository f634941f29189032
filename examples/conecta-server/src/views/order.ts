import { orderSituation, countStates, type AllocationResult, type Company, type Movement, type OrderDetail, type OrderLine, type OrderWarning } from '@conecta/core';
import { html } from '../html.js';
import { ACTION_LABELS, MOVEMENT_LABELS, READY_TO_RETRY, SITUATION_LABELS, actor, brl, cnpj, quantity, stockReadingAge, when } from '../format.js';
import { describeFailure } from '../ui/messages.js';
import type { Notice } from '../ui/notices.js';
import { explainLine } from './explain.js';
import { csrfField, layout, notice } from './layout.js';

export function orderPage(options: {
  user: string;
  csrf: string;
  integration: { id: string; name: string; mode: string };
  detail: OrderDetail;
  companies: Company[];
  /** The store status's Portuguese name, and whether the current dictionary maps it. */
  status: { name?: string; mapped: boolean };
  preview?: AllocationResult;
  previewError?: string;
  /** On-command mode: the order is held and the free stock now covers its lines. */
  readyToRetry?: boolean;
  notice?: Notice;
}) {
  const { order, movements } = options.detail;
  const live = movements.filter((m) => m.state !== 'cancelled');
  const situation = orderSituation(order, countStates(movements));
  const companyName = (digits: string) => options.companies.find((company) => company.cnpj === digits)?.name ?? cnpj(digits);
  // Movements are created once per order: with live ones, the step is done and the lines show where they went.
  const allocatable = situation === 'without-movements';
  // A line a person mapped after the rest of the order got movements (partial policy) still waits for its own.
  const mappedWaiting =
    live.length > 0 && (order.intakeState === 'pending' || order.intakeState === 'finalized') && (order.lineMappings ?? []).some((mapping) => !live.some((m) => m.lineIndex === mapping.lineIndex));
  const canSync = live.some((m) => m.state === 'created' || m.state === 'failed');
  const canCreate = live.some((m) => m.state === 'synced');
  const base = `/pedidos/${encodeURIComponent(order.id)}`;
  const explanationFor = (lineIndex: number) => options.preview?.explanation.find((line) => line.lineIndex === lineIndex);
  const chosenFor = (lineIndex: number) => live.filter((m) => m.lineIndex === lineIndex && m.state !== 'reversed');

  return layout({
    title: `Pedido ${order.number}`,
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<p><a href="/integracoes/${options.integration.id}/pedidos">← ${options.integration.name}</a></p>
<h1>Pedido ${order.number} <span class="badge ${situation}" data-situation="${situation}">${SITUATION_LABELS[situation]}</span>${
  options.readyToRetry ? html` <span class="badge ready" data-ready-to-retry>${READY_TO_RETRY}</span>` : ''
}</h1>
${notice(options.notice)}
<p class="muted">${when(order.createdAt)} · ${order.customer.name} · total ${brl(order.totals.totalCents)}</p>
<p>Status na loja: <strong>${options.status.name ?? order.statusLabel ?? order.status}</strong>${(options.status.name ?? order.statusLabel ?? order.status) !== order.status ? html` <code>${order.status}</code>` : ''}</p>
${!options.status.mapped
  ? html`<p class="warning">O status <code>${order.status}</code> não está no dicionário desta integração${
      order.intakeState === 'unmapped' ? ': o pedido fica sem movimentação até ele ser mapeado.' : ': o pedido segue pela situação anterior até ele ser mapeado.'
    } <a href="/integracoes/${options.integration.id}/status">Mapear este status</a></p>`
  : ''}
${situation === 'cancelled' && live.some((m) => m.state === 'created' || m.state === 'synced' || m.state === 'failed')
  ? html`<p class="warning">Cancelado na loja: o estoque das movimentações abertas está sendo liberado.</p>`
  : ''}
${warningList(order)}

<h2>Itens</h2>
<form method="post" action="${base}/movimentacao" id="form-movimentacao" data-once>
${csrfField(options.csrf)}
<table class="responsive">
<thead><tr><th>#</th><th>SKU</th><th>Produto</th><th>Qtd.</th><th>Preço</th><th>Empresa</th><th>Explicação</th></tr></thead>
<tbody>
${order.lines.map((line, index) => {
  const current = chosenFor(index);
  const explanation = explanationFor(index);
  return html`<tr data-line="${index}">
  <td data-label="Linha">${index + 1}</td><td data-label="SKU" class="nowrap">${line.sku ?? unmatchedCell(index, line.unmatched)}</td><td data-label="Produto">${line.name}</td><td data-label="Quantidade" class="nowrap">${quantity(line.quantityMilli)}</td><td data-label="Preço" class="nowrap">${brl(line.unitPriceCents)}</td>
  <td data-label="Empresa">${
    allocatable
      ? html`<select name="empresa-${index}" aria-label="Empresa da linha ${index + 1}">
      <option value="">Automático (prioridade)</option>
      ${options.companies.map((company) => html`<option value="${company.cnpj}">${company.priority}. ${company.name}</option>`)}
    </select>`
      : current.map((m) => html`<div>${companyName(m.companyCnpj)} (${quantity(m.quantityMilli)})</div>`)
  }</td>
  <td data-label="Explicação" class="muted">${explanation ? explainLine(explanation, options.companies) : current.length ? 'Movimentação criada: veja abaixo.' : ''}</td>
</tr>`;
})}
</tbody>
</table>
</form>
${order.lines.map((line, index) =>
  line.unmatched ? html`<form method="post" action="${base}/mapear-linha" id="mapear-${index}" data-once>${csrfField(options.csrf)}<input type="hidden" name="linha" value="${index}"></form>` : '',
)}
${options.readyToRetry
  ? html`<p class="notice" role="status" data-ready-to-retry>${READY_TO_RETRY}: o estoque livre agora cobre todos os itens deste pedido. <button type="submit" form="form-movimentacao">Tentar de novo</button></p>`
  : ''}
${options.previewError ? html`<div class="notice error" role="alert">Não foi possível consultar o estoque no Mainô: ${options.previewError}</div>` : ''}

<h2>Etapas</h2>
<div class="steps">
  <section class="step" data-step="1">
    <h3>1. Criar movimentação</h3>
    <p class="muted">Escolhe a empresa de cada item pela prioridade (ou pela sua escolha acima) e reserva o estoque.</p>
    <button type="submit" form="form-movimentacao" ${allocatable || mappedWaiting ? '' : 'disabled'}>Criar movimentação</button>
  </section>
  <section class="step" data-step="2">
    <h3>2. Sincronizar</h3>
    <p class="muted">Confere no Mainô se o produto existe em cada empresa e se a quantidade está disponível.</p>
    <form method="post" action="${base}/sincronizar" data-once>${csrfField(options.csrf)}<button type="submit" ${canSync && situation !== 'cancelled' ? '' : 'disabled'}>Sincronizar</button></form>
  </section>
  <section class="step" data-step="3">
    <h3>3. Criar pedido no Mainô</h3>
    <p class="muted">Cria um pedido de venda por empresa, com a tag "${options.integration.name}".</p>
    <form method="post" action="${base}/pedido-maino" data-once>${csrfField(options.csrf)}<button type="submit" ${canCreate && situation !== 'cancelled' ? '' : 'disabled'}>Criar pedido no Mainô</button></form>
  </section>
</div>

<h2>Movimentações</h2>
${movements.length === 0 ? html`<p class="muted">Nenhuma movimentação.</p>` : movementTable(movements, companyName, options.companies)}
${live.some((m) => m.state === 'failed') && situation !== 'cancelled'
  ? html`<form method="post" action="${base}/reprocessar" data-once>${csrfField(options.csrf)}<p><button class="secondary" type="submit">Tentar de novo as que falharam</button></p></form>`
  : ''}`,
  });
}

const UNMATCHED_REASONS: Record<string, string> = {
  'sku-missing': 'a loja não informou o SKU deste item',
  'sku-not-found': 'o produto da loja não tem SKU cadastrado',
};

/** A line without SKU: why, in Portuguese, and a field to map it (its form sits outside the table's form). */
function unmatchedCell(index: number, unmatched: OrderLine['unmatched']) {
  const reason = UNMATCHED_REASONS[unmatched?.reason ?? 'sku-missing'] ?? unmatched?.reason;
  return html`<span class="badge failed">sem SKU</span><div class="muted" data-unmatched="${unmatched?.reason ?? ''}">${reason}${unmatched?.detail ? ` (${unmatched.detail})` : ''}</div>
<input form="mapear-${index}" name="sku" required placeholder="SKU no Mainô" aria-label="SKU do item ${index + 1}"> <button form="mapear-${index}" type="submit" class="secondary">Ligar ao SKU</button>`;
}

/** The order's warnings, in Portuguese, from their structured fields (their own messages are English). */
function warningList(order: OrderDetail['order']) {
  if (order.warnings.length === 0 && !order.lineMappings?.length) return '';
  const text = (warning: OrderWarning): string => {
    switch (warning.code) {
      case 'totals-mismatch':
        return `Os valores não fecham: a loja informa total de ${brl(warning.expectedCents)}, mas itens + frete + taxas + impostos − descontos dá ${brl(warning.computedCents)}.`;
      case 'line-unmatched':
        return `O item ${warning.lineIndex + 1} não tem SKU e fica sem movimentação até alguém informar o SKU.`;
      case 'field-ignored':
        return `Campo da loja não usado (${warning.field}): ${warning.message}.`;
    }
  };
  return html`<section class="warnings" aria-label="Avisos">
<h2>Avisos</h2>
<ul>${order.warnings.map((warning) => html`<li data-warning="${warning.code}">${text(warning)}</li>`)}${(order.lineMappings ?? []).map(
    (mapping) => html`<li data-mapping="${mapping.lineIndex}">Item ${mapping.lineIndex + 1} ligado ao SKU ${mapping.sku} por ${mapping.actor} em ${when(mapping.at)}.</li>`,
  )}</ul>
</section>`;
}

function movementTable(movements: Movement[], companyName: (cnpj: string) => string, companies: readonly Company[]) {
  return html`<table class="responsive">
<thead><tr><th>Item</th><th>SKU</th><th>Empresa</th><th>Qtd.</th><th>Situação</th><th>Pedido Mainô</th><th>Histórico</th></tr></thead>
<tbody>
${movements.map(
  (m) => html`<tr data-movement="${m.id}" data-state="${m.state}">
  <td data-label="Linha">${m.lineIndex + 1}</td><td data-label="SKU" class="nowrap">${m.sku}</td><td data-label="Empresa">${companyName(m.companyCnpj)}</td><td data-label="Quantidade" class="nowrap">${quantity(m.quantityMilli)}</td>
  <td data-label="Situação"><span class="badge ${m.state}">${MOVEMENT_LABELS[m.state] ?? m.state}</span>${m.failure ? html`<div class="muted" data-failure>${describeFailure(m.failure, m, companies)}</div>` : ''}</td>
  <td data-label="Pedido Mainô">${m.erpOrderId ?? '—'}</td>
  <td data-label="Histórico" class="muted">${m.audit.map((entry) => html`<div>${when(entry.at)} · ${actor(entry.actor)} · ${ACTION_LABELS[entry.action] ?? entry.action}${entry.to ? ` → ${MOVEMENT_LABELS[entry.to] ?? entry.to}` : ''}${stockReadingAge(entry.detail) ? ` · ${stockReadingAge(entry.detail)}` : ''}</div>`)}</td>
</tr>`,
)}
</tbody>
</table>`;
}
