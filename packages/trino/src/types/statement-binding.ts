// Binding parameters to `?` placeholders: the statement sent is EXECUTE IMMEDIATE '<sql>' USING <literals>,
// and what Trino reports about it (error locations) is mapped back to the caller's own SQL, so errors
// show the SQL as written, with its `?`, and never the rendered values (issue 14, finding 5).
import { DataplatError } from '@dataplat/core';
import type { ErrorLocation } from '../client/protocol.ts';
import { toSqlLiteral, type TrinoParameter } from './literals.ts';

const executeImmediatePrefix = "EXECUTE IMMEDIATE '";

export interface BoundStatement {
  /** What goes to Trino. */
  statement: string;
  /** The caller's SQL, for messages. */
  sql: string;
  /** A location Trino reported in `statement`, as a location in `sql` (undefined when it lies outside it). */
  locate(location: ErrorLocation): ErrorLocation | undefined;
  /** The bound values as text, to scrub from anything Trino says back (its messages may quote a value). */
  values: string[];
}

/** A statement without parameters: sent as written. */
export function unboundStatement(sql: string): BoundStatement {
  return { statement: sql, sql, locate: (location) => location, values: [] };
}

export function bindParameters(sql: string, params: readonly TrinoParameter[]): BoundStatement {
  const placeholders = countPlaceholders(sql);
  if (placeholders !== params.length) {
    throw new DataplatError({
      code: 'TRINO_INVALID_PARAMETER',
      message: `The SQL has ${placeholders} ? placeholder(s) but ${params.length} parameter(s) were given.`,
      hint: 'Pass exactly one value per ?.',
    });
  }
  const literals = params.map((value, index) => toSqlLiteral(value, index));
  const sqlLines = sql.split('\n');
  return {
    statement: `${executeImmediatePrefix}${sql.replaceAll("'", "''")}' USING ${literals.join(', ')}`,
    sql,
    // Trino parses the inner statement on its own, offset by where the string literal starts: its first
    // line shifted right by the prefix, later lines as they are (the literal's text, quotes undoubled).
    locate: ({ lineNumber, columnNumber }) => {
      const columnInSql = lineNumber === 1 ? columnNumber - executeImmediatePrefix.length : columnNumber;
      const line = sqlLines[lineNumber - 1];
      if (line === undefined || columnInSql < 1 || columnInSql > line.length + 1) return undefined;
      return { lineNumber, columnNumber: columnInSql };
    },
    values: params.flatMap(function textOf(value): string[] {
      if (typeof value === 'string') return [value];
      if (Array.isArray(value)) return (value as readonly TrinoParameter[]).flatMap(textOf);
      return [];
    }),
  };
}

/** `?` outside quotes, identifiers and comments. */
function countPlaceholders(sql: string): number {
  let count = 0;
  for (let index = 0; index < sql.length; index++) {
    const character = sql[index];
    if (character === "'" || character === '"') {
      const close = sql.indexOf(character, index + 1);
      index = close < 0 ? sql.length : close;
    } else if (character === '-' && sql[index + 1] === '-') {
      const end = sql.indexOf('\n', index);
      index = end < 0 ? sql.length : end;
    } else if (character === '/' && sql[index + 1] === '*') {
      const end = sql.indexOf('*/', index + 2);
      index = end < 0 ? sql.length : end + 1;
    } else if (character === '?') count++;
  }
  return count;
}
