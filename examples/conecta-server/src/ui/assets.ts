/**
 * The dashboard's stylesheet and script, served as files from /recursos/ so the Content-Security-Policy can forbid
 * every inline script and style ('self' only).
 */
export const STYLESHEET = `
:root { --fg:#1d2433; --muted:#5b6478; --line:#dfe3ea; --bg:#f6f7f9; --accent:#0b6bcb; --ok:#1a7f37; --warn:#9a6700; --bad:#cf222e; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#fff; border-bottom:1px solid var(--line); padding:10px 24px; display:flex; gap:16px; align-items:center; flex-wrap:wrap; }
header .brand { font-weight:700; color:var(--accent); text-decoration:none; }
header .spacer { flex:1; }
header .user { overflow-wrap:anywhere; }
main { max-width:1180px; margin:0 auto; padding:20px 24px 48px; }
h1 { font-size:22px; margin:4px 0 16px; overflow-wrap:anywhere; } h2 { font-size:17px; margin:24px 0 10px; }
.cards { display:grid; grid-template-columns:repeat(auto-fill,minmax(270px,1fr)); gap:14px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 16px; }
.card h3 { margin:0 0 8px; font-size:16px; } .card .platform { color:var(--muted); font-size:13px; }
.stats { list-style:none; padding:0; margin:8px 0 0; } .stats li { display:flex; justify-content:space-between; padding:3px 0; border-bottom:1px dashed var(--line); }
.stats li.total { font-weight:600; } .stats li.extra { border-bottom:0; margin-top:6px; }
.stats a { color:inherit; text-decoration:none; } .stats a:hover { color:var(--accent); }
table { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:8px; }
th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; } th { font-size:13px; color:var(--muted); font-weight:600; }
td { overflow-wrap:anywhere; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; background:#eef1f5; white-space:nowrap; }
.badge.done, .badge.synced, .badge.ready { background:#dafbe1; color:var(--ok); }
.badge.failed, .badge.unmapped { background:#ffebe9; color:var(--bad); }
.badge.created, .badge.pending-sync { background:#ddf4ff; color:var(--accent); }
.badge.cancelled, .badge.reversed { background:#fff8c5; color:var(--warn); }
.filters { display:flex; flex-wrap:wrap; gap:6px 14px; } .filters a.active { font-weight:700; text-decoration:none; color:var(--fg); }
.steps { display:grid; grid-template-columns:repeat(auto-fit,minmax(220px,1fr)); gap:14px; }
.step { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px; } .step h3 { margin:0 0 8px; font-size:15px; }
button { font:inherit; padding:6px 14px; border-radius:6px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); } button:disabled { opacity:.45; cursor:not-allowed; }
select, input { font:inherit; padding:5px 8px; border:1px solid var(--line); border-radius:6px; max-width:100%; }
input[type=checkbox] { width:18px; height:18px; }
.notice { padding:10px 14px; border-radius:6px; background:#ddf4ff; margin-bottom:14px; overflow-wrap:anywhere; }
.notice.error { background:#ffebe9; } .notice ul { margin:6px 0 0; padding-left:20px; }
.warning { padding:8px 12px; border-radius:6px; background:#fff8c5; margin:8px 0; }
.muted { color:var(--muted); } .pager { margin-top:10px; display:flex; gap:12px; flex-wrap:wrap; }
form.inline { display:inline; } .nowrap { white-space:nowrap; }
.toolbar { display:flex; flex-wrap:wrap; gap:8px 12px; align-items:center; background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; margin:12px 0; }
.toolbar label { display:flex; gap:6px; align-items:center; }
.empty { background:#fff; border:1px dashed var(--line); border-radius:8px; padding:24px; text-align:center; color:var(--muted); }
.progress { background:#fff; border:1px solid var(--line); border-radius:8px; padding:16px; }
.progress progress { width:100%; height:14px; }
.counts { display:flex; flex-wrap:wrap; gap:8px 24px; margin:10px 0; } .counts strong { font-size:20px; display:block; }
pre.payload { background:#fff; border:1px solid var(--line); border-radius:6px; padding:10px; overflow:auto; max-height:320px; font-size:12px; white-space:pre-wrap; overflow-wrap:anywhere; }
.record { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px; margin-bottom:12px; } .record h2 { margin-top:0; }
.login { max-width:380px; margin:60px auto; background:#fff; border:1px solid var(--line); border-radius:8px; padding:24px; }
.login label { display:block; margin:10px 0 4px; } .login input { width:100%; }
@media (max-width: 700px) {
  header { padding:10px 14px; } main { padding:14px 12px 40px; }
  /* Tables become one card per row, each cell labelled: nothing scrolls sideways on a phone. */
  table.responsive, table.responsive tbody, table.responsive tr, table.responsive td { display:block; width:100%; }
  table.responsive thead { display:none; }
  table.responsive { border:0; background:transparent; }
  table.responsive tr { background:#fff; border:1px solid var(--line); border-radius:8px; margin-bottom:10px; padding:4px 0; }
  table.responsive td { border:0; padding:3px 12px; }
  table.responsive td[data-label] { display:grid; grid-template-columns:7.5em minmax(0,1fr); gap:8px; }
  table.responsive td[data-label]::before { content:attr(data-label); font-size:13px; color:var(--muted); }
  table.responsive td[data-label] > * { justify-self:start; }
  .steps { grid-template-columns:1fr; }
}
`;

export const SCRIPT = `
(() => {
  // One click starts one action: a form's buttons are disabled as soon as it is submitted.
  for (const form of document.querySelectorAll('form[data-once]')) {
    form.addEventListener('submit', () => {
      setTimeout(() => { for (const button of form.querySelectorAll('button')) button.disabled = true; }, 0);
    });
  }

  // Bulk selection on the order listing.
  const selectAll = document.querySelector('[data-select-all]');
  const rows = () => [...document.querySelectorAll('input[name="pedido"]')];
  const everything = document.querySelector('input[name="todos"]');
  const count = document.querySelector('[data-selected-count]');
  const refreshCount = () => {
    if (!count) return;
    const chosen = everything && everything.checked ? 'todos os pendentes' : String(rows().filter((box) => box.checked).length);
    count.textContent = chosen;
  };
  if (selectAll) selectAll.addEventListener('change', () => { for (const box of rows()) box.checked = selectAll.checked; refreshCount(); });
  if (everything) everything.addEventListener('change', () => { for (const box of rows()) box.disabled = everything.checked; if (selectAll) selectAll.disabled = everything.checked; refreshCount(); });
  for (const box of rows()) box.addEventListener('change', refreshCount);

  // A bulk run's progress, read until it ends; the finished page (with its summary) is then loaded.
  const progress = document.querySelector('[data-bulk]');
  if (progress) {
    const url = progress.getAttribute('data-bulk');
    const tick = async () => {
      const response = await fetch(url, { headers: { accept: 'application/json' } });
      if (!response.ok) return;
      const run = await response.json();
      for (const key of ['done', 'failed', 'skipped', 'left']) {
        const cell = progress.querySelector('[data-count="' + key + '"]');
        if (cell) cell.textContent = String(run[key]);
      }
      const bar = progress.querySelector('progress');
      if (bar) { bar.max = run.total || 1; bar.value = run.done + run.failed + run.skipped; }
      if (run.finished) location.reload();
      else setTimeout(tick, 400);
    };
    setTimeout(tick, 200);
  }

  // Live pages: the server's event stream says something changed; the main content is reloaded, at most once a
  // second, unless the person is filling a form, has selected orders or opened a payload.
  const main = document.querySelector('main[data-live]');
  if (main && window.EventSource) {
    let timer = null;
    const busy = () => document.activeElement?.closest('form') || main.querySelector('input[type=checkbox]:checked, details[open]');
    const refresh = async () => {
      timer = null;
      if (busy()) return;
      const response = await fetch(location.href);
      if (!response.ok || response.redirected) return;
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const next = doc.querySelector('main');
      if (next && !busy()) main.innerHTML = next.innerHTML;
    };
    const source = new EventSource('/eventos');
    source.onmessage = () => { if (!timer) timer = setTimeout(refresh, 1000); };
  }
})();
`;
