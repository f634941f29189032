import { randomBytes } from 'node:crypto';

/**
 * `opaque`: 43 characters of base64url, like the working token seen in real code (not a JWT, no expiry inside).
 * `jwt`: a JWT-shaped token with a real `exp`, as the older notes described; the signature is random.
 */
export type TokenFormat = 'opaque' | 'jwt';

export function issueToken(cnpj: string, ttlSeconds: number, format: TokenFormat = 'opaque', now: number = Date.now()): { token: string; expiresAt: number } {
  const expiresAt = now + ttlSeconds * 1000;
  if (format === 'opaque') return { token: randomBytes(32).toString('base64url'), expiresAt };
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = [
    encode({ alg: 'HS256', typ: 'JWT' }),
    encode({ sub: cnpj, exp: Math.floor(expiresAt / 1000), jti: randomBytes(6).toString('hex') }),
    randomBytes(24).toString('base64url'),
  ].join('.');
  return { token, expiresAt };
}
