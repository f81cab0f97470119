// How the Airflow client authenticates: a login at /auth/token exchanged for a renewing JWT, or a bearer token given by the caller.
import { bearerAuthentication, HttpError, tokenAuthentication, type HttpAuthentication, type HttpTransport } from '@dataplat/core';
import { AirflowError } from './airflow-errors.ts';

/**
 * - `{ username, password }`: `POST /auth/token` of the SimpleAuthManager, FAB or Keycloak auth managers.
 *   `tokenPath: '/auth/token/cli'` asks for the shorter-lived CLI tokens instead.
 * - `{ token }`: a bearer token from elsewhere (Astro/Composer/MWAA): a string, or a function asked
 *   before each request and once more after a 401.
 */
export type AirflowAuth =
  | { username: string; password: string; tokenPath?: '/auth/token' | '/auth/token/cli' | undefined }
  | { token: string | (() => string | Promise<string>) };

export function airflowAuthentication(auth: AirflowAuth, transport: HttpTransport, detectVersion: () => Promise<void>): HttpAuthentication {
  if ('token' in auth) return bearerAuthentication(auth.token, 'Airflow');
  return tokenAuthentication({
    secrets: [auth.password],
    defaultLifetimeMs: 3_600_000,
    login: async (signal) => {
      try {
        const response = await transport.request<{ access_token?: string }>({
          method: 'POST',
          path: auth.tokenPath ?? '/auth/token',
          body: { json: { username: auth.username, password: auth.password } },
          anonymous: true,
          // Repeating a login after a lost answer only issues another token.
          idempotent: true,
          signal,
        });
        if (!response.body?.access_token) throw new Error('the answer has no access_token');
        return response.body.access_token;
      } catch (error) {
        if (HttpError.isInstance(error) && (error.status === 401 || error.status === 403 || error.status === 400)) {
          throw new AirflowError({
            code: 'AIRFLOW_LOGIN_FAILED',
            message: `Airflow refused the login of user "${auth.username}" (HTTP ${error.status}).`,
            hint: 'Check the username and password (SimpleAuthManager keeps them in its passwords file).',
            cause: error,
          });
        }
        // No /auth/token at all usually means this is not an Airflow 3 API server: say which.
        if (HttpError.isInstance(error) && (error.status === 404 || error.status === 405 || error.status < 400)) await detectVersion();
        throw error;
      }
    },
  });
}
