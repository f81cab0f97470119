// docs/flows-reference.md, generated from the flow schema (the one source of truth) and the CLI's command
// definitions: every key with its type, default and description, and every command's help. A unit test fails when the committed file is stale.
//
// Usage: node --conditions=@dataplat/source packages/flows/tools/generate-reference.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCommandHelp, renderOverview } from '../src/cli/arguments/help.ts';
import { commands } from '../src/cli/commands/index.ts';
import { flowTestJsonSchema } from '../src/flow-tests/test-schema.ts';
import { flowJsonSchema } from '../src/model/flow-schema.ts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  required?: string[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  $ref?: string;
}

export const referenceFile = join(import.meta.dirname, '..', '..', '..', 'docs', 'flows-reference.md');

export function renderReference(): string {
  const root = flowJsonSchema() as JsonSchema;
  // The last variant is the single flow (with the sections a file may hold beside it: parameterContexts, parent).
  const sections = keySections('flow', root.anyOf!.at(-1)!);
  const testSections = keySections('test file', flowTestJsonSchema() as JsonSchema);
  return `# Flow file reference

Generated from the flow schema by \`packages/flows/tools/generate-reference.ts\` — do not edit by hand.
A file holds one flow, or several under \`flows:\`. The same schema checks \`defineFlow()\` in TypeScript
and is published as JSON Schema (\`@dataplat/flows/flow-file.schema.json\`) for editor completion.
Unknown keys are errors. Guide: [flows.md](flows.md).

## Keys

${sections.join('\n\n')}

Child groups (\`groups[]\`) take the same keys as the flow itself except \`parameters\`, \`parameterContext\`,
\`triggers\`, \`identifiers\` and \`environments\`, which belong to the flow.

## Flow test files

\`flows/<name>.test.yaml\`, run by \`flows test\` (guide: [testing-flows.md](testing-flows.md)); the same schema checks
\`defineFlowTest()\` and is published as \`@dataplat/flows/flow-test-file.schema.json\`.

${testSections.join('\n\n')}

## The \`flows\` CLI

\`\`\`
${renderOverview(commands)}
\`\`\`

${commands.map((command) => `### \`flows ${command.name}\`\n\n\`\`\`\n${renderCommandHelp(command)}\n\`\`\``).join('\n\n')}
`;
}

/** A table of keys per object of the schema, the root first (titled `root`), nested ones by their path. */
function keySections(root: string, schema: JsonSchema): string[] {
  const sections: string[] = [];
  const visit = (title: string, object: JsonSchema) => {
    const properties = Object.entries(object.properties ?? {});
    if (properties.length === 0) return;
    const rows = properties.map(([key, property]) => `| \`${key}\` | ${typeOf(property)} | ${object.required?.includes(key) && property.default === undefined ? 'yes' : ''} | ${property.default === undefined || isEmpty(property.default) ? '' : `\`${JSON.stringify(property.default)}\``} | ${(property.description ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ').replaceAll('<', '&lt;').replaceAll('>', '&gt;')} |`);
    sections.push(`### \`${title}\`\n\n| key | type | required | default | description |\n|---|---|---|---|---|\n${rows.join('\n')}`);
    for (const [key, property] of properties) {
      const nested = objectOf(property);
      if (nested) visit(`${title === root ? '' : `${title}.`}${key}${nested.suffix}`, nested.schema);
    }
  };
  visit(root, schema);
  return sections;
}

/** The object a property holds: directly, per name (`<name>`), or per list item (`[]`). */
function objectOf(schema: JsonSchema): { schema: JsonSchema; suffix: string } | undefined {
  if (schema.properties) return { schema, suffix: '' };
  if (typeof schema.additionalProperties === 'object' && schema.additionalProperties.properties) return { schema: schema.additionalProperties, suffix: '.<name>' };
  if (schema.items?.properties) return { schema: schema.items, suffix: '[]' };
  return undefined;
}

function typeOf(schema: JsonSchema): string {
  if (schema.$ref) return 'group (same keys as the flow)';
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ');
  if (schema.enum) return schema.enum.map((value) => `\`${String(value)}\``).join(', ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'object') {
    if (schema.properties) return 'object';
    if (typeof schema.additionalProperties === 'object') return `map of name → ${typeOf(schema.additionalProperties)}`;
    return 'object';
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
  if (schema.format === 'uuid') return 'UUID';
  if (type === 'integer' && (schema.minimum !== undefined || schema.maximum !== undefined)) return `integer ${schema.minimum ?? ''}…${schema.maximum ?? ''}`;
  return type;
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
}

if (import.meta.main) {
  writeFileSync(referenceFile, renderReference());
  console.log(`wrote ${referenceFile}`);
}
