// For the flows integration tests that share the one NiFi with other test runs: parent groups of their
// own under root, and one clean-up that deletes them with everything a test left behind — the
// parameter contexts named with the run's suffix and any apply lock on those parents.
import type { NifiClient } from '@dataplat/nifi';
import { listFlowsLocks } from '../src/deploy/lock.ts';

export interface ScratchGroups {
  /** Unique per test run: put it into every flow and context name. */
  suffix: string;
  /** A new, empty parent group `<prefix>-<label>-<suffix>` under root. */
  parent(label: string): Promise<string>;
  /** Deletes the parents (and their flows), apply locks on them, and parameter contexts named with the suffix. */
  cleanUp(): Promise<void>;
}

export function scratchGroups(nifi: NifiClient, prefix: string): ScratchGroups {
  const suffix = Date.now().toString(36);
  const created: string[] = [];
  const ignoreGone = () => undefined;
  return {
    suffix,
    async parent(label) {
      const { id } = await nifi.processGroups.create('root', { name: `${prefix}-${label}-${suffix}` });
      created.push(id);
      return id;
    },
    async cleanUp() {
      const locks = (await listFlowsLocks(nifi)).filter((lock) => created.includes(lock.parentGroupId));
      await Promise.all(locks.map((lock) => nifi.parameterContexts.delete(lock.contextId).catch(ignoreGone)));
      for (const id of created) await nifi.processGroups.delete(id).catch(ignoreGone);
      const contexts = (await nifi.parameterContexts.list()).filter((context) => context.component.name?.includes(suffix));
      for (const context of contexts) await nifi.parameterContexts.delete(context.id).catch(ignoreGone);
    },
  };
}
