// SQL literals for parameter binding (EXECUTE IMMEDIATE … USING …): every value is rendered as a
// typed literal with its quotes escaped, so a parameter can never change the statement's structure.
import { DataplatError } from '@dataplat/core';

// Module-private: only literal() can make a raw literal. An object of the same shape parsed from JSON
// (user input) has no such key, so it is refused instead of being inserted raw (issue 14, finding 6).
const rawLiteral: unique symbol = Symbol('dataplat.trino.raw-literal');

/** A literal built with `literal()`: its SQL goes into the statement as written. */
export interface TrinoLiteral {
  readonly [rawLiteral]: string;
}

export type TrinoParameter = string | number | bigint | boolean | null | Date | Uint8Array | readonly TrinoParameter[] | TrinoLiteral;

/** A literal you build yourself, e.g. `literal("TIMESTAMP '2026-11-21 10:00:00.123456 Europe/Paris'")`. Never pass user input here. */
export function literal(sql: string): TrinoLiteral {
  if (typeof sql !== 'string') throw invalid(0, `literal(${typeof sql})`);
  return Object.freeze({ [rawLiteral]: sql });
}

export function toSqlLiteral(value: TrinoParameter, position: number): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Number.isSafeInteger(value)) return String(value);
    if (Number.isNaN(value)) return 'nan()';
    if (!Number.isFinite(value)) return value > 0 ? 'infinity()' : '-infinity()';
    return `DOUBLE '${value}'`;
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalid(position, 'an invalid Date');
    return `TIMESTAMP '${value.toISOString().replace('T', ' ').replace('Z', '')} UTC'`;
  }
  if (value instanceof Uint8Array) return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
  if (Array.isArray(value)) return `ARRAY[${value.map((item: TrinoParameter) => toSqlLiteral(item, position)).join(', ')}]`;
  if (typeof value === 'object' && Object.hasOwn(value, rawLiteral)) return (value as TrinoLiteral)[rawLiteral];
  throw invalid(position, typeof value === 'object' ? 'an object that literal() did not make' : typeof value);
}

function invalid(position: number, what: string): DataplatError {
  return new DataplatError({
    code: 'TRINO_INVALID_PARAMETER',
    message: `Query parameter ${position + 1} is ${what}, which has no Trino literal.`,
    hint: 'Pass a string, number, bigint, boolean, null, Date, Uint8Array, array of those, or literal("…") for SQL you wrote yourself.',
  });
}
