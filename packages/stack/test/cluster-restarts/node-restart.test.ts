// Failover of the NiFi cluster, measured: a node SIGKILLed is noticed by the coordinator, and `startStack` restarts
// only that node (the others keep their PIDs) until all three are CONNECTED again; the primary node killed hands
// its role to another node. The timings printed here go into issue 16's resolving note.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStackService, startStack } from '../../src/index.ts';
import { clusterOptions, clusterState, millisecondsUntil, nodePids, restartMissingNodes, seconds } from '../cluster-failover.ts';
import { useTestCluster } from '../cluster-stack.ts';
import { testStackOptions } from '../global-setup.ts';

describe('a NiFi cluster node killed and restarted alone', () => {
  beforeAll(async () => {
    await useTestCluster();
    expect((await clusterState())?.complete).toBe(true);
  }, 1_200_000);

  afterAll(async () => {
    // Whatever failed above, leave the cluster whole for the files after this one.
    await startStack({ ...clusterOptions, services: ['nifi-cluster'] });
  }, 1_200_000);

  it('notices node-2 gone, and restarts node-2 only until all three are CONNECTED again', async () => {
    const before = await nodePids();
    expect(Object.values(before).every((pid) => pid !== undefined)).toBe(true);
    const roles = (await clusterState())!;
    console.log(`[cluster-restart] before: primary ${roles.primary}, coordinator ${roles.coordinator}`);

    expect(await killStackService('nifi-cluster', { ...testStackOptions, processes: ['node-2'] })).toEqual(['node-2']);
    const killedAt = performance.now();
    const detectedMs = await millisecondsUntil('node-2 not CONNECTED', killedAt, (state) => state.nodes.some((node) => node.name === 'node-2' && node.status !== 'CONNECTED'));
    const detected = (await clusterState())!;
    console.log(`[cluster-restart] node-2 SIGKILLed → the coordinator (${detected.coordinator}) lists it ${detected.nodes.find((node) => node.name === 'node-2')?.status} after ${seconds(detectedMs)}`);
    expect(detected.connected.sort()).toEqual(['node-1', 'node-3']);

    const { timing, seconds: restartSeconds } = await restartMissingNodes();
    expect(timing).toMatchObject({ reused: false, startedProcesses: ['node-2'] });
    expect(timing.nodes?.map((node) => node.node)).toEqual(['node-2']);
    console.log(`[cluster-restart] node-2 restarted alone → CONNECTED after ${seconds(timing.nodes![0]!.startToReadyMs)} (cluster complete ${seconds(timing.startToReadyMs)} after the start, startStack ${restartSeconds.toFixed(1)} s)`);

    const after = await nodePids();
    expect({ 'node-1': after['node-1'], 'node-3': after['node-3'] }).toEqual({ 'node-1': before['node-1'], 'node-3': before['node-3'] });
    expect(after['node-2']).toBeDefined();
    expect(after['node-2']).not.toBe(before['node-2']);
    const whole = (await clusterState())!;
    expect(whole).toMatchObject({ complete: true });
    expect(whole.connected.sort()).toEqual(['node-1', 'node-2', 'node-3']);
  });

  it('hands the Primary Node role to another node when the primary is killed, and the killed node rejoins', async () => {
    const before = (await clusterState())!;
    expect(before.complete).toBe(true);
    const primary = before.primary!;
    const pidsBefore = await nodePids();
    expect(Object.values(pidsBefore).every((pid) => pid !== undefined)).toBe(true);
    // What the killed primary's ZooKeeper session was started with: its session must expire before another node is elected.
    const sessionTimeout = /^nifi\.zookeeper\.session\.timeout=(.*)$/m.exec(await readFile(join(testStackOptions.stateDir!, 'nifi-cluster', primary, 'conf', 'nifi.properties'), 'utf8'))?.[1];
    console.log(`[cluster-restart] killing the primary ${primary} (coordinator: ${before.coordinator}; its ZooKeeper session timeout: ${sessionTimeout})`);

    expect(await killStackService('nifi-cluster', { ...testStackOptions, processes: [primary] })).toEqual([primary]);
    const killedAt = performance.now();
    let coordinatorMs: number | undefined;
    const primaryMs = await millisecondsUntil(`a node other than ${primary} is primary`, killedAt, (state) => {
      if (coordinatorMs === undefined && state.coordinator !== undefined && state.coordinator !== primary) coordinatorMs = performance.now() - killedAt;
      return state.primary !== undefined && state.primary !== primary;
    });
    const failedOver = (await clusterState())!;
    console.log(
      `[cluster-restart] primary ${primary} SIGKILLed → ${failedOver.primary} is primary after ${seconds(primaryMs)}` +
        (before.coordinator === primary ? `, ${failedOver.coordinator} coordinator after ${coordinatorMs === undefined ? '(not seen before the primary)' : seconds(coordinatorMs)}` : ''),
    );
    expect(failedOver.primary).not.toBe(primary);

    const detectedMs = await millisecondsUntil(`${primary} not CONNECTED`, killedAt, (state) => state.nodes.some((node) => node.name === primary && node.status !== 'CONNECTED'));
    console.log(`[cluster-restart] ${primary} listed not CONNECTED ${seconds(detectedMs)} after the kill`);

    const { timing } = await restartMissingNodes();
    expect(timing.startedProcesses).toEqual([primary]);
    console.log(`[cluster-restart] ${primary} restarted alone → CONNECTED after ${seconds(timing.nodes![0]!.startToReadyMs)} (cluster complete ${seconds(timing.startToReadyMs)} after the start)`);
    const pidsAfter = await nodePids();
    for (const node of Object.keys(pidsBefore).filter((name) => name !== primary)) expect(pidsAfter[node]).toBe(pidsBefore[node]);
    const whole = (await clusterState())!;
    expect(whole.complete).toBe(true);
    // The role stays where it went: a rejoining node does not take it back.
    expect(whole.primary).toBe(failedOver.primary);
  });
});
