import { randomBytes } from 'node:crypto';

/** A JWT-shaped token with a real `exp`, so the client's expiry handling is exercised; the signature is random. */
export function issueToken(cnpj: string, ttlSeconds: number, now: number = Date.now()): { token: string; expiresAt: number } {
  const expiresAt = now + ttlSeconds * 1000;
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = [
    encode({ alg: 'HS256', typ: 'JWT' }),
    encode({ sub: cnpj, exp: Math.floor(expiresAt / 1000), jti: randomBytes(6).toString('hex') }),
    randomBytes(24).toString('base64url'),
  ].join('.');
  return { token, expiresAt };
}
