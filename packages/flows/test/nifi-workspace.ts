// For the flows integration tests on the stack's single NiFi: a client, scratch parent groups, and a temporary folder
// for flow files made before any test (a test run alone with -t never writes into the repository), all cleaned up
// after the file — the single-node counterpart of clusterWorkspace (cluster-flows.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { scratchGroups, type ScratchGroups } from './scratch-groups.ts';

export interface NifiWorkspace {
  /** The stack's NiFi REST API. */
  apiUrl: string;
  nifi: NifiClient;
  /** Parent groups `flows-<prefix>-<label>-<suffix>`; `scratch.suffix` is unique per run. */
  scratch: ScratchGroups;
  /** A temporary folder for flow files: set in beforeAll. */
  workdir: string;
}

/**
 * Registers the hooks that make the workspace's folder (before the file's tests) and clean up after them: the scratch
 * parents with what they hold, then `cleanUp` (what else the file made in NiFi), then the client and the folder.
 */
export function nifiWorkspace(prefix: string, options: { cleanUp?: (() => Promise<void>) | undefined } = {}): NifiWorkspace {
  const apiUrl = inject('stackEndpoints').nifi!.apiUrl;
  const nifi = createNifiClient({ baseUrl: apiUrl });
  const workspace: NifiWorkspace = { apiUrl, nifi, scratch: scratchGroups(nifi, `flows-${prefix}`), workdir: '' };
  beforeAll(async () => {
    workspace.workdir = await mkdtemp(join(tmpdir(), `dataplat-flows-${prefix}-`));
  });
  afterAll(async () => {
    try {
      await workspace.scratch.cleanUp();
      await options.cleanUp?.();
    } finally {
      await nifi.close();
      if (workspace.workdir) await rm(workspace.workdir, { recursive: true, force: true });
    }
  });
  return workspace;
}
