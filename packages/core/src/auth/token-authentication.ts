// The two bearer-token schemes the clients share: a login exchanged for a renewing token, and a token the caller supplies.
import { InvalidOptionsError } from '../errors/common-errors.ts';
import type { HttpAuthentication } from '../http/http-transport.ts';

export interface IssuedToken {
  value: string;
  /** Local epoch milliseconds at which to renew it (judged on the server's clock, see tokenAuthentication). */
  expiresAt: number;
}

/**
 * Credentials that are exchanged for a bearer token (NiFi's and Airflow's `/access/token`, `/auth/token`):
 * logs in when first needed (one login shared by concurrent requests), keeps the token in memory only,
 * renews it shortly before it expires and once more when the server answers 401.
 *
 * Expiry is judged on the server's clock: the JWT's `iat` says what time the server had when it issued the
 * token, so a local clock that is off (issue 14, finding 8: a token whose `exp` was already past locally made
 * every request log in again) only shifts when the token is renewed, never makes it look expired at birth.
 */
export function tokenAuthentication(options: {
  login(signal: AbortSignal | undefined): Promise<string>;
  /** Secrets besides the tokens themselves, e.g. the password. */
  secrets: string[];
  /** Used when a token carries no readable `exp`. */
  defaultLifetimeMs: number;
  /** The local clock (tests). */
  now?: (() => number) | undefined;
}): HttpAuthentication {
  const now = options.now ?? (() => Date.now());
  let token: IssuedToken | undefined;
  let pendingLogin: Promise<IssuedToken> | undefined;

  async function login(signal: AbortSignal | undefined): Promise<IssuedToken> {
    const requestedAt = now();
    const value = (await options.login(signal)).trim();
    const receivedAt = now();
    return { value, expiresAt: renewalTime(value, requestedAt, receivedAt, options.defaultLifetimeMs) };
  }

  async function currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (token && token.expiresAt > now()) return token.value;
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
    async refresh(signal, rejected) {
      // Requests refused with a token that was renewed meanwhile just repeat with the new one: one login, not one per request.
      if (token && rejected?.['authorization'] !== undefined && rejected['authorization'] !== `Bearer ${token.value}`) return true;
      if (pendingLogin) {
        await pendingLogin;
        return true;
      }
      token = undefined;
      await currentToken(signal);
      return true;
    },
    secrets() {
      return token ? [...options.secrets, token.value] : options.secrets;
    },
  };
}

/**
 * When to renew a token just received, in local time. The token's lifetime is `exp - iat` on the server's
 * clock; it starts when the server issued it, which is no earlier than the local request time. Renewal
 * comes a quarter of the lifetime before the end, at most a minute before (short-lived tokens stay usable).
 * Without `iat`, the `exp` is compared with the local clock — unless that says the token is already
 * expired (a fast local clock): then the server decides, by answering 401.
 */
export function renewalTime(token: string, requestedAt: number, receivedAt: number, defaultLifetimeMs: number): number {
  const claims = jwtClaims(token);
  const margin = (lifetimeMs: number) => Math.min(60_000, lifetimeMs / 4);
  if (claims.exp !== undefined && claims.iat !== undefined && claims.exp > claims.iat) {
    const lifetimeMs = claims.exp - claims.iat;
    return requestedAt + lifetimeMs - margin(lifetimeMs);
  }
  if (claims.exp !== undefined) {
    if (claims.exp <= receivedAt) return Number.POSITIVE_INFINITY;
    return claims.exp - margin(claims.exp - receivedAt);
  }
  return requestedAt + defaultLifetimeMs - margin(defaultLifetimeMs);
}

/**
 * A bearer token given by the caller: a string, or a function asked before each request (and again,
 * once, after a 401 — so a function that fetches a fresh token from a vault recovers from expiry).
 */
export function bearerAuthentication(source: string | ((signal: AbortSignal | undefined) => string | Promise<string>), serviceName: string): HttpAuthentication {
  let last: string | undefined;
  const read = async (signal: AbortSignal | undefined) => {
    last = typeof source === 'string' ? source : await source(signal);
    if (!last) {
      throw new InvalidOptionsError({ message: `The ${serviceName} bearer token is empty.`, hint: 'Pass auth: { token } with a token.' });
    }
    return last;
  };
  return {
    async headers(signal) {
      return { authorization: `Bearer ${await read(signal)}` };
    },
    async refresh() {
      return typeof source !== 'string';
    },
    secrets() {
      return last ? [last] : [];
    },
  };
}

/** The `exp` claim of a JWT in epoch milliseconds (not verified: the server does that). */
export function jwtExpiry(token: string): number | undefined {
  return jwtClaims(token).exp;
}

/** The `exp` and `iat` claims of a JWT in epoch milliseconds, where present (not verified: the server does that). */
export function jwtClaims(token: string): { exp?: number; iat?: number } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown; iat?: unknown };
    return {
      ...(typeof claims.exp === 'number' ? { exp: claims.exp * 1000 } : {}),
      ...(typeof claims.iat === 'number' ? { iat: claims.iat * 1000 } : {}),
    };
  } catch {
    return {};
  }
}
