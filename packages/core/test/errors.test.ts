import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  AuthError,
  ConectaError,
  ConfigurationError,
  RateLimitError,
  UpstreamError,
  ValidationError,
  fromZodError,
  parseWith,
  redactHeaders,
  redactText,
  redactUrl,
  redactValue,
  registerSecret,
  toConectaError,
} from '../src/index.js';

describe('typed errors', () => {
  it('carry a stable code, the retry flag and a cause', () => {
    const cause = new Error('socket hang up');
    const error = new UpstreamError('tray: GET /orders failed', { status: 502, cause });
    expect(error.code).toBe('UPSTREAM');
    expect(error.retryable).toBe(true);
    expect((error.cause as Error).message).toBe('socket hang up');
    expect(new AuthError('nope').retryable).toBe(false);
    const limited = new RateLimitError('slow down', { retryAfterMs: 2500 });
    expect([limited.code, limited.retryable, limited.retryAfterMs]).toEqual(['RATE_LIMITED', true, 2500]);
    expect(ConectaError.isConectaError(limited)).toBe(true);
    expect(ConectaError.isConectaError(new Error('x'))).toBe(false);
  });

  it('name the field path of a validation failure', () => {
    const schema = z.object({ lines: z.array(z.object({ quantity: z.number().positive() })) });
    const error = (() => {
      try {
        parseWith(schema, { lines: [{ quantity: 1 }, { quantity: -2 }] }, 'order 42');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('lines.1.quantity');
    expect((error as ValidationError).message).toMatch(/^order 42: invalid field lines\.1\.quantity/);
    expect(fromZodError(schema.safeParse({}).error!).path).toBe('lines');
  });

  it('wrap unknown throws', () => {
    expect(toConectaError('boom').code).toBe('UPSTREAM');
    const typed = new AuthError('x');
    expect(toConectaError(typed)).toBe(typed);
  });
});

describe('redaction', () => {
  const token = 'tok_live_9f8e7d6c5b4a';

  it('removes a token from a URL query, headers and bodies', () => {
    expect(redactUrl(`https://loja.test/web_api/orders?access_token=${token}&page=2`)).toBe(
      'https://loja.test/web_api/orders?access_token=[REDACTED]&page=2',
    );
    expect(redactHeaders({ Authorization: `Bearer ${token}`, 'x-api-key': token, accept: 'json' })).toEqual({
      Authorization: '[REDACTED]',
      'x-api-key': '[REDACTED]',
      accept: 'json',
    });
    expect(redactText(`{"consumer_secret":"${token}","id":"1"}`)).toBe('{"consumer_secret":"[REDACTED]","id":"1"}');
    expect(redactText(`Authorization: chave_api ${token} aplicacao app-123`)).not.toContain(token);
    expect(redactValue({ password: 'hunter22', nested: [{ token }] })).toEqual({ password: '[REDACTED]', nested: [{ token: '[REDACTED]' }] });
    // Copy on write: the input is untouched, and parts with nothing secret are shared, not copied.
    const payload = { id: 7, customer: { name: 'Ana' }, auth: { password: 'hunter22' } };
    const redacted = redactValue(payload);
    expect(payload.auth.password).toBe('hunter22');
    expect(redacted.auth.password).toBe('[REDACTED]');
    expect(redacted.customer).toBe(payload.customer);
    const clean = { id: 1, lines: [{ sku: 'A-1', name: 'Caneca' }] };
    expect(redactValue(clean)).toBe(clean);
    // Only the value's own keys are its content: an inherited one is neither redacted into a copy nor copied.
    const derived = Object.assign(Object.create({ password: 'inherited-pass' }) as Record<string, unknown>, { password: 'hunter22', id: 3 });
    expect(Object.keys(redactValue(derived))).toEqual(['password', 'id']);
    const inheritsOnly = Object.assign(Object.create({ password: 'inherited-pass' }) as Record<string, unknown>, { id: 3 });
    expect(redactValue(inheritsOnly)).toBe(inheritsOnly);
  });

  it('refuses a secret too short to redact without changing ordinary words, naming neither the secret nor its place', () => {
    // Loja Integrada's refusal came out as "token [REDACTED] not match" when a test secret was "does".
    let thrown: unknown;
    try {
      registerSecret('does');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as Error).message).toBe(
      'a secret (token, key or password) must have at least 8 characters, this one has 4: a shorter one would be redacted wherever the same letters appear in a message',
    );
    expect(redactText('token does not match')).toBe('token does not match');
    expect(redactText('Authorization: Bearer 9f8e7d6c5b4a3f2e1d0c')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactText('Token abcdefghijklmnopqrstuvwxyzABCDEFGH')).toBe('Token [REDACTED]');
    registerSecret('');
    registerSecret(undefined);
    registerSecret('8chars!!');
    expect(redactText('chave 8chars!! recusada')).toBe('chave [REDACTED] recusada');
  });

  it('keeps a registered secret out of message, stack and JSON even when it appears in free text', () => {
    registerSecret(token);
    const error = new UpstreamError(`request to https://x.test/?q=${token} failed with body ${token}`, {
      cause: new Error(`inner ${token}`),
    });
    const views = [error.message, error.stack ?? '', JSON.stringify(error), String((error.cause as Error).stack)];
    for (const view of views) expect(view).not.toContain(token);
    expect(error.message).toContain('[REDACTED]');
  });
});
