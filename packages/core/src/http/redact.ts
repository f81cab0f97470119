// Everything that can end up in an error message, a log line or a snapshot goes through here first.

const redacted = '[REDACTED]';

// Query parameters whose values are credentials in the APIs we talk to (and in common OAuth flows).
const secretQueryParameter = /^(access_token|token|id_token|refresh_token|password|passwd|secret|client_secret|api_key|apikey|key|signature|x-amz-signature|x-amz-credential|x-amz-security-token|sig)$/i;

/** Removes user info and secret query parameters from a URL. Non-URLs are returned unchanged. */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return String(url);
  }
  if (parsed.username || parsed.password) {
    parsed.username = parsed.username ? redacted : '';
    parsed.password = '';
  }
  for (const name of [...parsed.searchParams.keys()]) {
    if (secretQueryParameter.test(name)) parsed.searchParams.set(name, redacted);
  }
  return parsed.toString().replaceAll(encodeURIComponent(redacted), redacted);
}

// Bearer tokens and JWTs are recognisable on their own, even when a server echoes them back.
const bearerToken = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;
const jsonWebToken = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;

/** Replaces known secrets, bearer credentials and JWTs in free text (error bodies, messages). */
export function redactText(text: string, secrets: Iterable<string> = []): string {
  let result = text;
  for (const secret of secrets) {
    // Very short "secrets" would shred ordinary text; no real credential is that short.
    if (secret.length >= 4) result = result.replaceAll(secret, redacted);
  }
  return result.replace(bearerToken, `$1 ${redacted}`).replace(jsonWebToken, redacted);
}

/** Cuts text to at most `limit` characters, saying how much was dropped. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}
