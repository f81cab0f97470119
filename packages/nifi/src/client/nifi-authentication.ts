// How the NiFi client authenticates: a login exchanged for a token kept in memory, or a bearer token given by the caller.
import { bearerAuthentication, HttpError, tokenAuthentication, type HttpAuthentication, type HttpTransport } from '@dataplat/core';
import { NifiError } from './nifi-errors.ts';

/**
 * How the client proves who it is. Client certificates (mutual TLS) go in `tls: { cert, key }` and need no `auth`.
 * - `{ username, password }`: single-user, LDAP or Kerberos login providers, via `POST /access/token`.
 * - `{ token }`: a bearer token you obtained elsewhere (a string, or a function called for each request
 *   and once more after a 401).
 */
export type NifiAuth = { username: string; password: string } | { token: string | (() => string | Promise<string>) };

export function nifiAuthentication(auth: NifiAuth, transport: HttpTransport): HttpAuthentication {
  if ('token' in auth) return bearerAuthentication(auth.token, 'NiFi');
  // The JWT is kept in memory only, never NiFi's cookie (which would switch on CSRF checks).
  return tokenAuthentication({
    secrets: [auth.password],
    defaultLifetimeMs: 8 * 3_600_000, // NiFi's single-user tokens last 8 hours
    login: async (signal) => {
      try {
        const response = await transport.request<string>({
          method: 'POST',
          path: '/access/token',
          body: { form: { username: auth.username, password: auth.password } },
          responseType: 'text',
          anonymous: true,
          // Repeating a login after a lost answer only issues another token.
          idempotent: true,
          signal,
        });
        return response.body;
      } catch (error) {
        if (HttpError.isInstance(error) && (error.status === 400 || error.status === 401 || error.status === 403)) {
          throw new NifiError({
            code: 'NIFI_LOGIN_FAILED',
            message: `NiFi refused the login of user "${auth.username}" (HTTP ${error.status}).`,
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
    },
  });
}
