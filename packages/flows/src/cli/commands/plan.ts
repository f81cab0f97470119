// `flows plan [paths…]`: what apply would change in NiFi, read-only; --out saves it for `apply --plan`,
// planned holding the apply lock (a plan meant to be applied is not made from a half-applied state).
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { airflowOptions, environmentOption, flag, jsonOption, lockOptions, nifiOptions, projectOption, UsageError, value } from '../arguments/options.ts';
import { formatPlan, instanceDefinitions } from '../views/plan.ts';
import { defineCommand } from './command.ts';

export const planCommand = defineCommand({
  name: 'plan',
  summary: 'show what apply would change in NiFi (read-only)',
  positionals: { synopsis: '[paths…]', min: 0, max: Number.POSITIVE_INFINITY },
  description: 'Compiles the flows of the paths (default ./flows) and compares them with the managed process groups under the parent: components, parameters (sensitive ones masked) and run states. Nothing is changed. With --out the plan is made holding the apply lock on the parent group (no apply runs meanwhile).',
  options: {
    ...environmentOption,
    prune: flag("also plan to delete the project's managed flows that are no longer in the files"),
    'allow-partial-prune': flag('prune even though the paths are not the whole project (every managed flow outside them is deleted)'),
    'push-secrets': flag('push every sensitive parameter value from the environment, even when it can\'t be compared (needed after changing a secret without FLOWS_SECRETS_KEY)'),
    adopt: flag('take over unmanaged process groups named like a flow (see flows export)'),
    out: value('file', 'also write the plan as JSON (with the flow files it was made from), for apply --plan'),
    'detailed-exitcode': flag('exit 0 without changes, 2 with changes'),
    ...lockOptions,
    ...jsonOption,
    ...projectOption,
    ...nifiOptions,
    ...airflowOptions,
  },
  examples: ['NIFI_URL=https://nifi:8443/nifi-api flows plan --detailed-exitcode --out plan.json'],
  async run({ options, positionals }, { io, view }) {
    const [{ hasChanges, planFlows }, { withFlowTarget }, { loadValidFlowFiles, coversFolder, reportPropertyNames }, { withFlowsLock }, { lockSettings }] = await Promise.all([
      import('../../deploy/plan.ts'),
      import('../connections.ts'),
      import('../load-files.ts'),
      import('../../deploy/lock.ts'),
      import('../lock-settings.ts'),
    ]);
    const lock = options.out ? lockSettings(options, io, view) : undefined;
    return withFlowTarget(options, io, 'No NiFi to plan against', async ({ nifi, airflow, parentGroupId, project, flowsFolder }) => {
      const partial = !coversFolder(positionals, io.cwd, flowsFolder);
      if (options.prune && partial && !options['allow-partial-prune']) throw partialPrune(flowsFolder);
      const loaded = await loadValidFlowFiles(positionals.length ? positionals : [flowsFolder], io.cwd, io.stderr, 'nothing was sent to NiFi');
      if (!loaded) return 1;
      view.progress(`planning ${loaded.flows.length} flow(s) against ${nifi.baseUrl} …`);
      const prunePartially = options.prune && options['allow-partial-prune'];
      const planOptions = { parameterContexts: loaded.parameterContexts, parent: loaded.parent, parentGroupId, project, partial: partial && !prunePartially, environment: options.env, env: io.env, prune: options.prune, adopt: options.adopt, airflow, pushSecrets: options['push-secrets'] };
      const { plan } = lock ? await withFlowsLock(nifi, parentGroupId, 'plan --out', lock, () => planFlows(nifi, loaded.flows, planOptions)) : await planFlows(nifi, loaded.flows, planOptions);
      if (options.out) {
        const file = resolve(io.cwd, options.out);
        // The files go with the saved plan, so `apply --plan` applies exactly what was reviewed.
        const saved = { ...plan, files: loaded.files.map((flowFile) => relative(dirname(file), flowFile)) };
        await writeFile(file, `${JSON.stringify(saved, null, 2)}\n`);
      }
      reportPropertyNames(plan.propertyNames, loaded, io.stderr);
      view.result(plan, () => formatPlan(plan, instanceDefinitions(loaded.flows)));
      if (plan.blocked?.length) return 1;
      return options['detailed-exitcode'] && hasChanges(plan) ? 2 : 0;
    });
  },
});

/** --prune with paths that are not the whole project would delete every managed flow outside them. */
export function partialPrune(flowsFolder: string): UsageError {
  return new UsageError(`--prune with only some of the project's flow files (the project's folder is ${flowsFolder}) would delete every managed flow outside them; give no paths (or that folder), or add --allow-partial-prune.`);
}
