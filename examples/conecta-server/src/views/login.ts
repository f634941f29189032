import { html } from '../html.js';
import { layout } from './layout.js';

export function loginPage(options: { error?: string; email?: string; next?: string }) {
  return layout({
    title: 'Entrar',
    body: html`<div class="login">
  <h1>Entrar no Conecta</h1>
  <p class="muted">Use o mesmo e-mail e senha do Mainô.</p>
  ${options.error ? html`<div class="notice error" role="alert">${options.error}</div>` : ''}
  <form method="post" action="/entrar">
    <input type="hidden" name="next" value="${options.next ?? '/'}">
    <label for="email">E-mail</label>
    <input id="email" name="email" type="email" autocomplete="username" required value="${options.email ?? ''}">
    <label for="password">Senha</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <p><button type="submit">Entrar</button></p>
  </form>
</div>`,
  });
}
