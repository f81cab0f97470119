// Flow instances through the CLI against the real NiFi (issue 18): three instances of one flow applied,
// each its own group and parameter context; one instance's parameter changed updates only it; a removed
// instance is left alone without --prune and deleted with it; the final plan changes nothing.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nifiWorkspace } from '../nifi-workspace.ts';
import { runCli } from '../run-cli.ts';

const workspace = nifiWorkspace('instances');
const { apiUrl, nifi, scratch } = workspace;
const definition = `sensor-intake-${scratch.suffix}`;
const instance = (site: string) => `sensor-${site}-${scratch.suffix}`;
let parentGroupId = '';

/** The flow file with these instances: site → the value of its `site` parameter (in `folder`, default the project's flows/). */
async function writeSensors(sites: Record<string, string>, { folder = 'flows', generateType = 'GenerateFlowFile' } = {}): Promise<void> {
  const instances = Object.entries(sites).map(([site, value]) => `  ${instance(site)}: { description: "${site} site", parameters: { site: { value: ${value} } } }`);
  await writeFile(
    join(workspace.workdir, folder, 'sensors.yaml'),
    [
      `name: ${definition}`,
      'parameters:',
      '  site: { value: unknown }',
      '  batch: { value: "2" }',
      'processors:',
      `  generate: { type: ${generateType}, properties: { Batch Size: "#{batch}", Custom Text: "#{site}" }, schedule: { period: 1 hour }, state: stopped }`,
      '  tag: { type: UpdateAttribute, properties: { site: "#{site}" }, autoTerminate: [success] }',
      'connections:',
      '  - { from: generate, to: tag, relationships: [success] }',
      'instances:',
      ...instances,
      '',
    ].join('\n'),
  );
}

async function flows(args: string[]) {
  return runCli([...args, '--parent', parentGroupId], { cwd: workspace.workdir, env: { NIFI_URL: apiUrl } });
}

/** The process groups under the scratch parent. */
async function childGroups() {
  return (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
}

/** The value of `site` in an instance's own parameter context, and the context's revision. */
async function siteContext(site: string): Promise<{ value: string | null | undefined; version: number | undefined }> {
  const context = await nifi.parameterContexts.findByName(instance(site));
  if (!context) throw new Error(`no parameter context ${instance(site)}`);
  return { value: context.component.parameters?.find((entry) => entry.parameter?.name === 'site')?.parameter?.value, version: context.revision?.version };
}

describe('flow instances against the real NiFi', () => {
  it('applies three instances, updates only the changed one, prunes a removed one only with --prune, then plans no change', async () => {
    await mkdir(join(workspace.workdir, 'flows'));
    parentGroupId = await scratch.parent('cli');
    await writeSensors({ north: 'north', south: 'south', east: 'east' });

    const validated = await runCli(['validate'], { cwd: workspace.workdir });
    expect(validated).toMatchObject({ exitCode: 0, stderr: expect.stringContaining('1 file(s): 0 error(s), 0 warning(s).') });
    for (const site of ['north', 'south', 'east']) expect(validated.stderr).toContain(`flow ${instance(site)} (instance of ${definition})`);

    // What the target NiFi finds wrong with the shared definition is reported once, not once per instance.
    await mkdir(join(workspace.workdir, 'mistyped'));
    await writeSensors({ north: 'north', south: 'south', east: 'east' }, { folder: 'mistyped', generateType: 'GenerateFlowFiles' });
    const live = await flows(['validate', '--live', 'mistyped', '--json']);
    expect(live.exitCode).toBe(1);
    const liveDiagnostics = (JSON.parse(live.stdout) as { diagnostics: Array<{ code: string; file: string; range?: { start: { line: number; column: number } } }> }).diagnostics;
    expect(liveDiagnostics.map((diagnostic) => `${diagnostic.code} ${diagnostic.file}:${diagnostic.range?.start.line}:${diagnostic.range?.start.column}`)).toEqual([`live/unknown-type ${join('mistyped', 'sensors.yaml')}:6:21`]);

    const firstPlan = await flows(['plan', '--detailed-exitcode']);
    expect(firstPlan.exitCode).toBe(2);
    expect(firstPlan.stdout).toContain(`+ flow ${instance('north')} (instance of ${definition}) (create)`);
    expect(firstPlan.stdout).toContain('Plan: 3 to create, 0 to update, 0 to delete, 0 unchanged.');
    expect(firstPlan.stdout).not.toContain(`flow ${definition} `);

    const applied = await flows(['apply']);
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 3 flow(s) changed.');

    // Three groups named after the instances, with their own ids (groups and components alike) and contexts.
    const children = await childGroups();
    expect(children.map((group) => group.component?.name).sort()).toEqual([instance('east'), instance('north'), instance('south')]);
    const componentIds = new Set<string>();
    for (const child of children) {
      const tree = await nifi.processGroups.tree(child.id);
      for (const id of [child.id, ...tree.contents.processors.map((processor) => processor.id), ...tree.contents.connections.map((connection) => connection.id)]) componentIds.add(id);
      expect(child.component?.comments).toContain(`${child.component?.name?.split('-')[1]} site`);
      expect(child.component?.parameterContext?.component?.name).toBe(child.component?.name);
    }
    expect(componentIds.size).toBe(3 * (1 + 2 + 1));
    const before = { north: await siteContext('north'), south: await siteContext('south'), east: await siteContext('east') };
    expect([before.north.value, before.south.value, before.east.value]).toEqual(['north', 'south', 'east']);

    // status and run address an instance by its name.
    const status = JSON.parse((await flows(['status', '--json'])).stdout) as Array<{ flow: string }>;
    expect(status.map((row) => row.flow).sort()).toEqual([instance('east'), instance('north'), instance('south')]);
    const run = await flows(['run', instance('south'), '--json']);
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ flowFilesIn: 2, sources: ['generate'] });

    // One instance's parameter changed: only it is updated, and only its parameters.
    await writeSensors({ north: 'north-2', south: 'south', east: 'east' });
    const changedPlan = await flows(['plan', '--json']);
    expect(changedPlan.exitCode).toBe(0);
    const changed = JSON.parse(changedPlan.stdout) as { flows: Array<{ flow: string; action: string; components: unknown[]; parameters: unknown[]; runState: unknown[] }> };
    expect(changed.flows.filter((entry) => entry.action !== 'no-op')).toEqual([
      expect.objectContaining({ flow: instance('north'), action: 'update', components: [], runState: [], parameters: [expect.objectContaining({ before: 'north', after: 'north-2' })] }),
    ]);
    expect(changed.flows.filter((entry) => entry.action === 'no-op').map((entry) => entry.flow).sort()).toEqual([instance('east'), instance('south')]);
    expect((await flows(['apply'])).stdout).toContain('Apply complete: 1 flow(s) changed.');
    const after = { north: await siteContext('north'), south: await siteContext('south'), east: await siteContext('east') };
    expect(after.north.value).toBe('north-2');
    expect(after.north.version).toBeGreaterThan(before.north.version!);
    expect(after.south).toEqual(before.south);
    expect(after.east).toEqual(before.east);

    // An instance removed from the code: left alone without --prune, deleted with it.
    await writeSensors({ north: 'north-2', south: 'south' });
    const orphanPlan = await flows(['plan', '--detailed-exitcode']);
    expect(orphanPlan.exitCode).toBe(0);
    expect(orphanPlan.stdout).toContain(`! flow ${instance('east')} is managed in NiFi but not in the code: left alone (use --prune to delete it)`);
    expect((await flows(['apply'])).exitCode).toBe(0);
    expect((await childGroups()).map((group) => group.component?.name)).toContain(instance('east'));
    const pruned = await flows(['apply', '--prune']);
    expect(pruned.exitCode).toBe(0);
    expect(pruned.stdout).toContain(`- flow ${instance('east')} (delete)`);
    expect((await childGroups()).map((group) => group.component?.name).sort()).toEqual([instance('north'), instance('south')]);
    expect(await nifi.parameterContexts.findByName(instance('east'))).toBeUndefined();

    const finalPlan = await flows(['plan', '--detailed-exitcode']);
    expect(finalPlan.exitCode).toBe(0);
    expect(finalPlan.stdout).toContain('Plan: 0 to create, 0 to update, 0 to delete, 2 unchanged.');
    expect(finalPlan.stdout).not.toContain('!');
  });
});
