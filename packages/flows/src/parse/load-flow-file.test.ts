import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatGithub, formatHuman, formatJson } from '../cli/views/diagnostics.ts';
import { loadFlowFile, maxFlowFileBytes } from './load-flow-file.ts';

const fixtures = join(import.meta.dirname, '__fixtures__', 'invalid');
const load = (name: string) => loadFlowFile(name, readFileSync(join(fixtures, name), 'utf8'));
const summary = (name: string) => load(name).diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range?.start.line ?? 0}:${diagnostic.range?.start.column ?? 0}`);

// The corpus of bad inputs: each file, and the diagnostics (code at line:column) it must produce.
describe('the corpus of invalid flow files', () => {
  it.each([
    ['unknown-key.yaml', ['schema/unrecognized_keys@6:5']],
    ['wrong-type.yaml', ['schema/invalid_type@8:30']],
    ['missing-type.yaml', ['schema/missing@4:5']],
    ['bad-yaml.yaml', ['yaml/unexpected-token@3:12', 'yaml/missing-char@4:1', 'yaml/bad-indent@5:1']],
    ['duplicate-key.yaml', ['yaml/duplicate-key@4:3']],
    ['alias-bomb.yaml', ['yaml/alias-limit@0:0']],
    [
      'references.yaml',
      ['parameter/undeclared@5:35', 'reference/unknown-service@8:34', 'connection/missing-relationships@11:5', 'connection/unknown-endpoint@12:9', 'connection/missing-relationships@13:5'],
    ],
    ['cycle.yaml', ['connection/cycle-cannot-drain@7:3']],
    ['secrets-and-triggers.yaml', ['parameter/sensitive-in-file@3:25', 'trigger/password-not-sensitive@6:21', 'trigger/action@13:5', 'trigger/unknown-source@16:11', 'trigger/undeclared-parameter@17:21']],
    ['duplicate-flows.yaml', ['name/duplicate-flow@4:11', 'name/duplicate@5:18']],
    // What a cluster needs: primary-only processors are sources; partitionAttribute goes with partition-by-attribute only.
    ['cluster.yaml', ['processor/primary-with-incoming-connection@4:50', 'connection/partition-attribute-missing@10:18', 'connection/partition-attribute-not-used@15:5']],
    ['cluster-compression.yaml', ['schema/invalid_value@6:95']],
    // Object.prototype's keys name nothing here (issue 14, finding 11: `toString:success` passed and crashed plan).
    [
      'prototype-keys.yaml',
      ['trigger/unknown-source@8:22', 'trigger/undeclared-parameter@8:83', 'trigger/unknown-source@9:22', 'trigger/undeclared-parameter@9:84', 'reference/unknown-service@9:119'],
    ],
  ])('%s', (name, expected) => {
    expect(summary(name)).toEqual(expected);
    for (const diagnostic of load(name).diagnostics) {
      expect(diagnostic.severity).toBe('error');
      expect(diagnostic.message.length).toBeGreaterThan(10);
    }
  });

  it('names places by path and pointer, with a fix hint', () => {
    const [diagnostic] = load('unknown-key.yaml').diagnostics;
    expect(diagnostic).toMatchObject({
      file: 'unknown-key.yaml',
      pointer: '/processors/generate/schedul',
      path: 'processors.generate.schedul',
      hint: expect.stringContaining('spelling'),
      range: { start: { line: 6, column: 5 }, end: { line: 6, column: 12 } },
    });
    const [flowsDiagnostic] = load('duplicate-flows.yaml').diagnostics;
    expect(flowsDiagnostic).toMatchObject({ pointer: '/flows/1/name', path: 'flows[same].name' });
  });

  it('refuses huge files before parsing them', () => {
    const loaded = loadFlowFile('huge.yaml', `name: huge\ndescription: "${'x'.repeat(maxFlowFileBytes)}"\n`);
    expect(loaded.diagnostics.map((diagnostic) => diagnostic.code)).toEqual(['file/too-large']);
  });

  it('formats diagnostics as a code frame, JSON, and GitHub annotations', () => {
    const text = readFileSync(join(fixtures, 'unknown-key.yaml'), 'utf8');
    const { diagnostics } = loadFlowFile('flows/unknown-key.yaml', text);
    const human = formatHuman(diagnostics, new Map([['flows/unknown-key.yaml', text]]));
    expect(human).toContain('flows/unknown-key.yaml:6:5: error [schema/unrecognized_keys] Unknown key "schedul".');
    expect(human).toContain('  > 6 |     schedul: { period: 1 min }\n      |     ^^^^^^^');
    expect(JSON.parse(formatJson(diagnostics))).toMatchObject({ formatVersion: '1', valid: false, diagnostics: [{ code: 'schema/unrecognized_keys' }] });
    expect(formatGithub(diagnostics)).toBe(
      '::error file=flows/unknown-key.yaml,line=6,col=5,endLine=6,endColumn=12,title=schema/unrecognized_keys::Unknown key "schedul".%0ACheck the spelling; the JSON Schema (flows schema) lists every key.',
    );
  });
});
