// Bounded-memory decoding of Trino's row JSON: a page's `data` or a segment is a JSON array of rows,
// up to 16 MB for a segment. Parsing it whole makes every row (and a string as big as the text) live at
// once; here the bytes stay as they arrived (outside V8's heap) and are parsed a slice of rows at a time,
// with the native JSON.parse. A slice ends at a `],[` between two rows; as a cut inside a string or a
// nested array leaves a slice that is not valid JSON (an unterminated string, unbalanced brackets), a
// slice that parses proves its cut right, and one that does not is extended to the next candidate.
import { DataplatError } from '@dataplat/core';

/** Slices are about this many bytes of JSON: small enough that their text and rows die young in V8. */
export const defaultSliceBytes = 96 * 1024;

const rowSeparator = Buffer.from('],[');
const openBracket = 0x5b;
const closeBracket = 0x5d;

/**
 * The rows of the JSON array spanning bytes[open] (`[`) to bytes[close] (`]`), slice by slice. `parse`
 * turns a slice's text (itself a JSON array of rows) into rows. The bytes are briefly modified (a `,`
 * becomes a bracket while a slice is read) and restored.
 */
export function* rowSlices(bytes: Buffer, open: number, close: number, parse: (text: string) => unknown, sliceBytes = defaultSliceBytes): Generator<unknown[][], void> {
  if (bytes[open] !== openBracket || bytes[close] !== closeBracket) throw notRows();
  if (close - open <= 1) return; // []
  let start = open; // `[` or the `,` before the slice's first row
  let searchFrom = start + sliceBytes;
  let failedCuts = 0;
  for (;;) {
    // The rest at once when it is small, or when cuts keep falling inside strings or nested arrays.
    let cut = failedCuts > 2 || close - start <= sliceBytes ? -1 : bytes.indexOf(rowSeparator, searchFrom);
    if (cut >= close) cut = -1;
    const end = cut === -1 ? close : cut + 1;
    const rows = parseSlice(bytes, start, end, parse, cut !== -1);
    if (rows === undefined) {
      failedCuts++;
      searchFrom = cut + 1;
      continue;
    }
    if (!Array.isArray(rows)) throw notRows();
    yield rows as unknown[][];
    if (end === close) return;
    start = end;
    searchFrom = start + sliceBytes;
    failedCuts = 0;
  }
}

/** Parses bytes[start..end] with brackets put at both ends; undefined when a trial cut proved wrong. */
function parseSlice(bytes: Buffer, start: number, end: number, parse: (text: string) => unknown, trial: boolean): unknown {
  const before = bytes[start]!;
  const after = bytes[end]!;
  bytes[start] = openBracket;
  bytes[end] = closeBracket;
  let text: string;
  try {
    text = bytes.toString('utf8', start, end + 1);
  } finally {
    bytes[start] = before;
    bytes[end] = after;
  }
  if (!trial) return parse(text);
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function notRows(): DataplatError {
  return new DataplatError({ code: 'TRINO_PROTOCOL', message: 'Trino sent rows that are not a JSON array of rows.' });
}

export interface SplitPage {
  /** The page without its `data` (id, nextUri, columns, stats, error, …). */
  page: Record<string, unknown>;
  /** Where the `data` array is: bytes[open] is its `[`, bytes[close] its `]`. */
  data: { open: number; close: number } | undefined;
}

const dataKey = Buffer.from(',"data":[');
const statsKey = Buffer.from('],"stats":');

/**
 * A direct-protocol page split into its fields and the span of its rows, without parsing the rows. Trino
 * writes `data` between `columns` and `stats`; each part is proven by parsing (a match inside a string
 * leaves an unterminated one). Anything else (no data, another layout) is parsed whole.
 */
export function splitPage(bytes: Buffer, parse: (text: string) => unknown): SplitPage {
  const dataAt = bytes.indexOf(dataKey);
  const statsAt = dataAt === -1 ? -1 : bytes.lastIndexOf(statsKey);
  if (dataAt !== -1 && statsAt > dataAt) {
    try {
      const head = JSON.parse(`${bytes.toString('utf8', 0, dataAt)}}`) as Record<string, unknown>;
      const tail = JSON.parse(`{${bytes.toString('utf8', statsAt + 2)}`) as Record<string, unknown>;
      return { page: { ...head, ...tail }, data: { open: dataAt + dataKey.length - 1, close: statsAt } };
    } catch {
      // not where they seemed: read it whole
    }
  }
  const page = parse(bytes.toString('utf8')) as Record<string, unknown>;
  return { page, data: undefined };
}

/**
 * Frees the memory of bytes that were read, now: detaches their ArrayBuffer when they are the whole of it.
 * A page or segment held while its rows are read outlives V8's young generation, so its bytes would
 * otherwise wait for a full garbage collection (external memory grows by up to 64 MB before one starts).
 */
export function freeBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  // Only bytes the client received or decompressed into an ArrayBuffer of their own (at least 64 KB: never
  // a slice of Buffer's shared pool, which serves allocations under 4 KB); zlib's may have a spare byte at the end.
  if (buffer instanceof ArrayBuffer && !buffer.detached && bytes.byteOffset === 0 && buffer.byteLength - bytes.byteLength <= 1 && buffer.byteLength >= 64 * 1024) buffer.transfer(0);
}
