// `flows schema`: the JSON Schema of flow files, for editor completion.
import { defineCommand, noArguments } from './command.ts';

export const schemaCommand = defineCommand({
  name: 'schema',
  summary: 'print the JSON Schema of flow files (for editor completion)',
  positionals: noArguments,
  options: {},
  examples: ['flows schema > flow-file.schema.json'],
  async run(_arguments, { io }) {
    const { flowJsonSchema } = await import('../../model/flow-schema.ts');
    io.stdout.write(`${JSON.stringify(flowJsonSchema(), null, 2)}\n`);
    return 0;
  },
});
