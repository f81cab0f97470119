// @dataplat/trino's core cases against the cluster profile's Trino: a coordinator that schedules nothing on
// itself and one worker that runs every task (spooling to the stack's S3) — the same suite as the single node's.
import { useTestCluster } from '../../../stack/test/cluster-stack.ts';
import { describeTrinoClientCases } from '../trino-client-cases.ts';

describeTrinoClientCases('@dataplat/trino against the Trino cluster (coordinator + worker)', async () => (await useTestCluster()).endpoints.trinoCluster, {
  // Under a third of the single node's spooled read (~120k rows, still spooled to S3; 40k stayed inline): the full one took 235 s here.
  spooledOrderkeyLimit: 120_000,
});
