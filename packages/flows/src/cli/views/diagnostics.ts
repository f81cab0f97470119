// How diagnostics read: compiler-style text with a code frame for people, GitHub annotations for pull
// requests, and versioned JSON for tools (`flows validate --format`; also exported for library users).
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';

/** A compiler-style report with the offending line and a caret, 1 line of context either side. */
export function formatHuman(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: { color?: boolean } = {}): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return diagnostics
    .map((diagnostic) => {
      const where = diagnostic.range ? `${diagnostic.file}:${diagnostic.range.start.line}:${diagnostic.range.start.column}` : diagnostic.file;
      const label = diagnostic.severity === 'error' ? paint('31;1', 'error') : paint('33;1', 'warning');
      const lines = [`${where}: ${label} ${paint('2', `[${diagnostic.code}]`)} ${diagnostic.message}`, `  at ${diagnostic.path}`];
      const source = sources.get(diagnostic.file);
      if (source !== undefined && diagnostic.range) lines.push(codeFrame(source, diagnostic.range.start.line, diagnostic.range.start.column, diagnostic.range.end));
      if (diagnostic.hint) lines.push(`  ${paint('36', 'hint:')} ${diagnostic.hint}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

function codeFrame(source: string, line: number, column: number, end: { line: number; column: number }): string {
  const lines = source.split('\n');
  const width = String(Math.min(lines.length, line + 1)).length;
  const frame: string[] = [];
  for (let number = Math.max(1, line - 1); number <= Math.min(lines.length, line + 1); number++) {
    frame.push(`  ${number === line ? '>' : ' '} ${String(number).padStart(width)} | ${lines[number - 1]}`);
    if (number === line) {
      const length = end.line === line ? Math.max(1, end.column - column) : Math.max(1, (lines[number - 1]?.length ?? column) - column + 1);
      frame.push(`    ${' '.repeat(width)} | ${' '.repeat(column - 1)}${'^'.repeat(length)}`);
    }
  }
  return frame.join('\n');
}

/** A workflow command's message, escaped as GitHub Actions reads it. */
export const escapeData = (text: string) => text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
/** A workflow command's property value (file=, title=), escaped as GitHub Actions reads it. */
export const escapeProperty = (text: string) => escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');

/** GitHub Actions workflow commands: the errors appear as annotations on the pull request's diff. */
export function formatGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((diagnostic) => {
      const properties = [`file=${escapeProperty(diagnostic.file)}`];
      if (diagnostic.range) {
        properties.push(`line=${diagnostic.range.start.line}`, `col=${diagnostic.range.start.column}`, `endLine=${diagnostic.range.end.line}`, `endColumn=${diagnostic.range.end.column}`);
      }
      properties.push(`title=${escapeProperty(diagnostic.code)}`);
      const message = diagnostic.hint ? `${diagnostic.message}\n${diagnostic.hint}` : diagnostic.message;
      return `::${diagnostic.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(message)}`;
    })
    .join('\n');
}

/** Machine-readable: `{ formatVersion, valid, diagnostics }`. */
export function formatJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ formatVersion: '1', valid: !diagnostics.some((diagnostic) => diagnostic.severity === 'error'), diagnostics }, null, 2);
}
