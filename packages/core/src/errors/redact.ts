/**
 * Secret redaction. Every error the SDK builds passes its strings through here, so a token that travels in a URL
 * (Tray's `access_token`), a header or a body never reaches a message, a stack or a log line.
 */

const SECRET_KEY_PATTERN =
  /^(access_?token|refresh_?token|token|consumer_?key|consumer_?secret|client_?secret|api_?key|x-api-key|app_?key|application_?token|company_?token|applicationtoken|companytoken|chave_?api|aplicacao|authorization|password|senha|secret|signature|x-wc-webhook-signature|cookie|set-cookie|proxy-authorization)$/i;

export const REDACTED = '[REDACTED]';

/** Secrets registered at runtime (configured tokens), replaced wherever they appear verbatim. */
const knownSecrets = new Set<string>();

/** Renewed tokens are registered as they come; the oldest are forgotten past this many, so memory stays bounded. */
const MAX_KNOWN_SECRETS = 5_000;

/**
 * Adds a secret to the set replaced by every redaction. Callers go through `registerSecret` (secrets.ts), which refuses
 * short ones; this module cannot throw typed errors itself, because the error classes redact their own messages.
 */
export function addKnownSecret(secret: string): void {
  knownSecrets.delete(secret);
  knownSecrets.add(secret);
  if (knownSecrets.size > MAX_KNOWN_SECRETS) knownSecrets.delete(knownSecrets.values().next().value as string);
  secretsPattern = undefined;
}

/** Forgets a secret that can no longer be used (a revoked or replaced token). */
export function unregisterSecret(secret: string | undefined | null): void {
  if (secret && knownSecrets.delete(secret)) secretsPattern = undefined;
}

/** Every registered secret (and its URL-encoded form) in one pattern, rebuilt only when the set changes. */
let secretsPattern: RegExp | null | undefined;
/** One scan that says whether any pass below could change a string: most strings of a payload need none. */
let mayNeedRedaction: RegExp | undefined;

function knownSecretsPattern(): RegExp | null {
  if (secretsPattern === undefined) {
    const forms = new Set<string>();
    for (const secret of knownSecrets) {
      forms.add(secret);
      forms.add(encodeURIComponent(secret));
    }
    // Longest first, so a secret that contains another is replaced whole.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map((form) => form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    secretsPattern = alternatives.length ? new RegExp(alternatives.join('|'), 'g') : null;
    mayNeedRedaction = new RegExp([...alternatives, 'bearer', 'basic', 'token', 'chave_api', 'aplicacao', '[="]'].join('|'), 'i');
  }
  return secretsPattern;
}

// Cheap checks that decide whether the costlier passes can find anything at all: most strings of a payload
// (names, SKUs, numbers) contain none of these, and redaction runs over every string of every raw order.
const MAY_HOLD_SCHEME = /bearer|basic|token/i;
const MAY_HOLD_LI_HEADER = /chave_api|aplicacao/i;
/**
 * "Bearer <credential>": the credential must look like one (8+ characters with a digit, or 20+), so the word after
 * "token" in a sentence ("token does not match", a platform's own refusal) is left alone.
 */
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|Token)\s+((?=[A-Za-z._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}|[A-Za-z0-9._~+/=-]{20,})/gi;

/** Extra key names (headers, query or JSON keys) whose values are secret, registered by connectors. */
const extraSecretKeys = new Set<string>();

/** Registers a key name (e.g. a platform's signature header) whose values must always be redacted. */
export function registerSecretKey(key: string): void {
  extraSecretKeys.add(key.toLowerCase());
  secretKeyVerdicts.clear();
}

/** Verdicts by key name: payloads repeat the same few keys thousands of times. */
const secretKeyVerdicts = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  let verdict = secretKeyVerdicts.get(key);
  if (verdict === undefined) {
    verdict = SECRET_KEY_PATTERN.test(key) || extraSecretKeys.has(key.toLowerCase());
    if (secretKeyVerdicts.size > 10_000) secretKeyVerdicts.clear();
    secretKeyVerdicts.set(key, verdict);
  }
  return verdict;
}

/** Replaces the values of secret query parameters and any user info in a URL. Non-URLs go through `redactText`. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redactText(raw);
  }
  for (const key of [...url.searchParams.keys()]) {
    if (isSecretKey(key)) url.searchParams.set(key, REDACTED);
  }
  if (url.username) url.username = REDACTED;
  if (url.password) url.password = REDACTED;
  return redactText(decodeURI(url.toString()));
}

/** Returns a copy of the headers with secret values replaced. */
export function redactHeaders(headers: Headers | Record<string, string>): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  return Object.fromEntries(entries.map(([key, value]) => [key, isSecretKey(key) ? REDACTED : redactText(value)]));
}

/**
 * Redacts free text: registered secrets, `key=value` / `"key": "value"` pairs with secret keys, bearer tokens and
 * Loja Integrada's `chave_api X aplicacao Y` header form.
 */
export function redactText(text: string): string {
  if (text.length < 4) return text;
  const secrets = knownSecretsPattern();
  if (!mayNeedRedaction!.test(text)) return text;
  let out = text;
  if (secrets) out = out.replace(secrets, REDACTED);
  if (MAY_HOLD_SCHEME.test(out)) out = out.replace(SCHEME_CREDENTIAL, `$1 ${REDACTED}`);
  if (MAY_HOLD_LI_HEADER.test(out)) {
    out = out.replace(/chave_api\s+\S+/gi, `chave_api ${REDACTED}`).replace(/aplicacao\s+\S+/gi, `aplicacao ${REDACTED}`);
  }
  if (out.includes('=')) {
    out = out.replace(
      /([?&;\s]|^)([A-Za-z_-]+)=([^&\s#"']+)/g,
      (match, lead: string, key: string) => (isSecretKey(key) ? `${lead}${key}=${REDACTED}` : match),
    );
  }
  if (out.includes('"')) {
    out = out.replace(
      /"([A-Za-z_-]+)"\s*:\s*"((?:[^"\\]|\\.)*)"/g,
      (match, key: string) => (isSecretKey(key) ? `"${key}":"${REDACTED}"` : match),
    );
  }
  return out;
}

/**
 * A JSON-like value with the values of secret keys, and secrets inside strings, replaced. Copy on write: parts with
 * nothing to redact are returned as they are (raw payloads are redacted on every import, so copying all of every
 * order would be most of the work), and the input is never changed.
 */
export function redactValue<T>(value: T): T {
  return redactInner(value) as T;
}

function redactInner(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const next = redactInner(item);
      if (next !== item) (copy ??= value.slice())[index] = next;
    }
    return copy ?? value;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  // for-in rather than Object.keys: no array of keys per object of every payload; inherited keys are not the value's.
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const inner = record[key];
    let next: unknown;
    // Strings and nested values inline, numbers, booleans and null skipped: a raw order holds a few hundred values.
    if (typeof inner === 'string') next = isSecretKey(key) ? REDACTED : redactText(inner);
    else if (inner !== null && typeof inner === 'object') next = redactInner(inner);
    else continue;
    if (next !== inner) (copy ??= { ...record })[key] = next;
  }
  return copy ?? value;
}
