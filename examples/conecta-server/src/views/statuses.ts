import type { StatusDictionary } from '@conecta/core';
import { html } from '../html.js';
import { INTAKE_DESCRIPTIONS, INTAKE_LABELS, actor, plural, statusName, when } from '../format.js';
import type { Notice } from '../ui/notices.js';
import { csrfField, layout, notice } from './layout.js';

const STATES = ['pending', 'finalized', 'cancelled', 'ignored'] as const;

export function statusPage(options: {
  user: string;
  csrf: string;
  integration: { id: string; name: string; platform: string };
  dictionary: StatusDictionary;
  platformStatuses: Array<{ code: string; label: string }>;
  seen: Array<{ status: string; count: number; state: string; unmapped: boolean }>;
  notice?: Notice;
  lastEdit?: { updatedBy: string; updatedAt: string };
}) {
  const codes = new Map<string, string | undefined>();
  for (const status of options.platformStatuses) codes.set(status.code, status.label);
  for (const [code, mapping] of Object.entries(options.dictionary.entries)) if (!codes.has(code) || !codes.get(code)) codes.set(code, mapping.label);
  for (const seen of options.seen) if (!codes.has(seen.status)) codes.set(seen.status, undefined);
  const seenCount = new Map(options.seen.map((entry) => [entry.status, entry.count]));
  const unmapped = options.seen.filter((entry) => entry.unmapped);
  return layout({
    title: `Status · ${options.integration.name}`,
    user: options.user,
    csrf: options.csrf,
    body: html`<p><a href="/">← Integrações</a></p>
<h1>Dicionário de status: ${options.integration.name}</h1>
${notice(options.notice)}
${options.lastEdit ? html`<p class="muted">Última edição por ${actor(options.lastEdit.updatedBy)} em ${when(options.lastEdit.updatedAt)}.</p>` : ''}
${unmapped.length
  ? html`<div class="notice error" role="alert">Status sem mapeamento recebidos: ${unmapped.map((entry, index) => html`${index ? ', ' : ''}<strong>${statusName(options.integration.platform, entry.status) ?? entry.status}</strong> <code>${entry.status}</code> (${plural(entry.count, 'pedido', 'pedidos')})`)}. Esses pedidos ficam visíveis, sem movimentação, até serem mapeados.</div>`
  : ''}
<p class="muted">${Object.values(INTAKE_DESCRIPTIONS).join(' · ')}</p>
<form method="post" action="/integracoes/${options.integration.id}/status" data-once>
${csrfField(options.csrf)}
<table class="responsive">
<thead><tr><th>Status na loja</th><th>Código</th><th>Pedidos</th><th>O que fazer</th></tr></thead>
<tbody>
${[...codes].map(([code, label]) => {
  const current = options.dictionary.entries[code]?.state;
  const name = statusName(options.integration.platform, code, label);
  return html`<tr data-status="${code}">
  <td data-label="Status na loja">${name ?? html`<span class="muted">sem descrição da loja</span>`}</td><td data-label="Código"><code>${code}</code></td><td data-label="Pedidos">${seenCount.get(code) ?? 0}</td>
  <td data-label="O que fazer"><select name="status:${code}" aria-label="O que fazer com ${name ?? code}">
    <option value="" ${current ? '' : 'selected'}>— não mapeado —</option>
    ${STATES.map((state) => html`<option value="${state}" ${current === state ? 'selected' : ''}>${INTAKE_LABELS[state]}</option>`)}
  </select></td>
</tr>`;
})}
</tbody>
</table>
<p><button type="submit">Salvar dicionário</button></p>
</form>`,
  });
}
