import { randomBytes } from 'node:crypto';
import { generateSignedCookie } from 'hono/cookie';
import { createApp, type AppOptions } from '../src/app.js';
import { SESSION_COOKIE, encode } from '../src/auth/session.js';
import { composeConecta, type Conecta } from '@conecta/cli/deployment';
import { startDemo, type Demo } from '@conecta/cli/demo';

export type App = ReturnType<typeof createApp>;

export interface Harness {
  demo: Demo;
  conecta: Conecta;
  close(): Promise<void>;
}

/** The demo's fakes and a Conecta over an in-memory store; the runner is not started, tests drive the pipeline. */
export async function startHarness(options: { ordersPerStore?: number; stockFreshnessMs?: number } = {}): Promise<Harness> {
  const demo = await startDemo({ ordersPerStore: options.ordersPerStore ?? 3, storePath: ':memory:', quarantineExample: false });
  const config = options.stockFreshnessMs === undefined ? demo.config : { ...demo.config, stockFreshnessMs: options.stockFreshnessMs };
  const conecta = await composeConecta(config, { ...demo.env }, { demo: true });
  return {
    demo,
    conecta,
    async close() {
      await conecta.close();
      await demo.close();
    },
  };
}

export function buildApp(harness: Harness, options: AppOptions = {}): App {
  return createApp(harness.conecta, { secureCookies: false, ...options });
}

/** The address the app sees (Hono's node adapter puts the socket in c.env.incoming). */
export const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

/** The origin `app.request` answers on: a browser posting our own pages' forms sends it. */
export const ORIGIN = 'http://localhost';

/** A form post as a browser sends it from one of our pages (repeated fields as arrays). */
export function form(fields: Record<string, string | string[]>, origin: string | null = ORIGIN): RequestInit {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
  return { method: 'POST', body: body.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) } };
}

export function withCookie(cookie: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string> | undefined), cookie: `conecta_session=${cookie}` } };
}

/** The session cookie's value from a Set-Cookie header, or undefined. */
export function sessionCookie(response: Response): string | undefined {
  const header = response.headers.get('set-cookie') ?? '';
  return /conecta_session=([^;]*)/.exec(header)?.[1];
}

export async function signIn(app: App, email: string, password: string, address = '127.0.0.1'): Promise<{ cookie: string; csrf: string }> {
  const response = await app.request('/entrar', form({ email, password, next: '/' }), from(address));
  if (response.status !== 303) throw new Error(`sign-in as ${email} answered ${response.status}: ${await response.text()}`);
  const cookie = sessionCookie(response);
  if (!cookie) throw new Error('sign-in set no session cookie');
  const page = await (await app.request('/', withCookie(cookie))).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrf) throw new Error('no CSRF token on the dashboard');
  return { cookie, csrf };
}

/** A session cookie value signed with `secret`, as a forger who knew (or guessed) it would make one. */
export async function signedSession(secret: string, fields: { user: string; groupIds: string[]; expiresAt: number }): Promise<string> {
  const session = { id: randomBytes(8).toString('hex'), csrf: randomBytes(8).toString('hex'), ...fields };
  const header = await generateSignedCookie(SESSION_COOKIE, encode(session), secret);
  return /^[^=]+=([^;]*)/.exec(header)![1]!;
}
