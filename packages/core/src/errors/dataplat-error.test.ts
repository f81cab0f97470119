// DataplatError: codes, hints and recognition across package copies.
import { describe, expect, it } from 'vitest';
import { DataplatError } from './dataplat-error.ts';

describe('DataplatError', () => {
  it('carries a stable code, a hint and the cause', () => {
    const cause = new Error('socket hang up');
    const error = new DataplatError({ code: 'EXAMPLE_FAILED', message: 'Example failed.', hint: 'Try again.', cause });
    expect(error.code).toBe('EXAMPLE_FAILED');
    expect(error.message).toBe('Example failed.\nTry again.');
    expect(error.hint).toBe('Try again.');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('DataplatError');
  });

  it('is recognised by its brand even without the same class identity', () => {
    const error = new DataplatError({ code: 'X', message: 'x' });
    const copyFromAnotherPackageVersion = Object.assign(new Error('x'), { [Symbol.for('dataplat.error')]: true });
    expect(DataplatError.isInstance(error)).toBe(true);
    expect(DataplatError.isInstance(copyFromAnotherPackageVersion)).toBe(true);
    expect(DataplatError.isInstance(new Error('plain'))).toBe(false);
    expect(DataplatError.isInstance(undefined)).toBe(false);
  });
});
