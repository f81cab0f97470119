// `@dataplat/core/errors`: the error classes alone, without the HTTP transport (undici), for code that
// raises or recognises dataplat errors but talks to no server — e.g. a CLI's start-up path.
export { DataplatError, type DataplatErrorOptions } from './dataplat-error.ts';
export { InvalidOptionsError, InvalidResponseError } from './common-errors.ts';
export { isTransientError, isTransientStatus } from './transient-errors.ts';
export { InsecureAuthError } from '../auth/credential-policy.ts';
