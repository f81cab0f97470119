// `flows plan [paths…]`: what apply would change in NiFi, read-only; --out saves it for `apply --plan`.
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { airflowOptions, environmentOption, flag, jsonOption, nifiOptions, value } from '../arguments/options.ts';
import { formatPlan } from '../views/plan.ts';
import { defineCommand } from './command.ts';

export const planCommand = defineCommand({
  name: 'plan',
  summary: 'show what apply would change in NiFi (read-only)',
  positionals: { synopsis: '[paths…]', min: 0, max: Number.POSITIVE_INFINITY },
  description: 'Compiles the flows of the paths (default ./flows) and compares them with the managed process groups under the parent: components, parameters (sensitive ones masked) and run states. Nothing is changed.',
  options: {
    ...environmentOption,
    prune: flag('also plan to delete managed flows that are no longer in the files'),
    adopt: flag('take over unmanaged process groups named like a flow (see flows export)'),
    out: value('file', 'also write the plan as JSON (with the flow files it was made from), for apply --plan'),
    'detailed-exitcode': flag('exit 0 without changes, 2 with changes'),
    ...jsonOption,
    ...nifiOptions,
    ...airflowOptions,
  },
  examples: ['NIFI_URL=https://nifi:8443/nifi-api flows plan --detailed-exitcode --out plan.json'],
  async run({ options, positionals }, { io, view }) {
    const [{ hasChanges, planFlows }, { withFlowTarget }, { loadValidFlowFiles }] = await Promise.all([import('../../deploy/plan.ts'), import('../connections.ts'), import('../load-files.ts')]);
    return withFlowTarget(options, io, 'No NiFi to plan against', async ({ nifi, airflow, parentGroupId }) => {
      const loaded = await loadValidFlowFiles(positionals, io.cwd, io.stderr, 'nothing was sent to NiFi');
      if (!loaded) return 1;
      view.progress(`planning ${loaded.flows.length} flow(s) against ${nifi.baseUrl} …`);
      const { plan } = await planFlows(nifi, loaded.flows, { parentGroupId, environment: options.env, env: io.env, prune: options.prune, adopt: options.adopt, airflow });
      if (options.out) {
        const file = resolve(io.cwd, options.out);
        // The files go with the saved plan, so `apply --plan` applies exactly what was reviewed.
        const saved = { ...plan, files: loaded.files.map((flowFile) => relative(dirname(file), flowFile)) };
        await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`);
      }
      view.result(plan, () => formatPlan(plan));
      return options['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
    });
  },
});
