// Scope of ownership against the real NiFi: two projects manage flows under one parent without seeing,
// pruning or destroying each other's; a plan of some of a project's files lists the others as outside
// the paths (not orphans) and --prune refuses unless told; duplicate groups block only their own flow.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createNifiClient } from '@dataplat/nifi';
import { applyFlows, defineFlow, listManagedFlows, planFlows, type Plan } from '@dataplat/flows';
import { runCli } from '../run-cli.ts';

const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
const nifi = createNifiClient({ baseUrl: apiUrl });
const suffix = Date.now().toString(36);
const parents: string[] = [];
let workdir = '';

beforeAll(async () => {
  workdir = await mkdtemp(join(tmpdir(), 'dataplat-flows-projects-'));
});

afterAll(async () => {
  for (const parent of parents) await nifi.processGroups.delete(parent).catch(() => undefined);
  for (const context of await nifi.parameterContexts.list()) {
    if (context.component.name?.includes(suffix)) await nifi.parameterContexts.delete(context.id).catch(() => undefined);
  }
  await nifi.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
});

async function parent(label: string): Promise<string> {
  const group = await nifi.processGroups.create('root', { name: `flows-projects-${label}-${suffix}` });
  parents.push(group.id);
  return group.id;
}

const flowYaml = (name: string, period = '1 hour') =>
  [
    `name: ${name}`,
    'processors:',
    `  generate: { type: GenerateFlowFile, schedule: { period: ${period} }, state: stopped }`,
    '  drop: { type: UpdateAttribute, autoTerminate: [success] }',
    'connections:',
    '  - { from: generate, to: drop, relationships: [success] }',
    '',
  ].join('\n');

async function writeFlows(folder: string, names: string[]): Promise<void> {
  await mkdir(join(workdir, folder, 'flows'), { recursive: true });
  for (const name of names) await writeFile(join(workdir, folder, 'flows', `${name}.yaml`), flowYaml(name));
}

async function flows(folder: string, args: string[]) {
  return runCli(args, { cwd: join(workdir, folder), env: { NIFI_URL: apiUrl } });
}

describe('projects: the managed flows of one repository are a named set', () => {
  it('keeps two projects under one parent apart, and treats a plan of some files as partial', async () => {
    const parentGroupId = await parent('two');
    const [a1, a2, b1] = [`a1-${suffix}`, `a2-${suffix}`, `b1-${suffix}`];
    await writeFlows('team-a', [a1, a2]);
    await writeFlows('team-b', [b1]);
    await writeFile(join(workdir, 'team-b', 'flows.config.yaml'), `project: team-b\nparent: ${parentGroupId}\n`);
    const teamA = ['--project', 'team-a', '--parent', parentGroupId];

    expect((await flows('team-a', ['apply', ...teamA])).exitCode).toBe(0);
    expect((await flows('team-b', ['apply'])).exitCode).toBe(0);
    expect((await listManagedFlows(nifi, parentGroupId, 'team-a')).map((managed) => managed.marker.project)).toEqual(['team-a', 'team-a']);

    // Each project sees only its own flows: nothing to prune, nothing listed as an orphan.
    const whole = await flows('team-a', ['plan', '--prune', '--detailed-exitcode', '--json', ...teamA]);
    expect(whole.exitCode).toBe(0);
    expect(JSON.parse(whole.stdout)).toMatchObject({ target: { project: 'team-a' }, orphans: [], flows: [{ action: 'no-op' }, { action: 'no-op' }] });
    const statusA = JSON.parse((await flows('team-a', ['status', '--json', ...teamA])).stdout) as Array<{ flow: string }>;
    expect(statusA.map((row) => row.flow).sort()).toEqual([a1, a2]);
    const foreign = await flows('team-a', ['destroy', b1, ...teamA]);
    expect(foreign.exitCode).toBe(1);
    expect(foreign.stderr).toContain(`Flow "${b1}" under process group ${parentGroupId} belongs to project "team-b", not to project "team-a".`);

    // One file of the project: the other flow is outside the given paths, not an orphan.
    const single = await flows('team-a', ['plan', `flows/${a1}.yaml`, ...teamA]);
    expect(single.exitCode).toBe(0);
    expect(single.stdout).toContain(`1 other flow(s) of this project are not in the given paths, left as they are: ${a2}`);
    expect(single.stdout).not.toContain('managed in NiFi but not in the code');
    const singleJson = JSON.parse((await flows('team-a', ['plan', `flows/${a1}.yaml`, '--json', ...teamA])).stdout) as Plan;
    expect([singleJson.orphans, singleJson.notInPaths]).toEqual([[], [a2]]);
    const refused = await flows('team-a', ['apply', `flows/${a1}.yaml`, '--prune', ...teamA]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain("--prune with only some of the project's flow files");
    const told = JSON.parse((await flows('team-a', ['plan', `flows/${a1}.yaml`, '--prune', '--allow-partial-prune', '--json', ...teamA])).stdout) as Plan;
    expect(told.flows.map((flowPlan) => [flowPlan.flow, flowPlan.action])).toEqual([
      [a1, 'no-op'],
      [a2, 'delete'],
    ]);
    expect(await listManagedFlows(nifi, parentGroupId, 'team-a')).toHaveLength(2);
    // A saved plan is bound to what it deletes: applying it with --prune added is refused, nothing deleted.
    await mkdir(join(workdir, 'team-a', 'plans'), { recursive: true });
    expect((await flows('team-a', ['plan', `flows/${a1}.yaml`, '--out', 'plans/one.json', ...teamA])).exitCode).toBe(0);
    const widened = await flows('team-a', ['apply', '--plan', 'plans/one.json', '--prune', '--allow-partial-prune', ...teamA]);
    expect(widened.exitCode).toBe(1);
    expect(widened.stderr).toContain('The saved plan no longer matches');
    expect(await listManagedFlows(nifi, parentGroupId, 'team-a')).toHaveLength(2);

    // A flow named like another project's is blocked, and only that flow.
    await writeFile(join(workdir, 'team-b', 'flows', `${a1}.yaml`), flowYaml(a1));
    const clash = await flows('team-b', ['apply', '--json']);
    expect(clash.exitCode).toBe(1);
    const clashed = JSON.parse(clash.stdout) as { plan: Plan };
    expect(clashed.plan.blocked).toMatchObject([{ flow: a1, code: 'FLOWS_OTHER_PROJECT' }]);
    expect(clashed.plan.flows).toMatchObject([{ flow: b1, action: 'no-op' }]);
  });

  it('blocks only the flow that several groups claim, names the groups and the command that resolves it', async () => {
    const parentGroupId = await parent('dup');
    const flow = (name: string, period = '1 hour') =>
      defineFlow({ name, processors: { generate: { type: 'GenerateFlowFile', schedule: { period }, state: 'stopped' } }, connections: [] });
    const [duplicated, healthy] = [`dup-${suffix}`, `ok-${suffix}`];
    const created = await applyFlows(nifi, [flow(duplicated), flow(healthy)], { parentGroupId });
    const original = created.applied.find((entry) => entry.flow === duplicated)!.groupId!;
    // What two racing applies leave behind: a second group carrying the same marker.
    const copy = await nifi.processGroups.create(parentGroupId, { name: duplicated, comments: (await nifi.processGroups.get(original)).component.comments ?? '' });

    const { plan } = await planFlows(nifi, [flow(duplicated, '2 hours'), flow(healthy, '2 hours')], { parentGroupId });
    expect(plan.flows).toMatchObject([{ flow: healthy, action: 'update' }]);
    const [blocked, ...more] = plan.blocked ?? [];
    expect(more).toEqual([]);
    expect(blocked).toMatchObject({ flow: duplicated, code: 'FLOWS_AMBIGUOUS_GROUP' });
    expect([...blocked!.groupIds].sort()).toEqual([original, copy.id].sort());
    expect(blocked!.message).toContain(`Several process groups under ${parentGroupId} claim flow "${duplicated}"`);
    expect(blocked!.hint).toMatch(new RegExp(`flows destroy (${original}|${copy.id}) --parent ${parentGroupId}`));

    await mkdir(join(workdir, 'dup', 'flows'), { recursive: true });
    await writeFile(join(workdir, 'dup', 'flows', 'dup.yaml'), flowYaml(duplicated, '2 hours'));
    await writeFile(join(workdir, 'dup', 'flows', 'ok.yaml'), flowYaml(healthy, '2 hours'));
    const applied = await flows('dup', ['apply', '--parent', parentGroupId]);
    expect(applied.exitCode).toBe(1);
    expect(applied.stdout).toContain(`! flow ${duplicated} is blocked [FLOWS_AMBIGUOUS_GROUP]`);
    expect(applied.stdout).toContain(`1 flow(s) blocked, not applied: ${duplicated}.`);
    expect(applied.stdout).toContain(`flows destroy `);

    // The resolving command from the hint: destroy the extra group by id; then everything converges.
    expect((await flows('dup', ['destroy', copy.id, '--parent', parentGroupId])).exitCode).toBe(0);
    expect((await flows('dup', ['apply', '--parent', parentGroupId])).exitCode).toBe(0);
    const settled = await flows('dup', ['plan', '--detailed-exitcode', '--parent', parentGroupId]);
    expect(settled.exitCode).toBe(0);
  });

  it('takes flows applied without a project into one with --adopt, keeping their groups', async () => {
    const parentGroupId = await parent('legacy');
    const legacy = `legacy-${suffix}`;
    await writeFlows('legacy', [legacy]);
    expect((await flows('legacy', ['apply', '--parent', parentGroupId])).exitCode).toBe(0);
    const [before] = await listManagedFlows(nifi, parentGroupId);

    const withProject = ['--project', 'team-legacy', '--parent', parentGroupId];
    const refused = await flows('legacy', ['plan', '--json', ...withProject]);
    expect(refused.exitCode).toBe(1);
    expect((JSON.parse(refused.stdout) as Plan).blocked).toMatchObject([{ flow: legacy, code: 'FLOWS_OTHER_PROJECT', hint: expect.stringContaining('--adopt') }]);

    const adopted = await flows('legacy', ['apply', '--adopt', '--json', ...withProject]);
    expect(adopted.exitCode).toBe(0);
    expect((JSON.parse(adopted.stdout) as { plan: Plan }).plan.flows).toMatchObject([{ flow: legacy, action: 'update', components: [], markerChanged: true }]);
    const [after] = await listManagedFlows(nifi, parentGroupId, 'team-legacy');
    expect([after?.groupId, after?.marker.project]).toEqual([before?.groupId, 'team-legacy']);
    expect((await flows('legacy', ['plan', '--detailed-exitcode', ...withProject])).exitCode).toBe(0);
  });
});
