// Copies every ```ts block of README.md and docs/*.md into examples/doc-snippets/snippets/ (not
// committed), where the type check (`pnpm typecheck`, the first step of `pnpm test`) compiles them
// against the real packages: a snippet that no longer matches the API fails the build.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const repositoryRoot = join(import.meta.dirname, '..');
export const snippetsDir = join(repositoryRoot, 'examples', 'doc-snippets', 'snippets');

/** The ```ts blocks of a markdown text, with the line each starts on. */
export function typescriptBlocks(markdown: string): Array<{ line: number; code: string }> {
  const blocks: Array<{ line: number; code: string }> = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (lines[index]!.trim() !== '```ts') continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    index = end;
  }
  return blocks;
}

/**
 * Names snippets may use without defining them — the client a guide's earlier text created. Declared
 * (typed) only where a snippet uses one it doesn't define itself.
 */
const context: Record<string, string> = {
  nifi: "import type { NifiClient } from '@dataplat/nifi';\ndeclare const nifi: NifiClient;",
  airflow: "import type { AirflowClient } from '@dataplat/airflow';\ndeclare const airflow: AirflowClient;",
  trino: "import type { TrinoClient } from '@dataplat/trino';\ndeclare const trino: TrinoClient;",
  dag_id: 'declare const dag_id: string;',
  groupId: 'declare const groupId: string;',
};

function preamble(code: string): string {
  return Object.entries(context)
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(code) && !new RegExp(`\\b(const|let|var|function)\\s+(\\{[^}]*)?\\b${name}\\b`).test(code))
    .map(([, declaration]) => declaration)
    .join('\n');
}

export function extractDocSnippets(): string[] {
  rmSync(snippetsDir, { recursive: true, force: true });
  mkdirSync(snippetsDir, { recursive: true });
  const documents = ['README.md', ...readdirSync(join(repositoryRoot, 'docs')).filter((file) => file.endsWith('.md')).map((file) => join('docs', file))];
  const written: string[] = [];
  for (const document of documents) {
    for (const block of typescriptBlocks(readFileSync(join(repositoryRoot, document), 'utf8'))) {
      const file = join(snippetsDir, `${basename(document, '.md')}-line-${block.line}.ts`);
      // Each snippet is its own module (top-level await, no clashes between snippets).
      writeFileSync(file, `// From ${document}:${block.line}\n${preamble(block.code)}\n${block.code}\nexport {};\n`);
      written.push(file);
    }
  }
  return written;
}

if (import.meta.main) console.log(`doc snippets: ${extractDocSnippets().length} extracted to ${snippetsDir}`);
