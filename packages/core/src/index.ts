export { DataplatError, type DataplatErrorOptions } from './errors/dataplat-error.ts';
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
export { redactText, redactUrl, truncate } from './http/redact.ts';
export { parseRetryAfter, type RetryOptions } from './http/retry-policy.ts';
export { pollUntil, type PollOptions, type PollResult } from './polling/poll-until.ts';
export { bearerAuthentication, jwtExpiry, tokenAuthentication, type IssuedToken } from './auth/token-authentication.ts';
export {
  createTypedApi,
  type OpenApiMethod,
  type PathsWith,
  type TypedApi,
  type TypedCallOptions,
  type TypedRequestOptions,
  type TypedResponse,
} from './openapi/typed-api.ts';
