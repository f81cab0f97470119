// The shared client kit: the credentials check, helper binding (generic helpers stay generic), per-call options, and the abortable sleep.
import { describe, expect, it } from 'vitest';
import { sleep } from '../timing/sleep.ts';
import { bindHelpers, callOptions, checkPasswordCredentials, createClientTransport } from './client-kit.ts';

describe('client kit', () => {
  it('refuses username/password credentials with a part missing, and lets other kinds pass', () => {
    expect(() => checkPasswordCredentials({ username: 'ana', password: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS', name: 'InvalidOptionsError' }));
    expect(() => checkPasswordCredentials({ username: '', password: 'secret' })).toThrow(/auth.username and auth.password/);
    expect(() => checkPasswordCredentials({ username: 'ana', password: 'secret' })).not.toThrow();
    expect(() => checkPasswordCredentials({ token: 'abc' })).not.toThrow();
    expect(() => checkPasswordCredentials(undefined)).not.toThrow();
  });

  it('binds helpers to a context, keeping generic helpers generic', () => {
    const context = { prefix: 'item-' };
    const bound = bindHelpers(context);
    const label = bound((current: typeof context, id: number, suffix = '') => `${current.prefix}${id}${suffix}`);
    const first = bound(<Value>(_: typeof context, values: Value[]): Value | undefined => values[0]);
    expect(label(7, '!')).toBe('item-7!');
    const value: number | undefined = first([1, 2]);
    expect(value).toBe(1);
  });

  it('keeps only signal and timeoutMs of a helper\'s options', () => {
    const signal = new AbortController().signal;
    expect(callOptions({ signal, timeoutMs: 5, waitTimeoutMs: 9 } as Parameters<typeof callOptions>[0])).toEqual({ signal, timeoutMs: 5 });
    expect(callOptions(undefined)).toEqual({ signal: undefined, timeoutMs: undefined });
  });

  it('builds a transport from the common options and the client\'s settings', async () => {
    const transport = createClientTransport({ userAgent: 'custom/1' }, { baseUrl: 'http://service.test/api/', serviceName: 'Service', defaultUserAgent: 'dataplat-service' });
    expect(transport.baseUrl).toBe('http://service.test/api');
    expect(typeof transport.use).toBe('function');
    await transport.close();
  });

  it('sleeps, and stops sleeping with the signal\'s reason when aborted', async () => {
    const startedAt = Date.now();
    await sleep(20);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(15);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('cancelled')), 10);
    await expect(sleep(10_000, controller.signal)).rejects.toThrow('cancelled');
    await expect(sleep(10, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
