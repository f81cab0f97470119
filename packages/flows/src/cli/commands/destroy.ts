// `flows destroy <flow…>`: deletes managed flows by name, each with the parameter context flows made
// for it (the inventory decides which, and keeps a context anything else still uses).
import { jsonOption, nifiOptions, projectOption } from '../arguments/options.ts';
import { formatDestroyed } from '../views/flows.ts';
import { defineCommand } from './command.ts';

export const destroyCommand = defineCommand({
  name: 'destroy',
  summary: 'delete managed flows by name (and the parameter contexts flows made for them)',
  positionals: { synopsis: '<flow or group id…>', min: 1, max: Number.POSITIVE_INFINITY },
  description: 'Nothing is deleted without naming it, and nothing at all when one of the names is not a managed flow. Queued flowfiles are dropped. A parameter context is deleted only when flows created (or adopted) it and no other process group uses it.',
  options: { ...jsonOption, ...projectOption, ...nifiOptions },
  examples: ['flows destroy iot-sensors'],
  async run({ options, positionals }, { io, view }) {
    const [{ destroyFlows }, { withNifi }] = await Promise.all([import('../../deploy/inventory.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to destroy flows in', async (nifi, { parentGroupId, project }) => {
      const destroyed = await destroyFlows(nifi, positionals, { parentGroupId, project, onProgress: (flow) => view.progress(`${flow}: deleting …`) });
      view.result(destroyed, () => formatDestroyed(destroyed));
      return 0;
    });
  },
});
