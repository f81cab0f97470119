// Errors every @dataplat client can raise before or after talking to a server (bad options, an answer
// that cannot be read), as classes of their own so callers can tell them apart without parsing messages.
import { DataplatError } from './dataplat-error.ts';

const invalidOptionsBrand = Symbol.for('dataplat.invalid-options-error');
const invalidResponseBrand = Symbol.for('dataplat.invalid-response-error');

/** Code INVALID_OPTIONS: a client or transport was given options that cannot work (caught before any request). */
export class InvalidOptionsError extends DataplatError {
  readonly [invalidOptionsBrand] = true;
  override name = 'InvalidOptionsError';
  declare readonly code: 'INVALID_OPTIONS';

  constructor(options: { message: string; hint?: string | undefined; cause?: unknown }) {
    super({ ...options, code: 'INVALID_OPTIONS' });
  }

  static override isInstance(error: unknown): error is InvalidOptionsError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[invalidOptionsBrand] === true;
  }
}

/** Code INVALID_RESPONSE: the server answered successfully, but with a body that is not what its API promises. */
export class InvalidResponseError extends DataplatError {
  readonly [invalidResponseBrand] = true;
  override name = 'InvalidResponseError';
  declare readonly code: 'INVALID_RESPONSE';

  constructor(options: { message: string; hint?: string | undefined; cause?: unknown }) {
    super({ ...options, code: 'INVALID_RESPONSE' });
  }

  static override isInstance(error: unknown): error is InvalidResponseError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[invalidResponseBrand] === true;
  }
}
