// isTransientError: the one answer to "may this succeed later?" that retries and waits share.
import { describe, expect, it } from 'vitest';
import { HttpError, RequestFailedError } from '../http/http-errors.ts';
import { DataplatError } from './dataplat-error.ts';
import { isTransientError, isTransientStatus } from './transient-errors.ts';

const failed = (code: 'NETWORK' | 'TIMEOUT' | 'ABORTED', isRetryable: boolean) =>
  new RequestFailedError({ code, message: code, method: 'GET', url: 'http://service.test/', isRetryable });
const status = (code: number) =>
  new HttpError({ code: 'X', message: 'x', status: code, method: 'GET', url: 'http://service.test/', responseBody: '', isRetryable: isTransientStatus(code) });

describe('isTransientError', () => {
  it('calls network failures, timeouts and 429/502/503/504 transient', () => {
    expect(isTransientError(failed('NETWORK', true))).toBe(true);
    expect(isTransientError(failed('TIMEOUT', true))).toBe(true);
    for (const code of [429, 502, 503, 504]) expect(isTransientError(status(code))).toBe(true);
    expect(isTransientError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransientError(new Error('closed', { cause: Object.assign(new Error('socket'), { code: 'UND_ERR_SOCKET' }) }))).toBe(true);
  });

  it('calls everything else permanent', () => {
    for (const code of [400, 401, 403, 404, 409, 422, 500]) expect(isTransientError(status(code))).toBe(false);
    expect(isTransientError(failed('ABORTED', false))).toBe(false);
    expect(isTransientError(failed('NETWORK', false))).toBe(false); // e.g. an untrusted TLS certificate
    expect(isTransientError(new DataplatError({ code: 'TIMEOUT', message: 'a wait ended', cause: failed('NETWORK', true) }))).toBe(false);
    expect(isTransientError(new TypeError('bad'))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
  });
});
