// Configuration of the cluster profile's Trino: a coordinator that schedules no work on itself and one worker
// that runs every task, both on loopback HTTP, with the single Trino's catalogs and spooling to the S3 service.
import { join } from 'node:path';
import type { StackConfig } from '../../config/stack-config.ts';
import { properties, spoolingProtocolProperties, trinoSharedFiles, type TrinoFiles } from './trino-config.ts';

export type TrinoClusterRole = 'coordinator' | 'worker';

/** Node ids as system.runtime.nodes lists them. */
export const trinoClusterNodeIds: Record<TrinoClusterRole, string> = {
  coordinator: 'dataplat-cluster-coordinator',
  worker: 'dataplat-cluster-worker-1',
};

/**
 * Heaps and per-node query memory sized for 2 cores / 24 GB shared with the rest of the stack. Trino wants
 * query.max-memory-per-node + memory.heap-headroom-per-node below the heap; the coordinator runs no tasks
 * (include-coordinator=false), so it gets the smaller heap.
 */
export const trinoClusterMemory: Record<TrinoClusterRole, { heap: string; maxMemoryPerNode: string; heapHeadroomPerNode: string }> = {
  coordinator: { heap: '1G', maxMemoryPerNode: '256MB', heapHeadroomPerNode: '256MB' },
  worker: { heap: '2G', maxMemoryPerNode: '768MB', heapHeadroomPerNode: '512MB' },
};

export interface TrinoClusterNodeLayout {
  installDir: string;
  etcDir: string;
  dataDir: string;
  /** Shared with the single Trino: both see the same Iceberg tables (one JDBC catalog in PostgreSQL). */
  icebergWarehouseDir: string;
}

export interface TrinoClusterSecrets {
  /** Signs spooled segment URLs; the worker writes the segments, so both nodes must share it. */
  spoolingSharedSecretKey: string;
  /** Authenticates the coordinator's and worker's requests to each other. */
  internalSharedSecret: string;
}

export function trinoClusterPort(config: StackConfig, role: TrinoClusterRole): number {
  return role === 'coordinator' ? config.ports.trinoCluster : config.ports.trinoClusterWorker;
}

export function renderTrinoClusterNode(config: StackConfig, role: TrinoClusterRole, layout: TrinoClusterNodeLayout, secrets: TrinoClusterSecrets): TrinoFiles {
  const memory = trinoClusterMemory[role];
  const roleProperties: Record<string, string> =
    role === 'coordinator'
      ? {
          coordinator: 'true',
          // The worker runs every task: the coordinator only plans and schedules.
          'node-scheduler.include-coordinator': 'false',
          'query.max-memory': '1GB',
          // Fail fast rather than wait Trino's 5-minute default when the worker is gone.
          'query-manager.required-workers-max-wait': '30s',
          // A query whose worker died fails after its requests to that worker (task status, result pages) have
          // failed for this long, not after Trino's default minute. Only failed requests count — a loaded worker that
          // answers slowly fails none before the HTTP clients' own timeouts — so 10 s of refused connections means
          // the worker is gone (measured: packages/trino/test/cluster-restarts/worker-killed.test.ts).
          'query.remote-task.max-error-duration': '10s',
          'exchange.max-error-duration': '10s',
        }
      : { coordinator: 'false' };
  return {
    'config.properties': properties({
      ...roleProperties,
      'http-server.http.port': String(trinoClusterPort(config, role)),
      'discovery.uri': `http://127.0.0.1:${config.ports.trinoCluster}`,
      'query.max-memory-per-node': memory.maxMemoryPerNode,
      'memory.heap-headroom-per-node': memory.heapHeadroomPerNode,
      'catalog.config-dir': join(layout.etcDir, 'catalog'),
      'plugin.dir': join(layout.installDir, 'plugin'),
      'experimental.concurrent-startup': 'true',
      ...spoolingProtocolProperties(secrets.spoolingSharedSecretKey),
      'internal-communication.shared-secret': secrets.internalSharedSecret,
    }),
    'node.properties': properties({
      'node.environment': 'dataplat',
      'node.id': trinoClusterNodeIds[role],
      'node.data-dir': layout.dataDir,
      'node.bind-ip': '127.0.0.1',
      'node.internal-address': '127.0.0.1',
    }),
    ...trinoSharedFiles(config, layout),
  };
}
