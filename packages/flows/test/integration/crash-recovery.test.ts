// A `flows apply` killed in the middle (SIGKILL, as a CI runner cancelling a job would) and run again
// converges: one group per flow, secrets pushed, everything running, and a plan with nothing to do.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pollUntil } from '@dataplat/core';
import { applyFlows, listManagedFlows, loadFlowFile, planFlows } from '@dataplat/flows';
import { nifiWorkspace } from '../nifi-workspace.ts';
import { shopFlowsFile } from '../shop-flows.ts';

// Clean-up deletes the parent with its flows and the contexts named with the suffix (every flow's here).
const workspace = nifiWorkspace('crash');
const { apiUrl, nifi, scratch } = workspace;
const { suffix } = scratch;
const names = ['a', 'b', 'c'].map((letter) => `crash-${letter}-${suffix}`);
const leftoverNames = ['empty', 'held'].map((word) => `crash-${word}-${suffix}`);
const env = { SHOP_TOKEN: 'token-for-the-shop' };
let parentGroupId = '';

const flowFile = shopFlowsFile(names);

describe('flows apply killed mid-way', () => {
  it('converges when run again: no duplicates, secrets set, nothing left to do', async () => {
    parentGroupId = await scratch.parent('shop');
    await writeFile(join(workspace.workdir, 'shop.yaml'), flowFile);

    const cli = spawn(process.execPath, ['--conditions=@dataplat/source', join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts'), 'apply', 'shop.yaml', '--parent', parentGroupId], {
      cwd: workspace.workdir,
      // A short lease: the killed apply leaves its lock behind, which the next apply takes over after the TTL.
      env: { ...process.env, ...env, NIFI_URL: apiUrl, FLOWS_LOCK_TTL: '3s' },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
    // Kill it as soon as the first flow's group exists: mid-way through the first of three flows.
    await pollUntil(
      async () => ((await nifi.processGroups.flow(parentGroupId)).contents.processGroups.length > 0 ? { done: true, value: true } : { done: false }),
      { timeoutMs: 60_000, initialIntervalMs: 20, maxIntervalMs: 50, description: 'the first group of the killed apply' },
    );
    cli.kill('SIGKILL');
    expect(await exited).toBeNull();
    const leftBehind = await listManagedFlows(nifi, parentGroupId);
    expect(leftBehind.length).toBeLessThan(3);

    const loaded = loadFlowFile('shop.yaml', flowFile);
    await applyFlows(nifi, loaded.flows, { parentGroupId, env });

    const groups = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups;
    expect(groups.map((group) => group.component?.name).sort()).toEqual([...names].sort());
    for (const name of names) {
      const context = await nifi.parameterContexts.findByName(name);
      // A set sensitive value reads back masked; an unset one has no value at all.
      expect(context?.component.parameters?.find((entry) => entry.parameter?.name === 'token')?.parameter?.value).toBe('********');
    }
    for (const group of groups) {
      const tree = await nifi.processGroups.tree(group.id!);
      expect(Object.fromEntries(tree.contents.processors.map((processor) => [processor.component?.name, processor.component?.state]))).toEqual({ generate: 'STOPPED', tag: 'RUNNING' });
    }
    const { plan } = await planFlows(nifi, loaded.flows, { parentGroupId, env });
    expect(plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op', 'no-op', 'no-op']);
  });

  it('takes over the empty group an upload cut short by a NiFi crash leaves, and still refuses a group with anything in it', async () => {
    // NiFi makes an uploaded group empty first, then fills it and writes its comments (the ownership marker); killed
    // in between (a restart test once caught it there), it comes back with an empty, unmarked group of the flow's name.
    const leftoverParent = (await nifi.processGroups.create(parentGroupId, { name: 'leftovers' })).id;
    const [emptyName, heldName] = leftoverNames as [string, string];
    const empty = await nifi.processGroups.create(leftoverParent, { name: emptyName });
    const loaded = loadFlowFile('leftovers.yaml', shopFlowsFile([emptyName]));
    const { plan } = await planFlows(nifi, loaded.flows, { parentGroupId: leftoverParent, env });
    expect(plan.flows).toMatchObject([{ flow: emptyName, action: 'update', groupId: empty.id, markerChanged: true }]);
    await applyFlows(nifi, loaded.flows, { parentGroupId: leftoverParent, env });
    const [managed] = await listManagedFlows(nifi, leftoverParent);
    expect(managed).toMatchObject({ flow: emptyName, groupId: empty.id });
    const tree = await nifi.processGroups.tree(empty.id);
    expect(Object.fromEntries(tree.contents.processors.map((processor) => [processor.component?.name, processor.component?.state]))).toEqual({ generate: 'STOPPED', tag: 'RUNNING' });
    expect((await planFlows(nifi, loaded.flows, { parentGroupId: leftoverParent, env })).plan.flows.map((flowPlan) => flowPlan.action)).toEqual(['no-op']);
    // Beside the flow's own (marked) group, an empty one of the same name is not a leftover to take over: ignored.
    await nifi.processGroups.create(leftoverParent, { name: emptyName });
    const beside = await planFlows(nifi, loaded.flows, { parentGroupId: leftoverParent, env });
    expect({ blocked: beside.plan.blocked ?? [], actions: beside.plan.flows.map((flowPlan) => [flowPlan.action, flowPlan.groupId]) }).toEqual({ blocked: [], actions: [['no-op', empty.id]] });

    // Someone's group of that name with a funnel in it is not a leftover: refused, untouched.
    const held = await nifi.processGroups.create(leftoverParent, { name: heldName });
    await nifi.funnels.create(held.id, {});
    const other = loadFlowFile('held.yaml', shopFlowsFile([heldName]));
    await expect(planFlows(nifi, other.flows, { parentGroupId: leftoverParent, env })).rejects.toMatchObject({ code: 'FLOWS_UNMANAGED_GROUP' });
    expect((await nifi.processGroups.flow(held.id)).contents.funnels).toHaveLength(1);
  });
});
