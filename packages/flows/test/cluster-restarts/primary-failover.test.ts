// The NiFi cluster losing its primary node in the middle of `flows run`, end to end through the flows CLI: the run
// ends (completes or fails) and says which node was lost; another node is elected primary and the next run's
// primary-only source emits there, once; the killed node restarted alone rejoins, and `plan` is a no-op.
// The failover timings printed here go into issue 16's resolving note.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from '@dataplat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNifiClient, type NifiClient, type RunOnceReport } from '@dataplat/nifi';
import { killStackService } from '../../../stack/src/index.ts';
import { clusterState, millisecondsUntil, nodePids, restartMissingNodes, seconds } from '../../../stack/test/cluster-failover.ts';
import { useTestCluster, type TestCluster } from '../../../stack/test/cluster-stack.ts';
import { testStackOptions } from '../../../stack/test/global-setup.ts';
import { type PerNodeRunOutput } from '../cluster-flows.ts';
import { runCli } from '../run-cli.ts';
import { scratchGroups, type ScratchGroups } from '../scratch-groups.ts';

const batchSize = 60;

let cluster: TestCluster;
let workdir = '';
let survivor: { node: string; apiUrl: string };
let nifi: NifiClient;
let scratch: ScratchGroups;

beforeAll(async () => {
  cluster = await useTestCluster();
  workdir = await mkdtemp(join(tmpdir(), 'flows-cluster-failover-'));
}, 1_200_000);

afterAll(async () => {
  // Whatever failed above, leave the cluster whole for the files after this one.
  await restartMissingNodes();
  await scratch?.cleanUp();
  await nifi?.close();
  if (workdir) await rm(workdir, { recursive: true, force: true });
}, 1_200_000);

/** A primary-only source whose batch a round-robin queue spreads over the nodes, paced to ~2 flowfiles/s per node. */
const failoverFlow = (name: string) =>
  [
    `name: ${name}`,
    'processors:',
    `  generate: { type: GenerateFlowFile, properties: { Batch Size: "${batchSize}" }, schedule: { period: 1 hour }, state: stopped, executionNode: primary }`,
    '  pace: { type: ControlRate, properties: { Rate Control Criteria: flowfile count, Maximum Rate: "2", Time Duration: 1 sec }, autoTerminate: [success, failure] }',
    'connections:',
    '  - { from: generate, to: pace, relationships: [success], loadBalance: round-robin }',
    '',
  ].join('\n');

const flowsCli = (args: string[], parentGroupId: string) =>
  runCli([...args, '--parent', parentGroupId], { cwd: workdir, env: { NIFI_URL: survivor.apiUrl } });

describe('the primary node killed during flows run', () => {
  it('ends the run naming the lost node, elects another primary that runs the source next time, and converges once the node is back', async () => {
    const before = (await clusterState())!;
    expect(before.complete).toBe(true);
    const primary = before.primary!;
    const nodeUrl = (name: string) => cluster.endpoints.nifiCluster.nodes.find((node) => node.node === name)!.apiUrl;
    const addressOf = (name: string) => new URL(nodeUrl(name)).host;
    // The CLI talks to a node that stays up: losing the node a client calls is a network failure, not a failover.
    survivor = cluster.endpoints.nifiCluster.nodes.find((node) => node.node !== primary)!;
    nifi = createNifiClient({ baseUrl: survivor.apiUrl });
    scratch = scratchGroups(nifi, 'cluster-failover');
    const parentGroupId = await scratch.parent('run');
    const name = `failover-${scratch.suffix}`;
    await writeFile(join(workdir, `${name}.yaml`), failoverFlow(name));
    const applied = await flowsCli(['apply', `${name}.yaml`], parentGroupId);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    const group = (await nifi.processGroups.flow(parentGroupId)).contents.processGroups.find((entry) => entry.component?.name === name)!;
    const pidsBefore = await nodePids();

    // The run starts; once the batch is spread over the nodes, the primary (which emitted it) is SIGKILLed.
    const runStartedAt = performance.now();
    const run = flowsCli(['run', name, '--per-node', '--json'], parentGroupId);
    await pollUntil(
      async () => {
        const status = await nifi.processGroups.status(group.id);
        return (status.flowFilesQueued ?? 0) > 0 ? { done: true, value: undefined } : { done: false, progress: 'nothing queued yet' };
      },
      { description: 'the run to queue its batch', timeoutMs: 60_000, initialIntervalMs: 100, maxIntervalMs: 250 },
    );
    console.log(`[cluster-failover] killing the primary ${primary} (${addressOf(primary)}; coordinator ${before.coordinator}) ${seconds(performance.now() - runStartedAt)} into the run; the CLI calls ${survivor.node}`);
    expect(await killStackService('nifi-cluster', { ...testStackOptions, processes: [primary] })).toEqual([primary]);
    const killedAt = performance.now();

    // The failover is timed while the run is still deciding how to end.
    let coordinatorMs: number | undefined;
    const elected = millisecondsUntil(`a node other than ${primary} is primary`, killedAt, (state) => {
      if (coordinatorMs === undefined && state.coordinator !== undefined && state.coordinator !== primary) coordinatorMs = performance.now() - killedAt;
      return state.primary !== undefined && state.primary !== primary;
    });
    const detected = millisecondsUntil(`${primary} not CONNECTED`, killedAt, (state) => state.nodes.some((node) => node.name === primary && node.status !== 'CONNECTED'));
    // Awaited after the run; a failure before then must not count as unhandled.
    for (const timing of [elected, detected]) timing.catch(() => undefined);
    const ended = await run;
    const runEndedMs = performance.now() - killedAt;
    const [electedMs, detectedMs] = await Promise.all([elected, detected]);

    // Completed or failed, the run names the node it lost: in the report's lostNodes, or in the error.
    const output = JSON.parse(ended.stdout) as Partial<PerNodeRunOutput> & { error?: { code: string; message: string } };
    console.log(`[cluster-failover] flows run ended ${seconds(runEndedMs)} after the kill, exit code ${ended.exitCode}: ${output.error ? `${output.error.code} ${output.error.message.slice(0, 300)}` : `lostNodes ${JSON.stringify(output.lostNodes)}, ${output.flowFilesIn} in`}`);
    if (output.error) {
      expect(ended.exitCode).toBe(1);
      expect(output.error.message).toContain(addressOf(primary));
    } else {
      expect(output.lostNodes).toEqual([addressOf(primary)]);
      expect(output.nodes?.find((node) => node.name === addressOf(primary))).toMatchObject({ lost: true });
    }

    const failedOver = (await clusterState())!;
    const newPrimary = failedOver.primary!;
    console.log(
      `[cluster-failover] primary ${primary} SIGKILLed → ${newPrimary} primary after ${seconds(electedMs)}` +
        (before.coordinator === primary ? `, ${failedOver.coordinator} coordinator after ${coordinatorMs === undefined ? '(not seen first)' : seconds(coordinatorMs)}` : '') +
        `; ${primary} listed not CONNECTED after ${seconds(detectedMs)}`,
    );
    expect(newPrimary).not.toBe(primary);

    // The next run's source emits on the new primary, once.
    const again = await flowsCli(['run', name, '--per-node', '--json'], parentGroupId);
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    const report = JSON.parse(again.stdout) as RunOnceReport;
    expect(report.flowFilesIn).toBe(batchSize);
    const emittedOn = report.nodes?.filter((node) => node.processors.some((processor) => processor.name === 'generate' && processor.flowFilesOut > 0)).map((node) => node.name);
    expect(emittedOn).toEqual([addressOf(newPrimary)]);

    // Only the killed node restarts; it rejoins, and the flow as NiFi holds it still matches the code.
    const { timing } = await restartMissingNodes();
    expect(timing.startedProcesses).toEqual([primary]);
    console.log(`[cluster-failover] ${primary} restarted alone → CONNECTED after ${seconds(timing.nodes![0]!.startToReadyMs)} (cluster complete ${seconds(timing.startToReadyMs)} after the start)`);
    const pidsAfter = await nodePids();
    for (const node of Object.keys(pidsBefore).filter((entry) => entry !== primary)) expect(pidsAfter[node], `${node} kept running`).toBe(pidsBefore[node]);
    const whole = (await clusterState())!;
    expect(whole.complete).toBe(true);
    // The role stays where it went: a rejoining node does not take it back.
    expect(whole.primary).toBe(newPrimary);
    const plan = await flowsCli(['plan', `${name}.yaml`, '--detailed-exitcode', '--json'], parentGroupId);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
  });
});
