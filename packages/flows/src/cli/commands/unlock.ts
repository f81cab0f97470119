// `flows unlock --force <lock-id>`: removes an apply lock whose holder is gone, like `terraform
// force-unlock`; only the lease with that id (one a new holder took since is left alone).
import { flag, jsonOption, nifiOptions, UsageError } from '../arguments/options.ts';
import { formatUnlocked } from '../views/flows.ts';
import { defineCommand } from './command.ts';

export const unlockCommand = defineCommand({
  name: 'unlock',
  summary: 'remove an apply lock left by a process that is gone (--force; the id is in the FLOWS_LOCKED error)',
  positionals: { synopsis: '<lock-id>', min: 1, max: 1 },
  description:
    'apply, destroy and plan --out hold a lock per parent group in NiFi (a parameter context named "dataplat-flows lock <parent group id>"), renewed while they run and released when they end, also on Ctrl-C. ' +
    'A lock whose holder died is taken over by an apply that has waited and watched it unrenewed for its TTL (FLOWS_LOCK_TTL, default 60s; so only with a --lock-timeout longer than that); unlock removes it at once. ' +
    'Only the lease with this id is removed: if another process took the lock since, it is left alone. Removing the lock of a process that is still running lets another apply overlap with it.',
  options: { force: flag('required: confirms that the holder named in the FLOWS_LOCKED error is no longer running'), ...jsonOption, ...nifiOptions },
  examples: ['flows unlock --force 3f2b8c1e-5d4a-4b7e-9c0f-1a2b3c4d5e6f'],
  async run({ options, positionals }, { io, view }) {
    const [lockId] = positionals as [string];
    if (!options.force) throw new UsageError('removes a lock another process may still hold; pass --force once you are sure its holder is gone.');
    const [{ forceUnlock }, { withNifi }] = await Promise.all([import('../../deploy/lock.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to remove the lock from', async (nifi) => {
      const removed = await forceUnlock(nifi, lockId);
      view.result({ unlocked: removed }, () => formatUnlocked(removed));
      return 0;
    });
  },
});
