// TrinoQueryError: a query Trino ran and that failed, with Trino's error name, type and SQL location.
import { DataplatError } from '@dataplat/core';
import type { ErrorLocation, QueryError } from './protocol.ts';

const trinoQueryErrorBrand = Symbol.for('dataplat.trino-query-error');

/** Trino ran the query and it failed (syntax error, missing table, division by zero, …). Code `TRINO_QUERY_FAILED`. */
export class TrinoQueryError extends DataplatError {
  readonly [trinoQueryErrorBrand] = true;
  override name = 'TrinoQueryError';
  readonly queryId: string;
  /** e.g. `SYNTAX_ERROR`, `TABLE_NOT_FOUND`, `DIVISION_BY_ZERO`. */
  readonly errorName: string;
  /** `USER_ERROR`, `INTERNAL_ERROR`, `INSUFFICIENT_RESOURCES` or `EXTERNAL`. */
  readonly errorType: string;
  readonly errorCode: number;
  /** Where in the SQL the error is (1-based), when Trino knows. */
  readonly location: ErrorLocation | undefined;

  constructor(queryId: string, error: QueryError, sql: string) {
    const location = error.errorLocation ?? error.failureInfo?.errorLocation;
    super({
      code: 'TRINO_QUERY_FAILED',
      message: `Query ${queryId} failed: ${error.message}${location ? `\n${codeFrame(sql, location)}` : ''}`,
      hint: error.errorType === 'USER_ERROR' ? 'Fix the SQL (or the objects it uses) and run it again.' : undefined,
    });
    this.queryId = queryId;
    this.errorName = error.errorName;
    this.errorType = error.errorType;
    this.errorCode = error.errorCode;
    this.location = location;
  }

  static override isInstance(error: unknown): error is TrinoQueryError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[trinoQueryErrorBrand] === true;
  }
}

/** The offending SQL line with a caret under the column. */
function codeFrame(sql: string, location: ErrorLocation): string {
  const line = sql.split('\n')[location.lineNumber - 1];
  if (line === undefined) return `at line ${location.lineNumber}, column ${location.columnNumber}`;
  return `line ${location.lineNumber}:${location.columnNumber}: ${line}\n${' '.repeat(`line ${location.lineNumber}:${location.columnNumber}: `.length + location.columnNumber - 1)}^`;
}
