// `flows run <flow>`: runs a managed flow once as a batch and reports; exit 1 when it raised ERROR bulletins.
import { jsonOption, nifiOptions, perNodeOption, projectOption } from '../arguments/options.ts';
import { formatRunReport } from '../views/flows.ts';
import { defineCommand } from './command.ts';

export const runCommand = defineCommand({
  name: 'run',
  summary: 'run a managed flow once as a batch and report; exit 1 on error bulletins',
  positionals: { synopsis: '<flow>', min: 1, max: 1 },
  description: 'Stops the flow, triggers each source once, waits until everything is processed, reports flowfiles and bytes in and out per processor and the bulletins raised, and starts again what was running before. Sources that listen for data (ListenHTTP, HandleHttpRequest, …) are not triggered: they pause for the run and listen again after it. What the generated Airflow DAGs (flows dag) run.',
  options: { ...perNodeOption, ...jsonOption, ...projectOption, ...nifiOptions },
  examples: ['flows run warehouse-extract --json', 'flows run iot-sensors --per-node'],
  async run({ options, positionals }, { io, view }) {
    const [name] = positionals as [string];
    const [{ runFlow }, { withNifi }] = await Promise.all([import('../../run/run-flow.ts'), import('../connections.ts')]);
    return withNifi(options, io, 'No NiFi to run the flow in', async (nifi, { parentGroupId, project }) => {
      const { report, ok, listening, restarted } = await runFlow(nifi, name, { parentGroupId, project, perNode: options['per-node'], onProgress: (step) => view.progress(`${name}: ${step} …`) });
      view.result({ flow: name, ok, ...report, listening, restarted }, () => formatRunReport(name, report, listening, restarted));
      return ok ? 0 : 1;
    });
  },
});
