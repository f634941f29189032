import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session {
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
 * Stateless sessions in a signed cookie (HMAC-SHA256). The cookie holds no secret: only who the user is, which
 * groups they reach, the CSRF token and the expiry, all covered by the signature.
 */
export function createSessionCodec(secret: string, ttlMs: number) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  /** Signed-out sessions (by their CSRF token, unique per session) until they would have expired anyway. */
  const revoked = new Map<string, number>();
  return {
    ttlMs,
    /** Refuses this session from now on, even if a copy of its cookie is presented again. In memory, per process. */
    revoke(session: Session, now = Date.now()): void {
      for (const [token, expiresAt] of revoked) if (expiresAt <= now) revoked.delete(token);
      revoked.set(session.csrf, session.expiresAt);
    },
    issue(user: string, groupIds: string[], now = Date.now()): { cookie: string; session: Session } {
      const session: Session = { user, groupIds, csrf: randomBytes(24).toString('base64url'), expiresAt: now + ttlMs };
      const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
      return { cookie: `${payload}.${sign(payload)}`, session };
    },
    read(cookie: string | undefined, now = Date.now()): Session | null {
      if (!cookie) return null;
      const parts = cookie.split('.');
      if (parts.length !== 2) return null;
      const [payload, signature] = parts as [string, string];
      if (!payload || !signature) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      try {
        const session = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Session;
        if (typeof session.expiresAt !== 'number' || session.expiresAt <= now || revoked.has(session.csrf)) return null;
        return session;
      } catch {
        return null;
      }
    },
  };
}

export type SessionCodec = ReturnType<typeof createSessionCodec>;

/** Constant-time comparison for the CSRF token. */
export function sameToken(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
