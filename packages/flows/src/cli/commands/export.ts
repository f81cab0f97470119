// `flows export <group>`: a hand-built process group written as flow YAML that plan/apply --adopt then
// take over in place (same components, queues kept).
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataplatError } from '@dataplat/core/errors';
import { jsonOption, nifiOptions, value } from '../arguments/options.ts';
import { defineCommand } from './command.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write a hand-built process group (its name under --parent, or its id) as flow YAML',
  positionals: { synopsis: '<group>', min: 1, max: 1 },
  description: 'Writes processors, services, ports, funnels, connections, nested groups, the parameter context (secrets as fromEnv) and run states, with NiFi\'s identifiers pinned: plan --adopt then shows no component change and apply --adopt keeps components and queued data.',
  options: { out: value('file', 'write the YAML to this file instead of stdout'), ...jsonOption, ...nifiOptions },
  examples: ['flows export "Orders (hand-built)" --out flows/orders.yaml && flows plan flows/orders.yaml --adopt'],
  async run({ options, positionals }, { io, view }) {
    const [reference] = positionals as [string];
    const [{ exportFlow }, { schemaReference }, { withNifi }] = await Promise.all([import('../../export/export-flow.ts'), import('../../export/schema-reference.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to export from', async (nifi, { parentGroupId }) => {
      const groupId = uuidPattern.test(reference) ? reference : (await nifi.processGroups.findByName(reference, { parentGroupId }))?.id;
      if (!groupId) throw new DataplatError({ code: 'FLOWS_UNKNOWN_GROUP', message: `No process group named "${reference}" under ${parentGroupId}.`, hint: 'Pass its exact name (case-sensitive) with --parent <id of its parent>, or its id.' });
      // The YAML's $schema comment is relative to where the file goes (stdout: the folder the command was typed in).
      const outFile = options.out ? resolve(io.cwd, options.out) : undefined;
      const exported = await exportFlow(nifi, groupId, { schemaReference: schemaReference(outFile ? dirname(outFile) : io.cwd) });
      if (outFile) await writeFile(outFile, exported.yaml);
      view.result({ flow: exported.flow, warnings: exported.warnings }, () => (options.out ? '' : exported.yaml.trimEnd()));
      for (const warning of exported.warnings) view.warning(warning);
      if (options.out) view.note(`wrote ${options.out}`);
      return 0;
    });
  },
});
