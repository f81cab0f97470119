import { describe, expect, it } from 'vitest';
import { typescriptBlocks } from './extract-doc-snippets.ts';

describe('typescriptBlocks', () => {
  it('finds the ```ts blocks of a markdown text with their first line, and nothing else', () => {
    const markdown = ['# Title', '```ts', "const a = 1;", '```', 'text', '```sh', 'echo no', '```', '```ts', 'await a();', 'b();', '```'].join('\n');
    expect(typescriptBlocks(markdown)).toEqual([
      { line: 3, code: 'const a = 1;' },
      { line: 10, code: 'await a();\nb();' },
    ]);
  });
});
