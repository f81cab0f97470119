// `flows export <group>`: a hand-built process group written as flow YAML that plan/apply --adopt then
// take over in place (same components, queues kept).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataplatError } from '@dataplat/core/errors';
import { jsonOption, nifiOptions, UsageError, value } from '../arguments/options.ts';
import type { ExportResult } from '../../export/export-flow.ts';
import { defineCommand } from './command.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The shared file's document with this export's contexts and parent services added to what it holds already (a
 * context or service already there must be the same, else FLOWS_EXPORT_CONFLICT: nothing is written).
 */
async function mergedSharedYaml(file: string, exported: ExportResult, schema: string, group: { groupId: string; reference: string }): Promise<string> {
  const [{ parse }, { parentSectionSchema, sharedContextSchema }, { renderExportedYaml }] = await Promise.all([import('yaml'), import('../../model/flow-schema.ts'), import('../../export/export-flow.ts')]);
  const existingText = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
  const existing = (existingText === undefined ? {} : (parse(existingText) ?? {})) as { parameterContexts?: Record<string, unknown>; parent?: { parameterContext?: string; services?: Record<string, unknown> } };
  const conflict = (what: string) =>
    new DataplatError({
      code: 'FLOWS_EXPORT_CONFLICT',
      message: `${file} already declares ${what} differently from what group "${group.reference}" (${group.groupId}) uses; nothing was written.`,
      hint: 'Export this group with another --shared-out file, or make the two definitions in NiFi the same.',
    });
  const same = (schema: { parse(value: unknown): unknown }, a: unknown, b: unknown) => JSON.stringify(schema.parse(a)) === JSON.stringify(schema.parse(b));
  const parameterContexts: Record<string, unknown> = { ...existing.parameterContexts };
  for (const [name, context] of Object.entries(exported.parameterContexts)) {
    if (Object.hasOwn(parameterContexts, name) && !same(sharedContextSchema, parameterContexts[name], context)) throw conflict(`the parameter context "${name}"`);
    parameterContexts[name] = context;
  }
  const services: Record<string, unknown> = { ...existing.parent?.services };
  for (const [name, service] of Object.entries(exported.parent?.services ?? {})) {
    const asSection = (entry: unknown) => ({ services: { [name]: entry } });
    if (Object.hasOwn(services, name) && !same(parentSectionSchema, asSection(services[name]), asSection(service))) throw conflict(`the shared service "${name}"`);
    services[name] = service;
  }
  const boundTo = [existing.parent?.parameterContext, exported.parent?.parameterContext].filter((name): name is string => name !== undefined);
  if (new Set(boundTo).size > 1) throw conflict(`the parent group's parameter context (${boundTo.join(' vs ')})`);
  const parent = Object.keys(services).length > 0 || boundTo.length > 0 ? { ...(boundTo[0] ? { parameterContext: boundTo[0] } : {}), services } : undefined;
  const document = { ...(Object.keys(parameterContexts).length > 0 ? { parameterContexts } : {}), ...(parent ? { parent } : {}) };
  return renderExportedYaml(document, { schemaReference: schema, groupName: group.reference, groupId: group.groupId, what: 'what is shared with others by' });
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write a hand-built process group (its name under --parent, or its id) as flow YAML',
  positionals: { synopsis: '<group>', min: 1, max: 1 },
  description:
    'Writes processors, services, ports, funnels, connections, nested groups, the parameter context (secrets as fromEnv), the contexts it inherits (as shared contexts under parameterContexts:, with inherits:), the parent group\'s services it uses (as shared services under parent:) and run states, with NiFi\'s identifiers pinned: plan --adopt then shows no component change and apply --adopt keeps components and queued data.',
  options: {
    out: value('file', 'write the YAML to this file instead of stdout'),
    'shared-out': value('file', 'write what the group shares with others — the parameter contexts its context inherits, the parent group\'s services it uses — to this file instead of into the flow\'s; groups that share them can be exported to one such file'),
    ...jsonOption,
    ...nifiOptions,
  },
  examples: [
    'flows export "Orders (hand-built)" --out flows/orders.yaml && flows plan flows/orders.yaml --adopt',
    'flows export orders --out flows/orders.yaml --shared-out flows/shared.yaml',
  ],
  async run({ options, positionals }, { io, view }) {
    const [reference] = positionals as [string];
    const [{ exportFlow }, { schemaReference }, { withNifi }] = await Promise.all([import('../../export/export-flow.ts'), import('../../export/schema-reference.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to export from', async (nifi, { parentGroupId }) => {
      const groupId = uuidPattern.test(reference) ? reference : (await nifi.processGroups.findByName(reference, { parentGroupId }))?.id;
      if (!groupId) throw new DataplatError({ code: 'FLOWS_UNKNOWN_GROUP', message: `No process group named "${reference}" under ${parentGroupId}.`, hint: 'Pass its exact name (case-sensitive) with --parent <id of its parent>, or its id.' });
      // The YAML's $schema comment is relative to where the file goes (stdout: the folder the command was typed in).
      const outFile = options.out ? resolve(io.cwd, options.out) : undefined;
      const sharedFile = options['shared-out'] ? resolve(io.cwd, options['shared-out']) : undefined;
      if (sharedFile && sharedFile === outFile) throw new UsageError("--shared-out names the --out file; leave it out to write what is shared into the flow's file, or name another file.");
      const exported = await exportFlow(nifi, groupId, { schemaReference: schemaReference(outFile ? dirname(outFile) : io.cwd), sharedApart: sharedFile !== undefined });
      if (outFile) await writeFile(outFile, exported.yaml);
      // Several groups export into one shared file: what it holds already is kept, and a conflicting definition refused.
      const sharedYaml = exported.sharedYaml && sharedFile ? await mergedSharedYaml(sharedFile, exported, schemaReference(dirname(sharedFile)), { groupId, reference }) : undefined;
      if (sharedFile && sharedYaml) await writeFile(sharedFile, sharedYaml);
      view.result({ flow: exported.flow, parameterContexts: exported.parameterContexts, parent: exported.parent, warnings: exported.warnings }, () => (options.out ? '' : exported.yaml.trimEnd()));
      for (const warning of exported.warnings) view.warning(warning);
      if (options.out) view.note(`wrote ${options.out}`);
      if (sharedFile && sharedYaml) view.note(`wrote ${options['shared-out']}`);
      return 0;
    });
  },
});
