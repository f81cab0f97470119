import type { PackagedNarPlan } from './nifi-assembly-plan.ts';

/** One file of a Maven repository, pinned by content. */
export interface LockedArtifact {
  /** Path in repository layout, e.g. org/apache/nifi/nifi-api/2.0.0/nifi-api-2.0.0.jar */
  path: string;
  sha256: string;
  size: number;
}

/** locks/nifi-<version>.json, written by tools/lock-nifi.ts. */
export interface NifiLock {
  version: string;
  lib: LockedArtifact[];
  nars: LockedArtifact[];
  packagedNars: Array<PackagedNarPlan & { jars: LockedArtifact[] }>;
}
