// The spooling protocol's data: instead of rows, a page carries segments — inline (base64 in the page)
// or spooled (a URL of object storage, fetched directly, then acknowledged). A segment's bytes are the
// rows as JSON, compressed with zstd or as a raw LZ4 block when `uncompressedSize` is given.
import { zstdDecompressSync } from 'node:zlib';
import { DataplatError } from '@dataplat/core';

export interface SegmentMetadata {
  rowOffset: number;
  rowsCount: number;
  segmentSize: number;
  /** Present exactly when the segment is compressed. */
  uncompressedSize?: number;
  expiresAt?: string;
}

export type Segment =
  | { type: 'inline'; data: string; metadata: SegmentMetadata }
  | { type: 'spooled'; uri: string; ackUri?: string; headers?: Record<string, string[]>; metadata: SegmentMetadata };

export interface SpooledData {
  encoding: string;
  segments: Segment[];
}

export function isSpooledData(data: unknown): data is SpooledData {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && Array.isArray((data as SpooledData).segments);
}

/** Encodings this client decodes, in order of preference. */
export const supportedEncodings = ['json+zstd', 'json+lz4', 'json'] as const;
export type SpoolingEncoding = (typeof supportedEncodings)[number];

/** The JSON bytes of a segment (decompressed when it is compressed). */
export function segmentJson(encoding: string, bytes: Uint8Array, metadata: SegmentMetadata): Buffer {
  let json: Uint8Array = bytes;
  if (metadata.uncompressedSize !== undefined) {
    // One output chunk of the known size: by default zlib collects 16 KB chunks and copies them into one buffer (twice the memory).
    if (encoding === 'json+zstd') json = zstdDecompressSync(bytes, { chunkSize: Math.max(64, metadata.uncompressedSize + 1) });
    else if (encoding === 'json+lz4') json = lz4BlockDecompress(bytes, metadata.uncompressedSize);
    else if (encoding !== 'json') throw unsupported(encoding);
  } else if (!(supportedEncodings as readonly string[]).includes(encoding)) {
    throw unsupported(encoding);
  }
  return Buffer.from(json.buffer, json.byteOffset, json.byteLength);
}

/** The JSON text of a segment's bytes. */
export function segmentText(encoding: string, bytes: Uint8Array, metadata: SegmentMetadata): string {
  return segmentJson(encoding, bytes, metadata).toString('utf8');
}

function unsupported(encoding: string): DataplatError {
  return new DataplatError({ code: 'TRINO_PROTOCOL', message: `Trino sent segments in encoding "${encoding}", which this client does not decode.`, hint: `Ask for one of ${supportedEncodings.join(', ')}.` });
}

/** Decompresses one raw LZ4 block (no frame) of known decompressed size. */
export function lz4BlockDecompress(input: Uint8Array, outputSize: number): Uint8Array {
  const output = new Uint8Array(outputSize);
  let inputIndex = 0;
  let outputIndex = 0;
  while (inputIndex < input.length) {
    const token = input[inputIndex++]!;
    let literalLength = token >>> 4;
    if (literalLength === 15) {
      let extra: number;
      do {
        extra = input[inputIndex++]!;
        literalLength += extra;
      } while (extra === 255);
    }
    output.set(input.subarray(inputIndex, inputIndex + literalLength), outputIndex);
    inputIndex += literalLength;
    outputIndex += literalLength;
    if (inputIndex >= input.length) break; // the last sequence has only literals
    const offset = input[inputIndex]! | (input[inputIndex + 1]! << 8);
    inputIndex += 2;
    if (offset === 0 || offset > outputIndex) throw corrupt();
    let matchLength = token & 15;
    if (matchLength === 15) {
      let extra: number;
      do {
        extra = input[inputIndex++]!;
        matchLength += extra;
      } while (extra === 255);
    }
    matchLength += 4;
    // Byte by byte: a match may overlap the bytes it produces (run-length style).
    for (let from = outputIndex - offset, end = outputIndex + matchLength; outputIndex < end; ) output[outputIndex++] = output[from++]!;
  }
  if (outputIndex !== outputSize) throw corrupt();
  return output;
}

function corrupt(): DataplatError {
  return new DataplatError({ code: 'TRINO_PROTOCOL', message: 'A spooled segment is not a valid LZ4 block.' });
}
