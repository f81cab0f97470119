// Starting the cluster profile's JVMs at a lower CPU priority, so that three NiFi nodes and a Trino cluster
// booting on two cores leave the default services (and the tests using them) responsive.
import { startProcess, type StartedProcess, type StartProcessOptions } from '../process/managed-process.ts';

/** Niceness of every cluster-profile JVM (0 is the default; 19 the lowest priority). */
export const clusterProcessNiceness = 10;

/** Starts `command args…` under `nice`, which execs it: the recorded PID is the server's own. */
export function startClusterNodeProcess(options: StartProcessOptions): Promise<StartedProcess> {
  return startProcess({ ...options, command: 'nice', args: ['-n', String(clusterProcessNiceness), options.command, ...options.args] });
}
