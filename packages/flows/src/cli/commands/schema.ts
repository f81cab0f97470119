// `flows schema`: the JSON Schema of flow files (or, with --tests, of flow test files), for editor completion.
import { flag } from '../arguments/options.ts';
import { defineCommand, noArguments } from './command.ts';

export const schemaCommand = defineCommand({
  name: 'schema',
  summary: 'print the JSON Schema of flow files (for editor completion)',
  positionals: noArguments,
  options: { tests: flag('print the JSON Schema of flow test files (*.test.yaml) instead') },
  examples: ['flows schema > flow-file.schema.json', 'flows schema --tests > flow-test-file.schema.json'],
  async run({ options }, { io }) {
    const schema = options.tests ? (await import('../../flow-tests/test-schema.ts')).flowTestJsonSchema() : (await import('../../model/flow-schema.ts')).flowJsonSchema();
    io.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    return 0;
  },
});
