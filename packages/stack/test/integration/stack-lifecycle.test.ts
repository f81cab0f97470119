import { describe, expect, inject, it } from 'vitest';
import { getStackStatus, startStack } from '../../src/index.ts';
import { testStackOptions } from '../global-setup.ts';

describe('stack lifecycle', () => {
  it('reports every service ready', async () => {
    const statuses = await getStackStatus({ stateDir: inject('stackStateDir') });
    expect(statuses.map((status) => [status.service, status.state])).toEqual([
      ['postgres', 'ready'],
      ['s3', 'ready'],
      ['nifi', 'ready'],
      ['nifi-https', 'ready'],
      ['trino', 'ready'],
      ['airflow', 'ready'],
    ]);
  });

  it('is idempotent: a second up reuses every running service', async () => {
    const stack = await startStack({ ...testStackOptions, onEvent: undefined });
    expect(stack.timings.map((timing) => [timing.service, timing.reused])).toEqual([
      ['postgres', true],
      ['s3', true],
      ['nifi', true],
      ['nifi-https', true],
      ['trino', true],
      ['airflow', true],
    ]);
    // The default services' endpoints; the cluster profile's services may be started or stopped meanwhile (cluster-profile.test.ts).
    const { zookeeper: _zookeeper, nifiCluster: _nifiCluster, trinoCluster: _trinoCluster, ...defaultEndpoints } = stack.endpoints;
    const { zookeeper: _zk, nifiCluster: _nc, trinoCluster: _tc, ...providedDefaultEndpoints } = inject('stackEndpoints');
    expect(defaultEndpoints).toEqual(providedDefaultEndpoints);
  });
});
