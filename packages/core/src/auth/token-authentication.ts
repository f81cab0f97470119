// The two bearer-token schemes the clients share: a login exchanged for a renewing token, and a token the caller supplies.
import { InvalidOptionsError } from '../errors/common-errors.ts';
import type { HttpAuthentication } from '../http/http-transport.ts';

export interface IssuedToken {
  value: string;
  /** Epoch milliseconds; read from the JWT's `exp` when the server doesn't say. */
  expiresAt: number;
}

/**
 * Credentials that are exchanged for a bearer token (NiFi's and Airflow's `/access/token`, `/auth/token`):
 * logs in when first needed (one login shared by concurrent requests), keeps the token in memory only,
 * renews it shortly before it expires and once more when the server answers 401.
 */
export function tokenAuthentication(options: {
  login(signal: AbortSignal | undefined): Promise<string>;
  /** Secrets besides the tokens themselves, e.g. the password. */
  secrets: string[];
  /** Used when a token carries no readable `exp`. */
  defaultLifetimeMs: number;
}): HttpAuthentication {
  let token: IssuedToken | undefined;
  let pendingLogin: Promise<IssuedToken> | undefined;

  async function login(signal: AbortSignal | undefined): Promise<IssuedToken> {
    const issuedAt = Date.now();
    const value = (await options.login(signal)).trim();
    const expiresAt = jwtExpiry(value) ?? issuedAt + options.defaultLifetimeMs;
    // Renew at a quarter of the lifetime before expiry, at most a minute before (short-lived tokens stay usable).
    const renewAt = expiresAt - Math.min(60_000, (expiresAt - issuedAt) / 4);
    return { value, expiresAt: renewAt };
  }

  async function currentToken(signal: AbortSignal | undefined): Promise<string> {
    if (token && token.expiresAt > Date.now()) return token.value;
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
      return token ? [...options.secrets, token.value] : options.secrets;
    },
  };
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
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
