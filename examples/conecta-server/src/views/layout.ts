import { html, raw, type Html } from '../html.js';

const STYLE = `
:root { --fg:#1d2433; --muted:#5b6478; --line:#dfe3ea; --bg:#f6f7f9; --accent:#0b6bcb; --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:10px 24px; display:flex; gap:16px; align-items:center; }
header .brand { font-weight:700; color:var(--accent); text-decoration:none; }
header .spacer { flex:1; }
main { max-width:1180px; margin:0 auto; padding:20px 24px 48px; }
h1 { font-size:22px; margin:4px 0 16px; } h2 { font-size:17px; margin:24px 0 10px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(270px,1fr)); gap:14px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 16px; }
.card h3 { margin:0 0 8px; font-size:16px; } .card .platform { color:var(--muted); font-size:13px; }
.stats { list-style:none; padding:0; margin:8px 0 0; } .stats li { display:flex; justify-content:space-between; padding:3px 0; border-bottom:1px dashed var(--line); }
.stats a { color:inherit; text-decoration:none; } .stats a:hover { color:var(--accent); }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; } th { font-size:13px; color:var(--muted); font-weight:600; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; background:#eef1f5; }
.badge.done, .badge.synced { background:#dafbe1; color:var(--ok); } .badge.failed, .badge.unmapped { background:#ffebe9; color:var(--bad); }
.badge.created { background:#ddf4ff; color:var(--accent); } .badge.cancelled, .badge.reversed { background:#fff8c5; color:var(--warn); }
.filters a { margin-right:10px; } .filters a.active { font-weight:700; text-decoration:none; color:var(--fg); }
.steps { display:grid; grid-template-columns:repeat(3,1fr); gap:14px; }
.step { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px; } .step h3 { margin:0 0 8px; font-size:15px; }
button { font:inherit; padding:6px 14px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); } button:disabled { opacity:.45; cursor:not-allowed; }
select, input { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:6px; }
.notice { padding:10px 14px; border-radius:6px; background:#ddf4ff; margin-bottom:14px; } .notice.error { background:#ffebe9; }
.muted { color:var(--muted); } .pager { margin-top:10px; display:flex; gap:12px; }
form.inline { display:inline; } .nowrap { white-space:nowrap; }
.login { max-width:380px; margin:60px auto; background:#fff; border:1px solid var(--line); border-radius:8px; padding:24px; }
.login label { display:block; margin:10px 0 4px; } .login input { width:100%; }
`;

/** Live updates: the server's event stream says something changed; the page reloads its main content, at most once a second. */
const LIVE_SCRIPT = `
(() => {
  const main = document.querySelector('main[data-live]');
  if (!main || !window.EventSource) return;
  let timer = null;
  const refresh = async () => {
    timer = null;
    const response = await fetch(location.href, { headers: { 'x-partial': '1' } });
    if (!response.ok) return;
    const text = await response.text();
    const doc = new DOMParser().parseFromString(text, 'text/html');
    const next = doc.querySelector('main');
    if (next && !document.activeElement?.closest('form')) main.innerHTML = next.innerHTML;
  };
  const source = new EventSource('/eventos');
  source.onmessage = () => { if (!timer) timer = setTimeout(refresh, 1000); };
})();
`;

export function layout(options: { title: string; user?: string; csrf?: string; live?: boolean; body: Html }): Html {
  return html`<!doctype html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Conecta</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<header>
  <a class="brand" href="/">Conecta</a>
  <span class="spacer"></span>
  ${options.user ? html`<span class="muted">${options.user}</span>
  <form class="inline" method="post" action="/sair"><input type="hidden" name="_csrf" value="${options.csrf ?? ''}"><button class="secondary" type="submit">Sair</button></form>` : ''}
</header>
<main${options.live ? html` data-live` : ''}>
${options.body}
</main>
${options.live ? html`<script>${raw(LIVE_SCRIPT)}</script>` : ''}
</body>
</html>`;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function notice(message: string | undefined, kind: 'info' | 'error' = 'info'): Html | string {
  return message ? html`<div class="notice ${kind === 'error' ? 'error' : ''}" role="status">${message}</div>` : '';
}
