// TrinoQueryError: a query Trino ran and that failed, with Trino's error name, type and SQL location.
import { DataplatError, redactText } from '@dataplat/core';
import type { BoundStatement } from '../types/statement-binding.ts';
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
  /** Where in your SQL the error is (1-based), when Trino knows and it lies in your SQL. */
  readonly location: ErrorLocation | undefined;

  /**
   * `statement` is what was sent: for a query with parameters, the message shows its SQL as the caller
   * wrote it (with `?`), Trino's location is mapped back to it, and bound values Trino quotes are redacted.
   */
  constructor(queryId: string, error: QueryError, statement: BoundStatement) {
    const reported = error.errorLocation ?? error.failureInfo?.errorLocation;
    const location = reported ? statement.locate(reported) : undefined;
    super({
      code: 'TRINO_QUERY_FAILED',
      // Trino's own message may quote a bound value (`Cannot cast 'hunter2' to INT`); the frame is the caller's SQL.
      message: `Query ${queryId} failed: ${redactText(ownLocation(error.message, reported, location), statement.values)}${location ? `\n${codeFrame(statement.sql, location)}` : ''}`,
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

/** Trino starts a syntax or analysis message with the location in the statement it ran: say it in the caller's SQL. */
function ownLocation(message: string, reported: ErrorLocation | undefined, location: ErrorLocation | undefined): string {
  if (!reported) return message;
  const prefix = `line ${reported.lineNumber}:${reported.columnNumber}: `;
  if (!message.startsWith(prefix)) return message;
  return `${location ? `line ${location.lineNumber}:${location.columnNumber}: ` : ''}${message.slice(prefix.length)}`;
}
