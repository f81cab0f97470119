// Decoding Trino's JSON values into exact JavaScript values for every type.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TypeSignature } from '../client/protocol.ts';
import { containsBigint, decoderFor, parsePage, rowBuilder } from './decoders.ts';

const type = (rawType: string, ...arguments_: TypeSignature['arguments']): TypeSignature => ({ rawType, arguments: arguments_ });
const typeArgument = (signature: TypeSignature) => ({ kind: 'TYPE' as const, value: signature });
const field = (name: string | null, signature: TypeSignature) => ({ kind: 'NAMED_TYPE' as const, value: { fieldName: name === null ? null : { name }, typeSignature: signature } });

describe('parsePage', () => {
  it('keeps integers beyond 2^53 exact when a bigint column may hold them', () => {
    const page = parsePage('{"data":[[9223372036854775807,"9223372036854775807",1.5]]}', true) as { data: unknown[][] };
    expect(page.data[0]).toEqual(['9223372036854775807', '9223372036854775807', '1.5']);
    expect(decoderFor(type('bigint'))(page.data[0]![0])).toBe(9223372036854775807n);
    expect(decoderFor(type('double'))(page.data[0]![2])).toBe(1.5);
  });

  it('uses the fast native parse when no number is long enough to lose precision', () => {
    const page = parsePage('{"data":[[900719925474099,2.5]]}', true) as { data: unknown[][] };
    expect(page.data[0]).toEqual([900719925474099, 2.5]);
    expect(decoderFor(type('bigint'))(page.data[0]![0])).toBe(900719925474099n);
  });
});

describe('decoderFor', () => {
  it('reads NaN and infinities of doubles, keeps decimals exact, turns base64 into bytes', () => {
    const double = decoderFor(type('double'));
    expect([double('NaN'), double('Infinity'), double('-Infinity'), double(0.1)]).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.1]);
    expect(decoderFor(type('decimal', { kind: 'LONG', value: 38 }, { kind: 'LONG', value: 2 }))('123456789012345678901234567890123456.78')).toBe('123456789012345678901234567890123456.78');
    expect(decoderFor(type('decimal'), { decimal: (text) => ({ exact: text }) })('1.10')).toEqual({ exact: '1.10' });
    expect(decoderFor(type('varbinary'))('AP8Q')).toEqual(new Uint8Array([0, 255, 16]));
    expect(decoderFor(type('boolean'))('true')).toBe(true);
  });

  it('decodes maps into Maps with typed keys and rows into objects (positional names when unnamed)', () => {
    const map = decoderFor(type('map', typeArgument(type('bigint')), typeArgument(type('array', typeArgument(type('integer'))))));
    expect(map({ '9007199254740993': [1, null], '-2': [] })).toEqual(
      new Map<bigint, unknown>([
        [9007199254740993n, [1, null]],
        [-2n, []],
      ]),
    );
    const row = decoderFor(type('row', field('id', type('bigint')), field(null, type('varchar'))));
    expect(row([7, 'x'])).toEqual({ id: 7n, _2: 'x' });
    expect(row(null)).toBeNull();
  });

  it('finds bigint anywhere in a nested type', () => {
    expect(containsBigint(type('row', field('a', type('array', typeArgument(type('bigint'))))))).toBe(true);
    expect(containsBigint(type('map', typeArgument(type('varchar')), typeArgument(type('double'))))).toBe(false);
  });
});

describe('rowBuilder', () => {
  const columns = [
    { name: 'id', typeSignature: type('bigint') },
    { name: 'price', typeSignature: type('decimal') },
    { name: 'ratio', typeSignature: type('double') },
    { name: 'it\'s "quoted"\u2028', typeSignature: type('varchar') },
    { name: 'tags', typeSignature: type('array', typeArgument(type('bigint'))) },
    { name: 'flag', typeSignature: type('boolean') },
  ];
  const values = ['9223372036854775807', '12.30', 'NaN', 'x', [1, 2], true];

  it('builds exact rows as objects and as tuples, whatever the column names', () => {
    expect(rowBuilder(columns, {}, 'object')(values)).toEqual({ id: 9223372036854775807n, price: '12.30', ratio: Number.NaN, 'it\'s "quoted"\u2028': 'x', tags: [1n, 2n], flag: true });
    expect(rowBuilder(columns, {}, 'array')(values)).toEqual([9223372036854775807n, '12.30', Number.NaN, 'x', [1n, 2n], true]);
    expect(rowBuilder(columns, {}, 'array')([null, null, null, null, null, null])).toEqual([null, null, null, null, null, null]);
  });

  it('decodes a tuple in place: exact bigints and decimals, NaN, booleans, bytes, nested types and nulls', () => {
    const nested = [
      { name: 'id', typeSignature: type('bigint') },
      { name: 'amount', typeSignature: type('decimal', { kind: 'LONG', value: 38 }, { kind: 'LONG', value: 2 }) },
      { name: 'ratio', typeSignature: type('double') },
      { name: 'count', typeSignature: type('integer') },
      { name: 'flag', typeSignature: type('boolean') },
      { name: 'bytes', typeSignature: type('varbinary') },
      { name: 'day', typeSignature: type('date') },
      { name: 'point', typeSignature: type('row', field('x', type('bigint')), field(null, type('varchar'))) },
      { name: 'counts', typeSignature: type('map', typeArgument(type('varchar')), typeArgument(type('array', typeArgument(type('bigint'))))) },
    ];
    const build = rowBuilder(nested, {}, 'array');
    const parsed = ['-9223372036854775808', '123456789012345678901234567890123456.78', 'Infinity', 7, 'true', 'AP8Q', '2024-02-29', [9007199254740993n.toString(), 'a'], { k: [1, null] }];
    const tuple = build(parsed);
    // The same array, no copy: its values replaced where the JSON value is not the decoded one.
    expect(tuple).toBe(parsed);
    expect(tuple).toEqual([-9223372036854775808n, '123456789012345678901234567890123456.78', Number.POSITIVE_INFINITY, 7, true, new Uint8Array([0, 255, 16]), '2024-02-29', { x: 9007199254740993n, _2: 'a' }, new Map([['k', [1n, null]]])]);
    expect(build([null, null, null, null, null, null, null, null, null])).toEqual([null, null, null, null, null, null, null, null, null]);
    expect(build([1, 2.5, 'NaN', '3', false, null, null, null, {}])).toEqual([1n, '2.5', Number.NaN, 3, false, null, null, null, new Map()]);
    expect(rowBuilder(nested.slice(0, 2), { decimal: (text) => ({ exact: text }) }, 'array')(['5', '0.10'])).toEqual([5n, { exact: '0.10' }]);
  });

  it('copies a tuple whose length is not the columns\' (one value a column, missing ones null)', () => {
    const build = rowBuilder(columns.slice(0, 2), {}, 'array');
    const short = ['1'];
    const tuple = build(short);
    expect(tuple).not.toBe(short);
    expect(tuple).toEqual([1n, null]);
  });

  it('signals a bigint that JSON.parse rounded (beyond 2^53), in a tuple as in an object', () => {
    expect(() => rowBuilder(columns.slice(0, 1), {}, 'array')([2 ** 60])).toThrow();
    expect(() => rowBuilder(columns.slice(0, 1), {}, 'object')([2 ** 60])).toThrow();
    expect(rowBuilder(columns.slice(0, 1), {}, 'array')([-(2 ** 53) + 1])).toEqual([-9007199254740991n]);
  });

  it('uses your decimal decoder, keeps the last of duplicate names and never sets a prototype', () => {
    expect(rowBuilder(columns.slice(0, 2), { decimal: (text) => `decimal:${text}` }, 'object')(values)).toEqual({ id: 9223372036854775807n, price: 'decimal:12.30' });
    expect(rowBuilder([{ name: 'a', typeSignature: type('integer') }, { name: 'a', typeSignature: type('integer') }], {}, 'object')([1, 2])).toEqual({ a: 2 });
    const row = rowBuilder([{ name: '__proto__', typeSignature: type('varchar') }], {}, 'object')(['x']) as Record<string, unknown>;
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
  });
});

describe('rowBuilder where generating code is forbidden', () => {
  it('builds the same rows value by value (node --disallow-code-generation-from-strings)', () => {
    const decoders = join(import.meta.dirname, 'decoders.ts');
    const script = `
      const { rowBuilder } = await import(${JSON.stringify(pathToFileURL(decoders).href)});
      const type = (rawType, ...typeArguments) => ({ rawType, arguments: typeArguments });
      const columns = [{ name: 'id', typeSignature: type('bigint') }, { name: 'name', typeSignature: type('varchar') }];
      const rows = [rowBuilder(columns, {}, 'object')(['9223372036854775807', 'x']), rowBuilder(columns, {}, 'array')(['1', null])];
      let generated = 'allowed';
      try { new Function('return 1'); } catch (error) { generated = error.name; }
      console.log(JSON.stringify({ generated, rows }, (key, value) => (typeof value === 'bigint' ? value + 'n' : value)));`;
    const child = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--conditions=@dataplat/source', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ generated: 'EvalError', rows: [{ id: '9223372036854775807n', name: 'x' }, ['1n', null]] });
  });
});
