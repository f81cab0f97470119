// Applying an example flow from flows/ the way the scenarios need it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AirflowClient } from '@dataplat/airflow';
import { applyFlows, loadFlowFile, type Flow, type SharedContextDeclaration } from '@dataplat/flows';
import type { NifiClient } from '@dataplat/nifi';

export const flowsDir = join(import.meta.dirname, '..', '..', '..', 'flows');

export interface ApplyExampleOptions {
  env: NodeJS.ProcessEnv;
  airflow?: AirflowClient | undefined;
  parentGroupId?: string | undefined;
  /** Overrides the flow's http_port parameter (tests listen on a free port). */
  httpPort?: number | undefined;
}

/** The file the example flows' shared parameter contexts are declared in (examples-db: the database and its JDBC driver). */
export const sharedContextsFile = 'shared-contexts.yaml';

async function loadExampleFile(file: string) {
  const loaded = loadFlowFile(`flows/${file}`, await readFile(join(flowsDir, file), 'utf8'));
  const errors = loaded.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length > 0) throw new Error(`flows/${file} is invalid: ${errors.map((diagnostic) => diagnostic.message).join('; ')}`);
  return loaded;
}

/** The flow of `flows/<file>`, as the code declares it. Invalid files throw with their diagnostics. */
export async function loadExampleFlow(file: string): Promise<Flow> {
  return (await loadExampleFile(file)).flows[0]!;
}

/** The shared parameter contexts the example flows inherit (`inherits: [examples-db]`), as flows/shared-contexts.yaml declares them. */
export async function loadExampleContexts(): Promise<SharedContextDeclaration[]> {
  return (await loadExampleFile(sharedContextsFile)).parameterContexts.map((placed) => placed.context);
}

/** `flows apply flows/<file>`; returns the flow as applied. Invalid files throw with their diagnostics. */
export async function applyExampleFlow(nifi: NifiClient, file: string, options: ApplyExampleOptions): Promise<Flow> {
  const declared = await loadExampleFlow(file);
  const flow = options.httpPort ? { ...declared, parameters: { ...declared.parameters, http_port: { value: String(options.httpPort), sensitive: false } } } : declared;
  // With the shared contexts it inherits: apply creates or updates them first (and uploads the JDBC driver asset once).
  await applyFlows(nifi, [flow], { parentGroupId: options.parentGroupId, env: options.env, airflow: options.airflow, parameterContexts: await loadExampleContexts() });
  return flow;
}

/** The port the flow's ListenHTTP listens on (its http_port parameter). */
export function httpPortOf(flow: Flow): number {
  return Number(flow.parameters['http_port']?.value);
}
