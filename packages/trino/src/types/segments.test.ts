// Spooled segments: LZ4 and zstd decompression and the text they hold.
import { zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { lz4BlockDecompress, segmentText } from './segments.ts';

describe('segments', () => {
  it('decompresses raw LZ4 blocks, including overlapping matches', () => {
    // "abc" as literals, then a 6-byte match at offset 3 (overlapping), then an empty last sequence.
    const block = new Uint8Array([0x32, 0x61, 0x62, 0x63, 0x03, 0x00, 0x00]);
    expect(Buffer.from(lz4BlockDecompress(block, 9)).toString()).toBe('abcabcabc');
    // Literal length 15 + 5 (extension byte).
    const long = new Uint8Array([0xf0, 0x05, ...Buffer.from('twenty characters!!!')]);
    expect(Buffer.from(lz4BlockDecompress(long, 20)).toString()).toBe('twenty characters!!!');
  });

  it('refuses corrupt LZ4 input instead of returning partial rows', () => {
    expect(() => lz4BlockDecompress(new Uint8Array([0x32, 0x61, 0x62, 0x63, 0x09, 0x00, 0x00]), 9)).toThrow(/not a valid LZ4 block/);
    expect(() => lz4BlockDecompress(new Uint8Array([0x30, 0x61, 0x62, 0x63]), 9)).toThrow(/not a valid LZ4 block/);
  });

  it('reads zstd and uncompressed segments; compression only when uncompressedSize is present', () => {
    const json = '[[1,"a"],[2,"b"]]';
    const metadata = { rowOffset: 0, rowsCount: 2, segmentSize: 0 };
    expect(segmentText('json+zstd', zstdCompressSync(json), { ...metadata, uncompressedSize: json.length })).toBe(json);
    expect(segmentText('json+zstd', Buffer.from(json), metadata)).toBe(json);
    expect(() => segmentText('arrow+zstd', Buffer.from(json), metadata)).toThrow(/does not decode/);
  });
});
