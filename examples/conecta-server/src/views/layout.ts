import { html, type Html } from '../html.js';
import type { Notice } from '../ui/notices.js';

export function layout(options: { title: string; user?: string; csrf?: string; live?: boolean; body: Html }): Html {
  return html`<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Conecta</title>
<link rel="stylesheet" href="/recursos/painel.css">
<script src="/recursos/painel.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="/">Conecta</a>
  <span class="spacer"></span>
  ${options.user
    ? html`<span class="muted user">${options.user}</span>
  <form class="inline" method="post" action="/sair">${csrfField(options.csrf ?? '')}<button class="secondary" type="submit">Sair</button></form>`
    : ''}
</header>
<main${options.live ? html` data-live` : ''}>
${options.body}
</main>
</body>
</html>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A notice the server wrote (from its own codes); errors are red and announced as alerts. */
export function notice(value: Notice | undefined): Html | string {
  if (!value) return '';
  return html`<div class="notice ${value.kind === 'error' ? 'error' : ''}" role="${value.kind === 'error' ? 'alert' : 'status'}" data-notice="${value.code}">${value.text}${
    value.items?.length ? html`<ul>${value.items.map((item) => html`<li>${item.href ? html`<a href="${item.href}">${item.text}</a>` : item.text}</li>`)}</ul>` : ''
  }</div>`;
}
