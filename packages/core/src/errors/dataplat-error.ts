// A Symbol.for() brand instead of instanceof, so errors are recognised across duplicated package copies.
const dataplatErrorBrand = Symbol.for('dataplat.error');

export interface DataplatErrorOptions {
  /** Stable, documented machine-readable code, e.g. `STACK_JAVA_NOT_FOUND`. Match on this, not on messages. */
  code: string;
  message: string;
  /** What the user can do about it. Shown after the message. */
  hint?: string | undefined;
  cause?: unknown;
}

/** Base class of every error thrown by @dataplat packages. */
export class DataplatError extends Error {
  readonly [dataplatErrorBrand] = true;
  override name = 'DataplatError';
  readonly code: string;
  readonly hint: string | undefined;

  constructor({ code, message, hint, cause }: DataplatErrorOptions) {
    super(hint ? `${message}\n${hint}` : message, cause === undefined ? undefined : { cause });
    this.code = code;
    this.hint = hint;
  }

  static isInstance(error: unknown): error is DataplatError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[dataplatErrorBrand] === true;
  }
}
