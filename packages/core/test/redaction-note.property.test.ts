import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactValue, registerSecret, registerSecretKey } from '../src/index.js';
import { noteRedactionFreeJson } from '../src/errors/redact.js';
import { parseJsonBytes } from '../src/http/index.js';

const SECRET = 'ck_0123456789abcdef0123456789abcdef01234567';
registerSecret(SECRET);
registerSecretKey('X-Loja-Assinatura');

/** Key names: every secret key form (case and separators varied), lookalikes that are not secret, ordinary ones. */
const secretKeys = ['access_token', 'AccessToken', 'refresh_token', 'token', 'consumer_key', 'ConsumerKey', 'consumer_secret', 'client_secret', 'api_key', 'APIKEY', 'x-api-key', 'app_key', 'appkey', 'application_token', 'companytoken', 'chave_api', 'ChaveApi', 'aplicacao', 'Authorization', 'password', 'senha', 'secret', 'signature', 'x-wc-webhook-signature', 'cookie', 'Set-Cookie', 'proxy-authorization', 'x-loja-assinatura'];
const ordinaryKeys = ['id', 'key', 'order_key', 'cart_hash', 'value', 'name', 'meta_data', 'billing', 'customer_note', 'tokens_left', 'assinatura'];
const key = fc.constantFrom(...secretKeys, ...ordinaryKeys, ...ordinaryKeys);

/** Strings: plain text, and every fragment that redaction reacts to, alone or inside text. */
const fragments = ['Bearer abcdefgh12345', 'basic dXNlcjpwYXNz1234', 'token', 'Token expirado', 'a=b', 'say "hi"', 'chave_api 123 aplicacao 456', SECRET, encodeURIComponent(SECRET), 'https://loja.example/wp-json/wc/v3', 'João Conceição', 'Rua São Paulo, 123', 'x', '', 'SKU-1'];
const text = fc.oneof(
  fc.constantFrom(...fragments),
  fc.tuple(fc.constantFrom(...fragments), fc.string({ maxLength: 6 }), fc.constantFrom(...fragments)).map((parts) => parts.join(' ')),
  fc.string({ maxLength: 12 }),
);

const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
  ),
}));
const payload = fc.array(fc.tuple(key, jsonValue), { minLength: 1, maxLength: 6 }).map((entries) => Object.fromEntries(entries));

/** The same value written as other JSON encoders write it: PHP's `\/` and `\uXXXX`, and ASCII letters escaped. */
const encodings: Record<string, (value: unknown) => string> = {
  plain: (value) => JSON.stringify(value),
  php: (value) => JSON.stringify(value).replace(/\//g, '\\/').replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  asciiEscapes: (value) => escapeInStrings(JSON.stringify(value)),
};

/** Every third `=` or lower-case letter inside a string (keys included) written as a `\u00XX` escape. */
function escapeInStrings(json: string): string {
  let out = '';
  let inString = false;
  for (let index = 0; index < json.length; index += 1) {
    const char = json[index]!;
    if (inString && char === '\\') {
      out += char + json[index + 1]!;
      index += 1;
    } else if (char === '"') {
      inString = !inString;
      out += char;
    } else {
      out += inString && /[=a-z]/.test(char) && index % 3 === 0 ? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}` : char;
    }
  }
  return out;
}

describe('noteRedactionFreeJson', () => {
  it('only notes a payload that redaction would leave unchanged, whatever encoding the JSON used', () => {
    let noted = 0;
    let walked = 0;
    fc.assert(
      fc.property(payload, fc.constantFrom(...Object.keys(encodings)), (value, encoding) => {
        const json = encodings[encoding]!(value);
        const parsed = JSON.parse(json) as object;
        const expected = redactValue(structuredClone(parsed)); // not noted: the full walk
        if (noteRedactionFreeJson(parsed, json)) {
          noted += 1;
          expect(expected).toStrictEqual(parsed);
        } else {
          walked += 1;
        }
        expect(redactValue(parsed)).toStrictEqual(expected);
      }),
      { numRuns: 3000 },
    );
    // Both paths taken: the check neither notes everything nor nothing.
    expect(noted).toBeGreaterThan(100);
    expect(walked).toBeGreaterThan(100);
  });

  it('notes the orders of a WooCommerce page and the published WooCommerce payloads, whose only secrets-like keys are lookalikes', () => {
    const directory = join(__dirname, '../../../tests/fixtures/platforms/woocommerce');
    const published = readdirSync(directory).filter((name) => /^order-.*\d[^.]*\.json$/.test(name) && !name.endsWith('.expected.json'));
    expect(published.length).toBeGreaterThan(3);
    for (const name of published) {
      const json = readFileSync(join(directory, name), 'utf8');
      const parsed = JSON.parse(json) as object;
      const noted = noteRedactionFreeJson(parsed, json);
      const expected = redactValue(structuredClone(parsed));
      expect(redactValue(parsed)).toStrictEqual(expected);
      if (noted) expect(expected).toStrictEqual(parsed);
    }
  });

  it('lapses when a secret is registered after the note', () => {
    const later = 'Zq81xLm20PaQ7w';
    const value = { id: 1, customer_note: `paid with ${later}` };
    const json = JSON.stringify(value);
    expect(noteRedactionFreeJson(value, json)).toBe(true);
    expect(redactValue(value)).toBe(value);
    registerSecret(later);
    expect(redactValue(value)).toStrictEqual({ id: 1, customer_note: `paid with ${REDACTED}` });
  });

  it('lapses when a secret key is registered after the note', () => {
    const value = { id: 1, 'x-minha-chave': 'abc123def456' };
    expect(noteRedactionFreeJson(value, JSON.stringify(value))).toBe(true);
    registerSecretKey('X-Minha-Chave');
    expect(redactValue(value)).toStrictEqual({ id: 1, 'x-minha-chave': REDACTED });
  });

  it('is what parseJsonBytes does for each element of a large array when asked, and only then', () => {
    const clean = { id: 1, note: 'x'.repeat(1000) };
    const withSecret = { id: 2, note: `key ${SECRET}`, filler: 'x'.repeat(1000) };
    const bytes = new TextEncoder().encode(JSON.stringify([...Array.from({ length: 80 }, () => clean), withSecret]));
    const noted = parseJsonBytes(bytes, { noteRedactionFree: true }) as object[];
    expect(redactValue(noted[0])).toBe(noted[0]);
    expect(redactValue(noted[80])).toStrictEqual({ ...withSecret, note: `key ${REDACTED}` });
    // Without the option nothing is noted: a caller that changes the values later still gets them redacted.
    const plain = parseJsonBytes(bytes) as Array<Record<string, unknown>>;
    plain[0]!['note'] = SECRET;
    expect((redactValue(plain[0]) as Record<string, unknown>)['note']).toBe(REDACTED);
  });
});
