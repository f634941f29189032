import { html } from '../html.js';
import { layout, notice } from './layout.js';

export function loginPage(options: { error?: string; email?: string; next?: string }) {
  return layout({
    title: 'Entrar',
    body: html`<div class="login">
  <h1>Entrar no Conecta</h1>
  <p class="muted">Use o mesmo e-mail e senha do Mainô.</p>
  ${notice(options.error, 'error')}
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
