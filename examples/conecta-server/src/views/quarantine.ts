import { redactValue, type QuarantinedRecord } from '@conecta/core';
import { html } from '../html.js';
import { plural, when } from '../format.js';
import { describeQuarantine } from '../ui/messages.js';
import type { Notice } from '../ui/notices.js';
import { csrfField, layout, notice } from './layout.js';

/** Keys whose values identify a buyer's session or grant access, hidden besides the SDK's own secret keys. */
const SENSITIVE_KEY = /(^|_)sess(ion)?(_?id)?$|token|secret|signature|password|senha|chave|hash$/i;

function hideSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideSecrets);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, SENSITIVE_KEY.test(key) && item !== '' && item !== null ? '[oculto]' : hideSecrets(item)]));
}

/** Payloads the connector could not turn into an order: why, the payload as received (secrets redacted), and a retry. */
export function quarantinePage(options: { user: string; csrf: string; integration: { id: string; name: string }; records: QuarantinedRecord[]; total: number; notice?: Notice }) {
  return layout({
    title: `Quarentena · ${options.integration.name}`,
    user: options.user,
    csrf: options.csrf,
    live: true,
    body: html`<p><a href="/integracoes/${options.integration.id}/pedidos">← ${options.integration.name}</a></p>
<h1>${options.integration.name}: em quarentena</h1>
${notice(options.notice)}
<p class="muted">Pedidos que chegaram da loja num formato que o conector não aceitou. Nada foi perdido: o conteúdo recebido fica guardado aqui. Corrija o pedido na loja (ou atualize o conector) e use <strong>Reprocessar</strong>: o pedido é buscado de novo na loja e importado.</p>
<p class="muted">${plural(options.total, 'registro', 'registros')}</p>
${options.records.length === 0
  ? html`<p class="empty">Nenhum pedido em quarentena.</p>`
  : options.records.map(
      (record) => html`<section class="record" data-quarantine="${record.id}">
  <h2>Pedido ${record.externalId ?? html`<span class="muted">sem número</span>`}</h2>
  <p><strong>Motivo:</strong> ${describeQuarantine(record)}</p>
  <p class="muted">Recebido em ${when(record.at)} por ${record.source === 'webhook' ? 'notificação (webhook)' : 'consulta periódica'} · campo <code>${record.path || '—'}</code></p>
  <details><summary>Conteúdo recebido (dados sensíveis ocultos)</summary><pre class="payload">${JSON.stringify(hideSecrets(redactValue(record.raw)), null, 2)}</pre></details>
  ${record.externalId
    ? html`<form method="post" action="/integracoes/${options.integration.id}/quarentena/${record.id}/reprocessar" data-once>${csrfField(options.csrf)}<p><button type="submit">Reprocessar</button></p></form>`
    : html`<p class="muted">Sem o número do pedido não é possível buscá-lo de novo na loja.</p>`}
</section>`,
    )}`,
  });
}
