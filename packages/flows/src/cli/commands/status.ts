// `flows status [flow…]`: the managed flows under the parent with their run state, queued flowfiles and
// bulletin counts (with --bulletins, their text).
import { flag, jsonOption, nifiOptions, projectOption } from '../arguments/options.ts';
import { formatStatus, type FlowStatus } from '../views/flows.ts';
import { defineCommand } from './command.ts';

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'list the managed flows in NiFi: state, queued flowfiles, bulletins',
  positionals: { synopsis: '[flow…]', min: 0, max: Number.POSITIVE_INFINITY },
  description: 'Without names, every managed flow under the parent; with names, just those (an unknown name is an error).',
  options: { bulletins: flag("also list each flow's bulletins: time, level, component and message (NiFi keeps the last 5 minutes)"), ...jsonOption, ...projectOption, ...nifiOptions },
  examples: ['flows status', 'flows status iot-sensors --bulletins', 'flows status --json'],
  async run({ options, positionals }, { io, view }) {
    const [{ findManagedFlow, readInventory }, { withNifi }] = await Promise.all([import('../../deploy/inventory.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to read the status from', async (nifi, { parentGroupId, project }) => {
      const inventory = await readInventory(nifi, parentGroupId, project);
      const flows = positionals.length > 0 ? positionals.map((name) => findManagedFlow(inventory, name)) : inventory.managed;
      const rows: FlowStatus[] = [];
      for (const { flow, groupId, group } of flows) {
        const snapshot = await nifi.processGroups.status(groupId);
        const bulletins = await nifi.bulletins({ groupId });
        rows.push({
          flow,
          groupId,
          running: group.runningCount ?? 0,
          stopped: group.stoppedCount ?? 0,
          invalid: group.invalidCount ?? 0,
          queued: snapshot.flowFilesQueued ?? 0,
          bulletins: bulletins.length,
          ...(options.bulletins
            ? {
                bulletinMessages: bulletins.map(({ bulletin }) => ({
                  timestamp: bulletin?.timestamp ?? '',
                  level: bulletin?.level ?? '',
                  source: bulletin?.sourceName ?? '',
                  message: bulletin?.message ?? '',
                })),
              }
            : {}),
        });
      }
      view.result(rows, () => formatStatus(rows));
      return 0;
    });
  },
});
