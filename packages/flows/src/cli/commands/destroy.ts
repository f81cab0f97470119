// `flows destroy <flow…>`: deletes managed flows by name, each with the parameter context flows made
// for it (the inventory decides which, and keeps a context anything else still uses), holding the apply lock.
import { acknowledgeOption, acknowledgesDisconnectedNodes, jsonOption, lockOptions, nifiOptions, projectOption } from '../arguments/options.ts';
import { formatDestroyed } from '../views/flows.ts';
import { defineCommand } from './command.ts';

export const destroyCommand = defineCommand({
  name: 'destroy',
  summary: 'delete managed flows by name (and the parameter contexts flows made for them)',
  positionals: { synopsis: '<flow or group id…>', min: 1, max: Number.POSITIVE_INFINITY },
  description: 'Nothing is deleted without naming it, and nothing at all when one of the names is not a managed flow. Queued flowfiles are dropped. A parameter context is deleted only when flows created (or adopted) it and no other process group uses it. ' +
    'A group id deletes exactly that managed group (how duplicates that claim one flow are resolved). Holds the apply lock on the parent group while it deletes.',
  options: { ...lockOptions, ...acknowledgeOption, ...jsonOption, ...projectOption, ...nifiOptions },
  examples: ['flows destroy iot-sensors', 'flows destroy 0196f1a2-0a1b-1000-9c3d-4e5f6a7b8c9d --parent 4e1c9a5b-0190-1000-8f3a-5c2d7e1b9a10'],
  async run({ options, positionals }, { io, view }) {
    const [{ destroyFlows }, { withNifi }, { lockSettings }] = await Promise.all([import('../../deploy/inventory.ts'), import('../connections.ts'), import('../lock-settings.ts')]);
    const lock = lockSettings(options, io, view);
    return withNifi(options, io, 'No NiFi to destroy flows in', async (nifi, { parentGroupId, project }) => {
      const destroyed = await destroyFlows(nifi, positionals, {
        parentGroupId,
        project,
        onProgress: (flow) => view.progress(`${flow}: deleting …`),
        lock,
        signal: io.signal,
        acknowledgeDisconnectedNodes: acknowledgesDisconnectedNodes(options, io.env),
      });
      view.result(destroyed, () => formatDestroyed(destroyed));
      return 0;
    });
  },
});
