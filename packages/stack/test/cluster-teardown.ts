// Global setup of the cluster test projects that only tears down: after the last test the cluster is stopped (once
// a boot still under way has ended), unless DATAPLAT_KEEP_STACK=1 keeps the whole stack.
import { clusterServiceNames, stopStack } from '../src/index.ts';
import { waitForClusterBoot } from './cluster-stack.ts';
import { testStackOptions } from './global-setup.ts';

export default function setup(): () => Promise<void> {
  return async () => {
    await waitForClusterBoot();
    if (process.env['DATAPLAT_KEEP_STACK'] !== '1') await stopStack({ ...testStackOptions, services: clusterServiceNames });
  };
}
