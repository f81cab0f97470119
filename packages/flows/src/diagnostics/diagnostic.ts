// Every problem the flows tooling finds is a Diagnostic: where (file, line, column, an RFC 6901 pointer
// and a readable path), what (a stable code and a message) and what to do (a hint).

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  offset: number;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  /** Stable, e.g. `schema/unrecognized_keys`, `connection/unknown-endpoint`. */
  code: string;
  message: string;
  hint?: string | undefined;
  file: string;
  range?: { start: Position; end: Position } | undefined;
  /** RFC 6901 pointer into the document, e.g. `/flows/0/processors/listen/type`. */
  pointer: string;
  /** The same place by names, e.g. `flows[iot-sensors].processors.listen.type`. */
  path: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((diagnostic) => diagnostic.severity === 'error');
}

/** Deterministic order: file, position, code. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (left, right) =>
      left.file.localeCompare(right.file) ||
      (left.range?.start.offset ?? -1) - (right.range?.start.offset ?? -1) ||
      left.code.localeCompare(right.code),
  );
}

export function toJsonPointer(path: ReadonlyArray<string | number>): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}
