// Expected vs what came out: counts, content (text, regex, JSON, JSON paths, records) and attributes, each failure
// saying what differed with a line diff where there is something to compare.
import { describe, expect, it } from 'vitest';
import type { FlowTestExpectation } from './load-test-file.ts';
import { lineDiff, matchBulletins, matchExpectation, parseJsonContent, readJsonPath, type ObservedFlowFile } from './match-expectations.ts';

const expectation = (fields: Partial<FlowTestExpectation>): FlowTestExpectation => ({ at: 'store', point: { kind: 'capture', processor: 'store' }, count: undefined, content: undefined, attributes: {}, line: 12, ...fields });
const flowFile = (content: string, attributes: Record<string, string> = {}): ObservedFlowFile => ({ uuid: 'u', size: Buffer.byteLength(content), content, attributes: { uuid: 'u', filename: 'f', path: './', ...attributes } });
const reading = '[{"sensor_id":"s-1","pm25":12.5,"above_who_pm25":false,"batch":"b-1"}]';

describe('matchExpectation', () => {
  it('counts: exactly `count`, or at least one; saying what came instead', () => {
    expect(matchExpectation(expectation({ count: 1 }), [flowFile('a')], false)).toEqual([]);
    expect(matchExpectation(expectation({}), [flowFile('a'), flowFile('b')], false)).toEqual([]);
    expect(matchExpectation(expectation({}), [], false)).toEqual([{ at: 'store', message: 'Expected at least 1 flowfile(s) at store, got 0.', line: 12 }]);
    expect(matchExpectation(expectation({ count: 0 }), [flowFile('x', { batch: 'b' })], false)).toEqual([
      { at: 'store', message: 'Expected 0 flowfile(s) at store, got 1.', diff: 'flowfile 1: 1 byte(s) "x", attributes {"batch":"b"}', line: 12 },
    ]);
    expect(matchExpectation(expectation({ count: 100 }), [flowFile('x')], true)[0]!.message).toMatch(/^More flowfiles than NiFi lists at once came out here/);
  });

  it('content as text: equals with a line diff, contains, matches', () => {
    expect(matchExpectation(expectation({ content: { equals: 'a\nb\n', contains: ['a', 'b'], matches: '^a\\nb' } }), [flowFile('a\nb\n')], false)).toEqual([]);
    const failures = matchExpectation(expectation({ content: { equals: 'one\ntwo', contains: 'three', matches: '^\\d+$' } }), [flowFile('one\n2')], false);
    expect(failures.map((failure) => failure.message)).toEqual(['Content differs', 'Content does not contain "three": "one\\n2"', 'Content does not match /^\\d+$/: "one\\n2"']);
    expect(failures[0]!.diff).toBe('  one\n- two\n+ 2');
  });

  it('content as JSON: the whole value (numbers as numbers, key order ignored), values at JSON paths, records', () => {
    const content = { json: [{ batch: 'b-1', above_who_pm25: false, pm25: 12.5, sensor_id: 's-1' }], fields: { '$[0].pm25': 12.5, '[0].sensor_id': 's-1' }, records: [{ sensor_id: 's-1', above_who_pm25: false }] };
    expect(matchExpectation(expectation({ content }), [flowFile(reading)], false)).toEqual([]);
    const failures = matchExpectation(expectation({ content: { fields: { '$[0].pm25': 80, '$[1].pm25': 1 }, records: [{ sensor_id: 's-1', above_who_pm25: true }, { sensor_id: 's-2' }] } }), [flowFile(reading)], false);
    expect(failures.map((failure) => failure.message)).toEqual([
      'At $[0].pm25: expected 80, got 12.5',
      'No value at JSON path $[1].pm25 in "[{\\"sensor_id\\":\\"s-1\\",\\"pm25\\":12.5,\\"above_who_pm25\\":false,\\"batch\\":\\"b-1\\"}]"',
      'Records differ (2 expected, 1 came); fields not listed are not compared',
    ]);
    expect(failures[2]!.diff).toBe(['  [', '    {', '-     "above_who_pm25": true,', '+     "above_who_pm25": false,', '      "sensor_id": "s-1"', '-   },', '-   {', '-     "sensor_id": "s-2"', '    }', '  ]'].join('\n'));
    expect(matchExpectation(expectation({ content: { json: 1 } }), [flowFile('not json')], false).map((failure) => failure.message)).toEqual(['Content is not JSON (or JSON lines): "not json"']);
  });

  it('attributes: a value, a regex over the whole value, set or absent — in one failure per flowfile with a diff', () => {
    const attributes = { batch: 'b-1', 'validation.details': { matches: '.*\\[/pm25\\]' }, 'mime.type': { exists: true }, 'failure.reason': { exists: false } } as const;
    expect(matchExpectation(expectation({ attributes }), [flowFile('x', { batch: 'b-1', 'validation.details': 'bad: [/pm25]', 'mime.type': 'application/json' })], false)).toEqual([]);
    const failures = matchExpectation(expectation({ attributes }), [flowFile('x', { batch: 'b-2', 'validation.details': 'bad: [/pm25] and more', 'failure.reason': 'oops' })], false);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toBe(
      'Attributes differ: batch is "b-2", expected "b-1"; validation.details is "bad: [/pm25] and more", expected to match /.*\\[/pm25\\]/; mime.type is absent; failure.reason is set ("oops") but should be absent.',
    );
    expect(failures[0]!.diff).toContain('-   "batch": "b-1",\n');
    expect(failures[0]!.diff).toContain('+   "batch": "b-2",\n');
    expect(matchExpectation(expectation({ attributes: { batch: 'b-1' } }), [flowFile('x', { batch: 'b-1' }), flowFile('y')], false)[0]!.message).toBe('Attributes differ (flowfile 2 of 2): batch is absent, expected "b-1".');
  });
});

describe('matchBulletins', () => {
  const raised = [
    { level: 'ERROR', source: 'validate', message: 'ValidateRecord[id=1] Failed to process FlowFile; will route to failure:\n  MalformedRecordException: Failed to parse JSON' },
    { level: 'WARN', source: 'flag', message: 'slow' },
  ];

  it('needs each expected bulletin, and fails on ERRORs nothing expects (by default; forbid moves the bar)', () => {
    expect(matchBulletins([{ level: 'ERROR', source: 'validate', matches: 'Failed to parse JSON' }], 'ERROR', raised)).toEqual([]);
    expect(matchBulletins([], 'none', raised)).toEqual([]);
    expect(matchBulletins([], 'ERROR', raised)).toEqual([
      { at: 'bulletins', message: 'Unexpected bulletin: ERROR validate: ValidateRecord[id=1] Failed to process FlowFile; will route to failure: | MalformedRecordException: Failed to parse JSON', line: undefined },
    ]);
    expect(matchBulletins([{ source: 'validate' }], 'WARN', raised).map((failure) => failure.message)).toEqual(['Unexpected bulletin: WARN flag: slow']);
    expect(matchBulletins([{ level: 'ERROR', source: 'explain', line: 9 }], 'none', raised)).toEqual([
      { at: 'bulletins', message: 'No bulletin (ERROR from explain) was raised.', diff: 'ERROR validate: ValidateRecord[id=1] Failed to process FlowFile; will route to failure: | MalformedRecordException: Failed to parse JSON\nWARN flag: slow', line: 9 },
    ]);
  });
});

describe('readJsonPath', () => {
  const value = { a: { 'b.c': [10, { d: null }] }, list: [1, 2] };
  it('reads $-paths with names, indexes and quoted names; a missing step is not found', () => {
    expect(readJsonPath(value, "$.a['b.c'][1].d")).toEqual({ found: true, value: null });
    expect(readJsonPath(value, 'list[1]')).toEqual({ found: true, value: 2 });
    expect(readJsonPath(value, '$')).toEqual({ found: true, value });
    expect(readJsonPath(value, '$.list[2]')).toEqual({ found: false });
    expect(readJsonPath(value, '$.a.missing')).toEqual({ found: false });
    expect(readJsonPath(value, '$..a')).toEqual({ found: false });
    expect(readJsonPath([{ x: 1 }], '[0].x')).toEqual({ found: true, value: 1 });
  });
});

describe('parseJsonContent and lineDiff', () => {
  it('reads one JSON document or JSON lines as records', () => {
    expect(parseJsonContent('{"a":1}')).toEqual({ value: { a: 1 }, records: [{ a: 1 }] });
    expect(parseJsonContent('{"a":1}\n{"a":2}\n')).toEqual({ value: [{ a: 1 }, { a: 2 }], records: [{ a: 1 }, { a: 2 }] });
    expect(parseJsonContent('a=1')).toBeUndefined();
  });

  it('marks removed (expected) and added (actual) lines', () => {
    expect(lineDiff('same\nold', 'same\nnew')).toBe('  same\n- old\n+ new');
  });
});
