// The security suite's scan must find what it looks for: a secret in a cause chain, a hidden property,
// a base64 or URL-encoded form, or a header list — and report only where, never the value.
import { describe, expect, it } from 'vitest';
import { findSecretLeaks } from './secret-scan.ts';

describe('findSecretLeaks', () => {
  it('finds a secret deep in an error cause chain and in non-enumerable properties', () => {
    const inner = new Error('connect failed for pw-Sc4n-secret');
    const outer = new Error('wrapped', { cause: inner });
    Object.defineProperty(outer, 'hidden', { value: { header: `Basic ${Buffer.from('ana:other-Sc4n-secret').toString('base64')}` }, enumerable: false });
    const leaks = findSecretLeaks(outer, ['pw-Sc4n-secret', 'ana:other-Sc4n-secret', 'absent-Sc4n-secret']);
    expect(leaks.map((leak) => leak.secretIndex).sort()).toContain(0);
    expect(leaks.some((leak) => leak.secretIndex === 1)).toBe(true);
    expect(leaks.some((leak) => leak.secretIndex === 2)).toBe(false);
    expect(JSON.stringify(leaks)).not.toContain('Sc4n');
  });

  it('finds URL-encoded secrets in header lists and reports clean subjects as clean', () => {
    expect(findSecretLeaks(['x-trino-extra-credential', 'vault=a%2Fb%20c'], ['a/b c']).map((leak) => leak.where)).toContain('subject.1');
    expect(findSecretLeaks({ message: 'nothing here', status: 401 }, ['a/b c'])).toEqual([]);
  });
});
