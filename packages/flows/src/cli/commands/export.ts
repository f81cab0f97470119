// `flows export <group>`: a hand-built process group written as flow YAML that plan/apply --adopt then
// take over in place (same components, queues kept).
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataplatError } from '@dataplat/core/errors';
import { jsonOption, nifiOptions, UsageError, value } from '../arguments/options.ts';
import { defineCommand } from './command.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write a hand-built process group (its name under --parent, or its id) as flow YAML',
  positionals: { synopsis: '<group>', min: 1, max: 1 },
  description:
    'Writes processors, services, ports, funnels, connections, nested groups, the parameter context (secrets as fromEnv), the contexts it inherits (as shared contexts under parameterContexts:, with inherits:) and run states, with NiFi\'s identifiers pinned: plan --adopt then shows no component change and apply --adopt keeps components and queued data.',
  options: {
    out: value('file', 'write the YAML to this file instead of stdout'),
    'contexts-out': value('file', 'write the inherited (shared) parameter contexts to this file instead of into the flow\'s; groups that share contexts can be exported to one such file'),
    ...jsonOption,
    ...nifiOptions,
  },
  examples: [
    'flows export "Orders (hand-built)" --out flows/orders.yaml && flows plan flows/orders.yaml --adopt',
    'flows export orders --out flows/orders.yaml --contexts-out flows/shared-contexts.yaml',
  ],
  async run({ options, positionals }, { io, view }) {
    const [reference] = positionals as [string];
    const [{ exportFlow }, { schemaReference }, { withNifi }] = await Promise.all([import('../../export/export-flow.ts'), import('../../export/schema-reference.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to export from', async (nifi, { parentGroupId }) => {
      const groupId = uuidPattern.test(reference) ? reference : (await nifi.processGroups.findByName(reference, { parentGroupId }))?.id;
      if (!groupId) throw new DataplatError({ code: 'FLOWS_UNKNOWN_GROUP', message: `No process group named "${reference}" under ${parentGroupId}.`, hint: 'Pass its exact name (case-sensitive) with --parent <id of its parent>, or its id.' });
      // The YAML's $schema comment is relative to where the file goes (stdout: the folder the command was typed in).
      const outFile = options.out ? resolve(io.cwd, options.out) : undefined;
      const contextsFile = options['contexts-out'] ? resolve(io.cwd, options['contexts-out']) : undefined;
      if (contextsFile && contextsFile === outFile) throw new UsageError("--contexts-out names the --out file; leave it out to write the contexts into the flow's file, or name another file.");
      const exported = await exportFlow(nifi, groupId, { schemaReference: schemaReference(outFile ? dirname(outFile) : io.cwd), contextsApart: contextsFile !== undefined });
      if (outFile) await writeFile(outFile, exported.yaml);
      // The contexts' own $schema reference is relative to their file, which may sit elsewhere.
      const contextsYaml = exported.contextsYaml && contextsFile ? exported.contextsYaml.replace(/^# yaml-language-server: \$schema=.*$/m, `# yaml-language-server: $schema=${schemaReference(dirname(contextsFile))}`) : undefined;
      if (contextsFile && contextsYaml) await writeFile(contextsFile, contextsYaml);
      view.result({ flow: exported.flow, parameterContexts: exported.parameterContexts, warnings: exported.warnings }, () => (options.out ? '' : exported.yaml.trimEnd()));
      for (const warning of exported.warnings) view.warning(warning);
      if (options.out) view.note(`wrote ${options.out}`);
      if (contextsFile && contextsYaml) view.note(`wrote ${options['contexts-out']} (${Object.keys(exported.parameterContexts).join(', ')})`);
      return 0;
    });
  },
});
