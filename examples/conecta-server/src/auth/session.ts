import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { Store } from '@conecta/core';

export const SESSION_COOKIE = 'conecta_session';

export interface Session {
  /** Random id: what a sign-out revokes. */
  id: string;
  /** The e-mail the user signed in with. */
  user: string;
  /** Groups (tenants) this user may see and act on. */
  groupIds: string[];
  /** Per-session CSRF token, sent back in every form. */
  csrf: string;
  /** Epoch ms. */
  expiresAt: number;
}

/**
 * Sessions in a cookie signed with HMAC-SHA256 (hono's signed cookies). The cookie holds no secret: who the user is,
 * which groups they reach, the CSRF token and the expiry, all under the signature. A sign-out is recorded in the store
 * (every worker reads it, and it outlives a restart); a store that cannot keep them falls back to this process.
 */
export function createSessions(options: { secret: string; ttlMs: number; store: Store; secureCookies: boolean }) {
  const { secret, ttlMs, store } = options;
  const local = new Map<string, number>();
  const revoked = async (session: Session, now: number) => {
    if (store.isSessionRevoked) return store.isSessionRevoked(session.id, new Date(now).toISOString());
    return (local.get(session.id) ?? 0) > now;
  };
  return {
    ttlMs,
    async issue(c: Context, user: string, groupIds: string[], now = Date.now()): Promise<Session> {
      const session: Session = { id: token(), user, groupIds, csrf: token(), expiresAt: now + ttlMs };
      await setSignedCookie(c, SESSION_COOKIE, encode(session), secret, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: options.secureCookies,
        path: '/',
        maxAge: Math.floor(ttlMs / 1000),
      });
      return session;
    },
    async read(c: Context, now = Date.now()): Promise<Session | null> {
      const value = await getSignedCookie(c, secret, SESSION_COOKIE);
      if (!value) return null;
      const session = decode(value);
      if (!session || session.expiresAt <= now || (await revoked(session, now))) return null;
      return session;
    },
    /** Refuses this session from now on, on every worker, even if a copy of its cookie is presented again. */
    async revoke(c: Context, session: Session): Promise<void> {
      if (store.revokeSession) await store.revokeSession(session.id, new Date(session.expiresAt).toISOString());
      else {
        for (const [id, until] of local) if (until <= Date.now()) local.delete(id);
        local.set(session.id, session.expiresAt);
      }
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: options.secureCookies });
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;

const token = () => randomBytes(24).toString('base64url');

export function encode(session: Session): string {
  return Buffer.from(JSON.stringify(session)).toString('base64url');
}

function decode(value: string): Session | null {
  try {
    const session = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Session>;
    if (typeof session.id !== 'string' || typeof session.user !== 'string' || typeof session.csrf !== 'string') return null;
    if (typeof session.expiresAt !== 'number' || !Array.isArray(session.groupIds)) return null;
    return session as Session;
  } catch {
    return null;
  }
}

/** Constant-time comparison for the CSRF token. */
export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
