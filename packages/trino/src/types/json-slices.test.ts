// Slice-by-slice parsing of row JSON must give exactly the rows of a whole parse, wherever `],[` appears
// inside strings or nested arrays, and must leave the bytes as they were.
import { describe, expect, it } from 'vitest';
import { rowSlices, splitPage } from './json-slices.ts';

function sliced(json: string, sliceBytes: number): unknown[][] {
  const bytes = Buffer.from(json);
  const copy = Buffer.from(bytes);
  const slices = [...rowSlices(bytes, 0, bytes.length - 1, (text) => JSON.parse(text), sliceBytes)];
  expect(bytes.equals(copy)).toBe(true);
  return slices.flat();
}

describe('rowSlices', () => {
  it('gives the rows of a whole parse, in slices of about the asked size', () => {
    const rows = Array.from({ length: 500 }, (_, index) => [index, `comment ${index}`, index % 7 === 0 ? null : 1.5 * index]);
    const json = JSON.stringify(rows);
    const bytes = Buffer.from(json);
    const slices = [...rowSlices(bytes, 0, bytes.length - 1, (text) => JSON.parse(text), 1024)];
    expect(slices.length).toBeGreaterThan(10);
    expect(slices.flat()).toEqual(rows);
  });

  it('is not fooled by "],[" inside strings or by nested arrays and rows', () => {
    const rows = Array.from({ length: 300 }, (_, index) => [index, `a],[b"],["c ${index} \\],[`, [[index], [index + 1]], [['x'], ['y', [1, 2]]], 'é✓ ],[ 漢字']);
    const json = JSON.stringify(rows);
    for (const size of [1, 7, 64, 300, 5000]) expect(sliced(json, size)).toEqual(rows);
  });

  it('reads an empty array and a single row', () => {
    expect(sliced('[]', 16)).toEqual([]);
    expect(sliced('[[1,"x"]]', 1)).toEqual([[1, 'x']]);
  });

  it('fails on bytes that are not an array', () => {
    const bytes = Buffer.from('{"a":1}');
    expect(() => [...rowSlices(bytes, 0, bytes.length - 1, JSON.parse)]).toThrow(/not a JSON array of rows/);
  });
});

describe('splitPage', () => {
  it('parses the fields of a direct page apart from the span of its rows', () => {
    // The keys' quotes are escaped inside strings, so a column name or a row or a warning that spells them changes nothing.
    const pages = [
      { id: 'q1', nextUri: 'http://x/1', columns: [{ name: ',"data":[', type: 'varchar' }], data: [['a'], ['],"stats":']], stats: { state: 'RUNNING' }, warnings: [{ message: '],"stats":{}' }] },
      { id: 'q2', columns: [{ name: 'n' }], data: [[1], [2]], stats: { state: 'FINISHED' } },
    ];
    for (const page of pages) {
      const bytes = Buffer.from(JSON.stringify(page));
      const split = splitPage(bytes, JSON.parse);
      const { data, ...fields } = page;
      expect(split.page).toEqual(fields);
      expect(JSON.parse(bytes.toString('utf8', split.data!.open, split.data!.close + 1))).toEqual(data);
    }
    expect(splitPage(Buffer.from('{"id":"q3","stats":{}}'), JSON.parse)).toEqual({ page: { id: 'q3', stats: {} }, data: undefined });
  });
});
