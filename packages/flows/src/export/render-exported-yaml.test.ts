// flows export writes text from NiFi (a group's name) into YAML comments and values: an injection corpus
// of names asserts the exact header lines and that the file parses back to exactly the exported flow
// (issue 14, finding 11: a newline in a group name used to add lines of YAML under the header comment).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadFlowFile } from '../parse/load-flow-file.ts';
import { renderExportedYaml } from './export-flow.ts';

const groupId = '0b1c2d3e-0000-1000-8000-000000000001';
const corpus: Array<[string, string, string]> = [
  // label, group name, the header's second line as it must be written
  ['a newline that would start a key', 'orders\nparameters: { stolen: { value: x } }', '# Exported from NiFi process group "orders\\nparameters: { stolen: { value: x } }" (0b1c2d3e-0000-1000-8000-000000000001) by flows export.'],
  ['a carriage return', 'orders\rprocessors: {}', '# Exported from NiFi process group "orders\\rprocessors: {}" (0b1c2d3e-0000-1000-8000-000000000001) by flows export.'],
  ['YAML 1.1 line breaks (NEL, LS, PS)', 'a\u0085b\u2028c\u2029d', '# Exported from NiFi process group "a\\u0085b\\u2028c\\u2029d" (0b1c2d3e-0000-1000-8000-000000000001) by flows export.'],
  ['quotes, a hash and a backslash', 'say "hi" # not a comment \\', '# Exported from NiFi process group "say \\"hi\\" # not a comment \\\\" (0b1c2d3e-0000-1000-8000-000000000001) by flows export.'],
];

describe('renderExportedYaml', () => {
  it.each(corpus)('keeps %s inside one header comment and parses back to exactly the flow', (_label, groupName, secondLine) => {
    const flow = { name: groupName, description: `from ${groupName}`, processors: { [groupName]: { type: 'GenerateFlowFile' } } };
    const yaml = renderExportedYaml(flow, { schemaReference: '../packages/flows/flow-file.schema.json', groupName, groupId });
    const lines = yaml.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=../packages/flows/flow-file.schema.json');
    expect(lines[1]).toBe(secondLine);
    expect(lines[2]).toMatch(/^name: /);
    expect(parse(yaml)).toEqual(flow);
  });

  it('keeps a schema path with a line break on its comment line', () => {
    const yaml = renderExportedYaml({ name: 'orders' }, { schemaReference: 'dir\nname: injected/flow-file.schema.json', groupName: 'orders', groupId });
    expect(yaml.split('\n').slice(0, 3)).toEqual(['# yaml-language-server: $schema=dir\\u000aname: injected/flow-file.schema.json', `# Exported from NiFi process group "orders" (${groupId}) by flows export.`, 'name: orders']);
    expect(parse(yaml)).toEqual({ name: 'orders' });
  });

  it('leaves a name with a line break for validate to point at (not a valid flow name)', () => {
    const yaml = renderExportedYaml({ name: 'orders\nx' }, { schemaReference: 'schema.json', groupName: 'orders\nx', groupId });
    const diagnostics = loadFlowFile('orders.yaml', yaml).diagnostics;
    expect(diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`)).toEqual(['schema/invalid_format@3:7']);
  });
});
