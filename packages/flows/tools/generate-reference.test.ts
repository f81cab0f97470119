import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceFile, renderReference } from './generate-reference.ts';

describe('docs/flows-reference.md', () => {
  it('is generated from the current schema and CLI help (run tools/generate-reference.ts when this fails)', () => {
    expect(readFileSync(referenceFile, 'utf8')).toBe(renderReference());
  });

  it('describes every key', () => {
    const undocumented = renderReference()
      .split('\n')
      .filter((line) => line.startsWith('| `') && line.endsWith('|  |'));
    expect(undocumented).toEqual([]);
  });
});
