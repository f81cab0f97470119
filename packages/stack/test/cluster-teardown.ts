// Global setup of the cluster test projects that only tears down: the cluster (booted by the first cluster test,
// see cluster-stack.ts) is stopped after the last test, unless DATAPLAT_KEEP_STACK=1 keeps the whole stack.
import { clusterServiceNames, stopStack } from '../src/index.ts';
import { testStackOptions } from './global-setup.ts';

export default function setup(): () => Promise<void> {
  return async () => {
    if (process.env['DATAPLAT_KEEP_STACK'] !== '1') await stopStack({ ...testStackOptions, services: clusterServiceNames });
  };
}
