// Exact decoding of Trino values, driven by each column's type signature. Trino sends bigint as a JSON
// number (exact only up to 2^53), decimal as a string, varbinary as base64 and rows as positional
// arrays; here bigint becomes a JS bigint, decimal stays an exact string (or goes through your decoder),
// varbinary becomes bytes, rows become objects with their field names, maps become Maps with typed keys.
import type { TypeSignature } from '../client/protocol.ts';

export type Decoder = (value: unknown) => unknown;

export interface DecodeOptions {
  /** Turns a decimal's exact text into your type (e.g. a decimal library). Default: keep the string. */
  decimal?: ((text: string) => unknown) | undefined;
}

const asNumber: Decoder = (value) => (typeof value === 'number' ? value : Number(value));
/**
 * Thrown (not as an error: caught inside the client) when a bigint arrived as a JSON number beyond 2^53,
 * which the fast JSON.parse rounded: the rows are then parsed again keeping every number's source text.
 */
export const precisionLost = Symbol('precisionLost');
function lost(): never {
  throw precisionLost;
}
const asBigInt: Decoder = (value) => (typeof value === 'number' && !Number.isSafeInteger(value) ? lost() : BigInt(value as string | number));
const asBoolean: Decoder = (value) => value === true || value === 'true';
const asString: Decoder = (value) => (typeof value === 'string' ? value : String(value));
const asBytes: Decoder = (value) => {
  const buffer = Buffer.from(value as string, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
};

/** A decoder for one value of the given type; nulls stay null. */
export function decoderFor(signature: TypeSignature, options: DecodeOptions = {}): Decoder {
  const inner = rawDecoder(signature, options);
  return (value) => (value === null || value === undefined ? null : inner(value));
}

function rawDecoder(signature: TypeSignature, options: DecodeOptions): Decoder {
  switch (signature.rawType) {
    case 'boolean':
      return asBoolean;
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
      // "NaN", "Infinity" and "-Infinity" arrive as strings; Number() reads them.
      return asNumber;
    case 'bigint':
      return asBigInt;
    case 'decimal':
    case 'number': {
      const decimal = options.decimal;
      return decimal ? (value) => decimal(String(value)) : asString;
    }
    case 'varbinary':
      return asBytes;
    case 'array': {
      const element = decoderFor(typeArgument(signature, 0), options);
      return (value) => (value as unknown[]).map(element);
    }
    case 'map': {
      const key = decoderFor(typeArgument(signature, 0), options);
      const element = decoderFor(typeArgument(signature, 1), options);
      // JSON object keys are strings; Map keeps the key type (bigint, number, …) exact.
      return (value) => new Map(Object.entries(value as Record<string, unknown>).map(([name, inner]) => [key(name), element(inner)]));
    }
    case 'row':
      return rowDecoder(signature, options);
    default:
      // varchar, char, json, uuid, ipaddress, date, time, timestamp (with precision and zone, exactly as
      // Trino prints them), intervals, geometry (WKT), …: the text is the exact value.
      return asString;
  }
}

function typeArgument(signature: TypeSignature, index: number): TypeSignature {
  return signature.arguments[index]!.value as TypeSignature;
}

interface NamedType {
  fieldName?: { name: string } | null;
  typeSignature: TypeSignature;
}

function rowDecoder(signature: TypeSignature, options: DecodeOptions): Decoder {
  const fields = signature.arguments.map((argument, index) => {
    const named = argument.value as NamedType;
    return { name: named.fieldName?.name ?? `_${index + 1}`, decode: decoderFor(named.typeSignature, options) };
  });
  return (value) => {
    const values = value as unknown[];
    const row: Record<string, unknown> = {};
    for (let index = 0; index < fields.length; index++) row[fields[index]!.name] = fields[index]!.decode(values[index]);
    return row;
  };
}

/** Whether a type (or anything nested in it) is bigint, i.e. whether JSON numbers may exceed 2^53. */
export function containsBigint(signature: TypeSignature): boolean {
  if (signature.rawType === 'bigint') return true;
  return signature.arguments.some((argument) => {
    if (argument.kind === 'TYPE') return containsBigint(argument.value as TypeSignature);
    if (argument.kind === 'NAMED_TYPE') return containsBigint((argument.value as NamedType).typeSignature);
    return false;
  });
}

// A JSON number token of 16+ digits right after `[` or `,`: the only way a value can exceed 2^53.
// (Inside a string it is a false alarm, which only costs the slower exact parse.)
const longInteger = /[[,]-?\d{16}/;

/**
 * Parses a page of Trino's JSON. Only when a bigint column is present and the text holds a number
 * too long for a double does it use the (10× slower) parse that keeps every number's source text.
 */
export function parsePage(text: string, mayHoldBigints: boolean): unknown {
  if (mayHoldBigints && longInteger.test(text)) return parseExact(text);
  return JSON.parse(text);
}

/** JSON.parse that keeps the source text of every number (10× slower than the native parse). */
export function parseExact(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => (typeof value === 'number' && context?.source !== undefined ? context.source : value));
}

/**
 * How a generated row function decodes a column's value: the one table both row shapes (objects, tuples) read.
 * `number`: a JSON number, or "NaN"/"Infinity" as a string; `bigint`: exact (a number past 2^53 means the fast
 * parse rounded it); `decoder`: the column's own decoder; `text`: Trino's JSON value is already the string.
 */
function inlineKind(signature: TypeSignature, options: DecodeOptions): 'number' | 'bigint' | 'decoder' | 'text' {
  switch (signature.rawType) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'real':
    case 'double':
      return 'number';
    case 'bigint':
      return 'bigint';
    case 'boolean':
    case 'varbinary':
    case 'array':
    case 'map':
    case 'row':
      return 'decoder';
    case 'decimal':
    case 'number':
      return options.decimal ? 'decoder' : 'text';
    default:
      return 'text';
  }
}

/** The expression that decodes value `v[index]` (object rows). */
function inlineDecoding(signature: TypeSignature, options: DecodeOptions, index: number): string {
  const value = `v[${index}]`;
  switch (inlineKind(signature, options)) {
    case 'number':
      return `(typeof ${value} === 'number' ? ${value} : ${value} == null ? null : Number(${value}))`;
    case 'bigint':
      return `(${value} == null ? null : typeof ${value} === 'number' && !Number.isSafeInteger(${value}) ? lost() : BigInt(${value}))`;
    case 'decoder':
      return `d[${index}](${value})`;
    case 'text':
      return `(typeof ${value} === 'string' ? ${value} : ${value} == null ? null : String(${value}))`;
  }
}

/** The statement that decodes `v[index]` in place (tuples): only a value that is not already the decoded one is replaced. */
function inPlaceDecoding(signature: TypeSignature, options: DecodeOptions, index: number): string {
  const value = `v[${index}]`;
  switch (inlineKind(signature, options)) {
    case 'number':
      return `if (typeof ${value} !== 'number' && ${value} !== null) ${value} = Number(${value});`;
    case 'bigint':
      return `if (${value} !== null) ${value} = ${inlineDecoding(signature, options, index)};`;
    case 'decoder':
      return `${value} = d[${index}](${value});`;
    case 'text':
      return `if (typeof ${value} !== 'string' && ${value} !== null) ${value} = String(${value});`;
  }
}

/**
 * A function that turns one row of Trino's JSON (positional values) into a decoded row: an object keyed
 * by column name, or a tuple. Generated once per query, so each row is one object literal of a fixed shape
 * with the simple conversions inline — several times faster than assigning keys one by one. A tuple is the
 * parsed array itself, its values that need a conversion (bigint, NaN, booleans, bytes, nested types)
 * replaced in place: no second array per row (the rows' arrays are the client's own, fresh from JSON.parse).
 */
export function rowBuilder(columns: ReadonlyArray<{ name: string; typeSignature: TypeSignature }>, options: DecodeOptions, mode: 'object' | 'array'): (values: unknown[]) => unknown {
  const decoders = columns.map((column) => decoderFor(column.typeSignature, options));
  // Built value by value: for `__proto__` (as a key of a literal it would set the prototype), and where the process
  // forbids generating code (node --disallow-code-generation-from-strings, a CSP without unsafe-eval).
  const valueByValue = (): ((values: unknown[]) => unknown) =>
    mode === 'array'
      ? (values) => decoders.map((decode, index) => decode(values[index]))
      : (values) => {
          const row: Record<string, unknown> = {};
          for (let index = 0; index < columns.length; index++) Object.defineProperty(row, columns[index]!.name, { value: decoders[index]!(values[index]), enumerable: true, writable: true, configurable: true });
          return row;
        };
  if (mode === 'object' && columns.some((column) => column.name === '__proto__')) return valueByValue();
  // Keys are JSON string literals (valid JavaScript string literals): no column name can break out of them.
  const body =
    mode === 'array'
      ? // A row of another length than the columns' (never from Trino) is copied, so a tuple always has one value a column.
        `(v) => { if (v.length !== ${columns.length}) return copy(v); ${columns.map((column, index) => inPlaceDecoding(column.typeSignature, options, index)).join(' ')} return v; }`
      : `(v) => ({ ${columns.map((column, index) => `${JSON.stringify(column.name)}: ${inlineDecoding(column.typeSignature, options, index)}`).join(', ')} })`;
  try {
    const build = new Function('d', 'lost', 'copy', `return ${body};`) as (decoders: Decoder[], onLost: () => never, copy: (values: unknown[]) => unknown) => (values: unknown[]) => unknown;
    return build(decoders, lost, valueByValue());
  } catch (error) {
    if (error instanceof EvalError) return valueByValue();
    throw error;
  }
}
