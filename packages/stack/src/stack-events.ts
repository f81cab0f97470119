import type { ServiceName } from './config/stack-config.ts';

/** When one node of a clustered service (a NiFi node, Trino's coordinator or worker) became ready, counted from the service's start. */
export interface NodeReadiness {
  node: string;
  startToReadyMs: number;
}

/** Progress of `up`/`down`, for a TTY renderer or a JSON log. Names follow `<noun>-<action>`. */
export type StackEvent =
  | { type: 'service-install-start'; service: ServiceName }
  | { type: 'service-install-step'; service: ServiceName; step: string }
  | { type: 'service-install-end'; service: ServiceName; durationMs: number }
  /** `processes`: a clustered service with nodes still running gets only these (its missing nodes) started. */
  | { type: 'service-start'; service: ServiceName; processes?: string[] }
  | { type: 'service-ready'; service: ServiceName; reused: boolean; startToReadyMs: number; totalMs: number; nodes?: NodeReadiness[]; startedProcesses?: string[] }
  /** A clustered service: one of its nodes is ready (a NiFi node CONNECTED, the Trino worker active). */
  | { type: 'service-node-ready'; service: ServiceName; node: string; startToReadyMs: number }
  | { type: 'service-failed'; service: ServiceName; message: string }
  | { type: 'service-stop'; service: ServiceName; wasRunning: boolean }
  /** `loadDags`: the files of `source` were copied into the DAG folder and Airflow lists these DAGs from them. */
  | { type: 'dags-loaded'; service: 'airflow'; source: string; fileCount: number; dagIds: string[] };
