import { ConfigurationError } from './errors.js';
import { addKnownSecret } from './redact.js';

/**
 * Registered secrets are replaced wherever they appear, so a short one would also replace ordinary words ("token
 * does not match" with a secret "does"). Real tokens are far longer; anything shorter is refused at registration.
 */
export const MIN_SECRET_LENGTH = 8;

/**
 * Registers a configured secret so any later redaction replaces it, wherever it shows up. An absent or empty value
 * registers nothing.
 *
 * @throws ConfigurationError for a secret shorter than MIN_SECRET_LENGTH (the message never includes it).
 */
export function registerSecret(secret: string | undefined | null): void {
  if (!secret) return;
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(
      `a secret (token, key or password) must have at least ${MIN_SECRET_LENGTH} characters, this one has ${secret.length}: a shorter one would be redacted wherever the same letters appear in a message`,
    );
  }
  addKnownSecret(secret);
}
