// What a start launches when a service's processes are partly alive: a clustered service gets only its missing
// nodes started, everything else is restarted whole.
import { describe, expect, it } from 'vitest';
import { resolveStackConfig } from '../config/stack-config.ts';
import { missingNodesToStart, type ClusterNodes } from './service.ts';
import { trinoClusterService } from './trino/trino-cluster-service.ts';

const singleNodes: ClusterNodes = { ports: () => [], start: () => Promise.resolve([]) };
const clustered = { processNames: ['node-1', 'node-2', 'node-3'], nodes: singleNodes };

describe('missingNodesToStart', () => {
  it('starts only the missing nodes of a clustered service whose other nodes run', () => {
    expect(missingNodesToStart(clustered, ['node-1', 'node-3'])).toEqual(['node-2']);
    expect(missingNodesToStart(clustered, ['node-3'])).toEqual(['node-1', 'node-2']);
  });

  it('starts a clustered service whole when no node runs, or when all run (alive but not ready)', () => {
    expect(missingNodesToStart(clustered, [])).toBeUndefined();
    expect(missingNodesToStart(clustered, ['node-1', 'node-2', 'node-3'])).toBeUndefined();
  });

  it('restarts a service without single-node starts whole, whatever is alive', () => {
    expect(missingNodesToStart({ processNames: ['api-server', 'scheduler'] }, ['scheduler'])).toBeUndefined();
  });
});

describe("the Trino cluster's single-node starts", () => {
  const config = resolveStackConfig({ profile: 'cluster', stateDir: '/state' }, {});

  it('checks the port of the one node it starts', () => {
    expect(trinoClusterService.nodes!.ports(config, 'worker')).toEqual([config.ports.trinoClusterWorker]);
    expect(trinoClusterService.nodes!.ports(config, 'coordinator')).toEqual([config.ports.trinoCluster]);
  });

  it('refuses a process it does not have', async () => {
    expect(() => trinoClusterService.nodes!.ports(config, 'worker-2')).toThrow(expect.objectContaining({ code: 'STACK_CONFIG_INVALID' }));
    const context = { config, java: () => Promise.reject(new Error('not reached')), report: () => undefined };
    await expect(trinoClusterService.nodes!.start(context, ['worker-2'])).rejects.toMatchObject({ code: 'STACK_CONFIG_INVALID' });
  });
});
