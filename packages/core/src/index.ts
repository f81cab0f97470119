// The public API of @dataplat/core: what the NiFi, Airflow and Trino clients (and their users) share.
export { DataplatError, type DataplatErrorOptions } from './errors/dataplat-error.ts';
export { InvalidOptionsError, InvalidResponseError } from './errors/common-errors.ts';
export { isTransientError, isTransientStatus } from './errors/transient-errors.ts';
export {
  HttpError,
  RequestFailedError,
  codeForStatus,
  type HttpErrorOptions,
  type HttpStatusCode,
  type RequestFailedCode,
  type RequestFailedErrorOptions,
} from './http/http-errors.ts';
export {
  createHttpTransport,
  type ErrorClassification,
  type HttpAuthentication,
  type HttpMethod,
  type HttpRequest,
  type HttpRequestBody,
  type HttpResponse,
  type HttpTransport,
  type HttpTransportOptions,
  type QueryValue,
  type ResponseType,
  type RetryEvent,
  type TlsOptions,
} from './http/http-transport.ts';
export {
  MiddlewareError,
  type HttpMiddleware,
  type MiddlewareFailure,
  type MiddlewareHost,
  type MiddlewareRequest,
  type MiddlewareResponse,
} from './http/middleware.ts';
export { redactText, redactUrl, truncate } from './http/redact.ts';
export { parseRetryAfter, type RetryOptions } from './http/retry-policy.ts';
export { pollUntil, PollingError, type PollCheck, type PollOptions, type PollResult } from './polling/poll-until.ts';
export { sleep } from './timing/sleep.ts';
export {
  bindHelpers,
  callOptions,
  checkPasswordCredentials,
  createClientTransport,
  type CallOptions,
  type ClientOptions,
  type ClientTransportSettings,
} from './client/client-kit.ts';
export {
  assertMayCarryCredentials,
  InsecureAuthError,
  isLoopbackHost,
  mayCarryCredentials,
  type CredentialPolicyOptions,
} from './auth/credential-policy.ts';
export { bearerAuthentication, jwtClaims, jwtExpiry, renewalTime, tokenAuthentication, type IssuedToken } from './auth/token-authentication.ts';
export {
  createTypedApi,
  type OpenApiMethod,
  type PathsWith,
  type TypedApi,
  type TypedCallOptions,
  type TypedRequestOptions,
  type TypedResponse,
} from './openapi/typed-api.ts';
