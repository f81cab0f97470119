// defineFlowTest(): the YAML file's schema and reference checks for a case written in TypeScript.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { defineFlowTest } from './define-flow-test.ts';

const repositoryRoot = join(import.meta.dirname, '..', '..', '..', '..');
const [iotSensors] = loadFlowFile('flows/iot-sensors.yaml', readFileSync(join(repositoryRoot, 'flows', 'iot-sensors.yaml'), 'utf8')).flows;
// What it inherits (examples-db), which a case's copy gets as its own parameters.
const parameterContexts = loadFlowFile('flows/shared-contexts.yaml', readFileSync(join(repositoryRoot, 'flows', 'shared-contexts.yaml'), 'utf8')).parameterContexts.map((placed) => placed.context);

describe('defineFlowTest', () => {
  it('gives a runnable case with the defaults of a test file', () => {
    const testCase = defineFlowTest(iotSensors!, { name: 'stored', stubs: { store: 'capture' }, inputs: [{ before: 'validate', json: [{ pm25: 1 }] }], expect: [{ at: 'store', count: 1 }] }, { parameterContexts });
    // The copy's flow holds what it inherits as its own parameters (a case may override jdbc_url, say).
    expect(testCase.flow).toMatchObject({ inherits: [], parameters: { jdbc_url: { value: 'jdbc:postgresql://127.0.0.1:15432/examples' }, http_port: { value: '18100' } } });
    expect(testCase).toMatchObject({ file: 'defineFlowTest()', name: 'stored', flow: { name: 'iot-sensors' }, nothingElse: true, timeoutMs: 60_000, inputs: [{ before: 'validate', content: '[{"pm25":1}]', attributes: {} }] });
    expect(testCase.expectations[0]!.point).toEqual({ kind: 'capture', processor: 'store' });
  });

  it('throws FLOWS_INVALID listing every problem: schema, then references', () => {
    expect(() => defineFlowTest(iotSensors!, { name: 'bad', inputs: [], extra: 1 } as never, { parameterContexts })).toThrow(/^Flow test "bad" is invalid:\n  inputs: Too small: expected array to have >=1 items\n  \(case\): Unrecognized key: "extra"$/);
    expect(() => defineFlowTest(iotSensors!, { name: 'refs', inputs: [{ before: 'validat', text: 'x' }], expect: [{ at: 'flag.nope' }] }, { parameterContexts })).toThrow(
      'Flow test "refs" is invalid:\n  inputs.0.before: Flow "iot-sensors" has no processor "validat" to feed. Processors of iot-sensors: receive, validate, flag, store, register, explain, quarantine.\n  expect.0.at: Processor "flag" of flow "iot-sensors" has no relationship "nope". Its relationships: failure, measurements, original, sensors.',
    );
  });
});
