// Flow test files: the schema and the references into the flow under test are diagnostics at file:line:col,
// with a stable code and a hint, before anything runs; a good file gives runnable cases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { csvText, loadFlowTestFile } from './load-test-file.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');
const iotSensors = loadFlowFile('flows/iot-sensors.yaml', readFileSync(join(repositoryRoot, 'flows', 'iot-sensors.yaml'), 'utf8')).flows;

const problems = (text: string) => loadFlowTestFile('flows/bad.test.yaml', text, iotSensors).diagnostics.map((diagnostic) => ({ code: diagnostic.code, at: diagnostic.range ? `${diagnostic.range.start.line}:${diagnostic.range.start.column}` : undefined, message: diagnostic.message, hint: diagnostic.hint }));

const validCase = ['  - name: ok', '    stubs: { store: capture }', '    inputs:', '      - { before: validate, json: { pm25: 1 } }', '    expect:', '      - { at: store, count: 1 }'];

describe('loadFlowTestFile', () => {
  it('loads the committed flows/iot-sensors.test.yaml into runnable cases', () => {
    const text = readFileSync(join(repositoryRoot, 'flows', 'iot-sensors.test.yaml'), 'utf8');
    const loaded = loadFlowTestFile('flows/iot-sensors.test.yaml', text, iotSensors);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.cases.map((testCase) => testCase.name)).toEqual(['a valid reading is stored', 'a WHO PM2.5 exceedance is flagged', "an invalid reading is quarantined with NiFi's reason", 'a body that is not JSON waits in the held funnel']);
    const [valid, who, invalid, held] = loaded.cases;
    expect(valid).toMatchObject({ flow: { name: 'iot-sensors' }, line: 7, stubs: { store: 'capture', register: 'capture', quarantine: 'capture' }, nothingElse: true, timeoutMs: 60_000 });
    expect(valid!.inputs[0]!.attributes).toEqual({ batch: 'b-valid' });
    expect(JSON.parse(valid!.inputs[0]!.content)).toEqual([expect.objectContaining({ sensor_id: 's-001', pm25: 12.5 })]);
    // JSON written as a string is kept as written.
    expect(who!.inputs[0]!.content).toMatch(/^\[\{"sensor_id": "s-002"/);
    expect(invalid!.expectations.map((expectation) => expectation.point)).toEqual([
      { kind: 'relationship', processor: 'validate', relationship: 'invalid' },
      { kind: 'capture', processor: 'quarantine' },
    ]);
    expect(held!.expectations[0]).toMatchObject({ at: 'held', point: { kind: 'funnel', funnel: 'held' }, count: 1 });
    expect(held!.bulletins).toEqual({ expect: [{ level: 'ERROR', source: 'validate', matches: 'MalformedRecordException: Failed to parse JSON', line: expect.any(Number) }], forbid: 'ERROR' });
    expect(valid!.bulletins).toEqual({ expect: [], forbid: 'ERROR' });
  });

  it('names unknown flows, processors, relationships, points and parameters where they are written, with what exists', () => {
    const text = [
      'flow: iot-sensors',
      'cases:',
      '  - name: references',
      '    parameters: { who_pm25_limt: "10" }',
      '    stubs: { stroe: capture, store: capture }',
      '    inputs:',
      '      - { before: validat, text: x }',
      '      - { before: store, text: x }',
      '    expect:',
      '      - { at: validate.valdi }',
      '      - { at: nowhere }',
      '      - { at: store.success }',
      '  - name: other flow',
      '    flow: iot-sensor',
      '    inputs: [{ before: validate, text: x }]',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      { code: 'test/unknown-parameter', at: '4:19', message: 'Flow "iot-sensors" has no parameter "who_pm25_limt".', hint: expect.stringContaining('Its parameters: http_port, who_pm25_limit,') },
      { code: 'test/unknown-processor', at: '5:14', message: 'Flow "iot-sensors" has no processor "stroe" to stub.', hint: 'Processors of iot-sensors: receive, validate, flag, store, register, explain, quarantine.' },
      { code: 'test/unknown-processor', at: '7:19', message: 'Flow "iot-sensors" has no processor "validat" to feed.', hint: expect.stringContaining('receive, validate,') },
      { code: 'test/input-into-stub', at: '8:19', message: '"store" is stubbed in this case: nothing would process the input.', hint: expect.any(String) },
      { code: 'test/unknown-relationship', at: '10:15', message: 'Processor "validate" of flow "iot-sensors" has no relationship "valdi".', hint: 'Its relationships: failure, invalid, valid.' },
      { code: 'test/unknown-point', at: '11:15', message: '"nowhere" is not a processor.relationship, a stubbed processor, a funnel or an output port of flow "iot-sensors".', hint: expect.stringContaining('a stub (stroe, store), a funnel (held).') },
      { code: 'test/stubbed-processor', at: '12:15', message: '"store" is stubbed in this case: it has no relationships, its capture holds what reached it.', hint: 'Expect at: store.' },
      { code: 'test/unknown-flow', at: '14:11', message: 'No flow named "iot-sensor" in the flow files.', hint: 'Known flows: iot-sensors.' },
    ]);
  });

  it('points at malformed inline JSON, an input with both or no content, a bad regex and a bad timeout', () => {
    const text = [
      'flow: iot-sensors',
      'cases:',
      '  - name: content',
      '    timeout: soon',
      '    inputs:',
      `      - before: validate`,
      `        json: '[{"sensor_id": "s-1", "pm25": }]'`,
      '      - { before: validate, text: a, json: [] }',
      '      - { before: validate }',
      '    expect:',
      '      - { at: validate.valid, content: { matches: "(" }, attributes: { batch: { matches: "[" } } }',
      '    bulletins: { expect: [{ source: valdate, matches: ")" }] }',
      '',
    ].join('\n');
    const found = problems(text);
    expect(found.map(({ code, at }) => [code, at])).toEqual([['schema/custom', '4:14']]);
    expect(found[0]!.message).toBe('a duration such as 30s, 2m or 1m30s');
    const withoutTimeout = problems(text.replace('    timeout: soon\n', ''));
    expect(withoutTimeout.map(({ code, at }) => [code, at])).toEqual([
      ['test/invalid-json', '6:15'],
      ['test/input-content', '7:9'],
      ['test/input-content', '8:9'],
      ['test/invalid-regex', '10:51'],
      ['test/invalid-regex', '10:90'],
      ['test/unknown-processor', '11:37'],
      ['test/invalid-regex', '11:55'],
    ]);
    expect(withoutTimeout[0]!.message).toMatch(/^The inline JSON doesn't parse: Unexpected token '}', .*"pm25": }]" is not valid JSON\.$/);
    expect(withoutTimeout[0]!.hint).toBe('Fix the JSON text, or write the value as YAML (json: { key: value }).');
  });

  it('triggers sources instead of feeding them, and expects output ports', () => {
    const text = [
      'flow: iot-sensors',
      'cases:',
      '  - name: targets',
      '    inputs:',
      '      - { trigger: receive }',
      '      - { trigger: receive, text: x }',
      '      - { text: x }',
      '      - { trigger: nobody }',
      '    expect:',
      '      - { at: held }',
      '',
    ].join('\n');
    expect(problems(text).map(({ code, at, message }) => [code, at, message])).toEqual([
      ['test/input-content', '6:9', 'A triggered source makes its own flowfiles: it takes no text.'],
      ['test/input-target', '7:9', 'An input is queued `before` a processor or `trigger`s a source processor: exactly one of them.'],
      ['test/unknown-processor', '8:20', 'Flow "iot-sensors" has no processor "nobody" to trigger.'],
    ]);
    const loaded = loadFlowTestFile('t.test.yaml', ['flow: iot-sensors', 'cases:', '  - name: t', '    inputs: [{ trigger: receive }]', ''].join('\n'), iotSensors);
    expect(loaded.cases[0]).toMatchObject({ inputs: [], triggers: ['receive'] });
  });

  it('reads inputs written as CSV records or from a file beside the test file', () => {
    const text = ['flow: iot-sensors', 'cases:', '  - name: inputs', '    inputs:', '      - { before: validate, csv: [{ id: 1, name: "a, b" }, { id: 2, note: null }] }', '      - { before: validate, file: iot-sensors.yaml }', '      - { before: validate, file: missing.json }', ''].join('\n');
    const loaded = loadFlowTestFile('flows/inputs.test.yaml', text, iotSensors, { baseDirectory: join(repositoryRoot, 'flows') });
    expect(loaded.diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([['test/input-file', 'Cannot read missing.json: ENOENT.']]);
    const withoutMissing = loadFlowTestFile('flows/inputs.test.yaml', text.replace('      - { before: validate, file: missing.json }\n', ''), iotSensors, { baseDirectory: join(repositoryRoot, 'flows') });
    expect(withoutMissing.cases[0]!.inputs.map((input) => input.content)).toEqual(['id,name,note\n1,"a, b",\n2,,\n', readFileSync(join(repositoryRoot, 'flows', 'iot-sensors.yaml'), 'utf8')]);
    expect(csvText([{ quote: 'say "hi"', space: ' lead', line: 'a\nb', flag: true }])).toBe('quote,space,line,flag\n"say ""hi"""," lead","a\nb",true\n');
  });

  it('reports schema problems and YAML errors with the flows machinery: unknown keys, missing keys, duplicate keys, duplicate cases', () => {
    expect(problems(['flow: iot-sensors', 'cases:', ...validCase, '    expct: []', ''].join('\n'))).toEqual([
      { code: 'schema/unrecognized_keys', at: '9:5', message: 'Unknown key "expct".', hint: expect.any(String) },
    ]);
    expect(problems(['flow: iot-sensors', 'cases:', '  - name: no inputs', ''].join('\n')).map(({ code, at, message }) => [code, at, message])).toEqual([['schema/missing', '3:5', '"inputs" is required.']]);
    expect(problems(['flow: iot-sensors', 'flow: again', 'cases: []', ''].join('\n')).map(({ code }) => code)).toEqual(['yaml/duplicate-key']);
    expect(problems(['flow: iot-sensors', 'cases:', ...validCase, ...validCase, ''].join('\n')).map(({ code, at }) => [code, at])).toEqual([['test/duplicate-case', '9:11']]);
    expect(problems(['cases:', ...validCase, ''].join('\n')).map(({ code, at }) => [code, at])).toEqual([['test/missing-flow', '2:5']]);
  });
});
