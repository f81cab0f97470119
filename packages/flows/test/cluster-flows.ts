// For the flows tests on the NiFi cluster: a workspace (the nodes' URLs, a client, scratch parent groups, a folder
// for flow files, all cleaned up), and one small flow whose source is triggered once on every node and whose queue
// drains at a set pace (ControlRate), so a run lasts long enough to lose a node in it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { useTestCluster } from '../../stack/test/cluster-stack.ts';
import { scratchGroups, type ScratchGroups } from './scratch-groups.ts';

export interface ClusterWorkspace {
  nodeUrls: string[];
  /** A client of node `clientNode`. */
  nifi: NifiClient;
  scratch: ScratchGroups;
  /** A temporary folder for flow files. */
  workdir: string;
}

/** Registers the hooks that boot (or reuse) the cluster and set up and clean up a workspace; fields are set in beforeAll. */
export function clusterWorkspace(prefix: string, clientNode = 0): ClusterWorkspace {
  const workspace = {} as ClusterWorkspace;
  beforeAll(async () => {
    const { endpoints } = await useTestCluster();
    workspace.nodeUrls = endpoints.nifiCluster.nodes.map((node) => node.apiUrl);
    workspace.nifi = createNifiClient({ baseUrl: workspace.nodeUrls[clientNode]! });
    workspace.scratch = scratchGroups(workspace.nifi, prefix);
    workspace.workdir = await mkdtemp(join(tmpdir(), `flows-${prefix}-`));
  }, 1_200_000);
  afterAll(async () => {
    await workspace.scratch?.cleanUp();
    await workspace.nifi?.close();
    if (workspace.workdir) await rm(workspace.workdir, { recursive: true, force: true });
  });
  return workspace;
}
export function pacedFlow(name: string, { batchSize, perSecond }: { batchSize: number; perSecond: number }): string {
  return [
    `name: ${name}`,
    'processors:',
    `  generate: { type: GenerateFlowFile, properties: { "Batch Size": "${batchSize}", "File Size": "10B" }, schedule: { period: 1 hour }, state: stopped }`,
    `  pace: { type: ControlRate, properties: { "Rate Control Criteria": "flowfile count", "Maximum Rate": "${perSecond}", "Time Duration": "1 sec" }, autoTerminate: [failure] }`,
    '  sink: { type: UpdateAttribute, autoTerminate: [success] }',
    'connections:',
    '  - { from: generate, to: pace, relationships: [success] }',
    '  - { from: pace, to: sink, relationships: [success] }',
    '',
  ].join('\n');
}

/** What `flows run --json --per-node` prints. */
export interface PerNodeRunOutput {
  flow: string;
  ok: boolean;
  flowFilesIn: number;
  lostNodes: string[];
  nodes: Array<{ name: string; apiPort: number; flowFilesIn: number; flowFilesOut: number; lost: boolean; processors: Array<{ name: string; flowFilesIn: number }> }>;
}
