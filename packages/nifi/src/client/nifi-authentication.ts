import { DataplatError, HttpError, type HttpAuthentication, type HttpTransport } from '@dataplat/core';
import { NifiError } from './nifi-errors.ts';

/**
 * How the client proves who it is. Client certificates (mutual TLS) go in `tls: { cert, key }` and need no `auth`.
 * - `{ username, password }`: single-user, LDAP or Kerberos login providers, via `POST /access/token`.
 * - `{ token }`: a bearer token you obtained elsewhere (a string, or a function called for each request).
 */
export type NifiAuth = { username: string; password: string } | { token: string | (() => string | Promise<string>) };

// Renew a little before expiry so a long call doesn't start with a token that dies mid-flight.
const renewBeforeExpiryMs = 60_000;

/**
 * Logs in with a username and password when first needed, keeps the JWT in memory only (never the
 * cookie, which would switch NiFi into CSRF checking), renews it before it expires and after a 401.
 */
export function passwordAuthentication(
  credentials: { username: string; password: string },
  transport: () => HttpTransport,
): HttpAuthentication {
  let token: { value: string; expiresAt: number } | undefined;
  let pendingLogin: Promise<{ value: string; expiresAt: number }> | undefined;

  async function login(signal: AbortSignal | undefined) {
    try {
      const response = await transport().request<string>({
        method: 'POST',
        path: '/access/token',
        body: { form: { username: credentials.username, password: credentials.password } },
        responseType: 'text',
        anonymous: true,
        signal,
      });
      const value = response.body.trim();
      return { value, expiresAt: jwtExpiry(value) ?? Date.now() + 8 * 3_600_000 };
    } catch (error) {
      if (HttpError.isInstance(error) && (error.status === 400 || error.status === 401 || error.status === 403)) {
        throw new NifiError({
          code: 'NIFI_LOGIN_FAILED',
          message: `NiFi refused the login of user "${credentials.username}" (HTTP ${error.status}).`,
          hint: 'Check the username and password (for the single-user provider: `nifi.sh set-single-user-credentials`).',
          cause: error,
        });
      }
      if (HttpError.isInstance(error) && error.status === 409) {
        throw new NifiError({
          code: 'NIFI_LOGIN_UNAVAILABLE',
          message: 'NiFi issues access tokens only over HTTPS, and this client talks plain HTTP.',
          hint: 'Use the https:// URL of NiFi, or drop `auth` for an unsecured HTTP NiFi (which allows everyone).',
          cause: error,
        });
      }
      throw error;
    }
  }

  async function currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (token && token.expiresAt - renewBeforeExpiryMs > Date.now()) return token.value;
    // One login at a time, shared by all concurrent requests.
    pendingLogin ??= login(signal).finally(() => {
      pendingLogin = undefined;
    });
    token = await pendingLogin;
    return token.value;
  }

  return {
    async headers(signal) {
      return { authorization: `Bearer ${await currentToken(signal)}` };
    },
    async refresh(signal) {
      token = undefined;
      await currentToken(signal);
      return true;
    },
    secrets() {
      return token ? [credentials.password, token.value] : [credentials.password];
    },
  };
}

export function bearerAuthentication(source: string | (() => string | Promise<string>)): HttpAuthentication {
  let last: string | undefined;
  return {
    async headers() {
      last = typeof source === 'string' ? source : await source();
      if (!last) {
        throw new DataplatError({ code: 'INVALID_OPTIONS', message: 'The NiFi bearer token is empty.', hint: 'Pass auth: { token } with a token.' });
      }
      return { authorization: `Bearer ${last}` };
    },
    secrets() {
      return last ? [last] : [];
    },
  };
}

/** The `exp` claim of a JWT in milliseconds (the token is not verified: NiFi does that). */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
