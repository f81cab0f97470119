// `flows apply [paths…]`: converges NiFi to the flow files; with --plan, only when the saved plan still
// matches NiFi and the files (otherwise it is refused and nothing changes).
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DataplatError } from '@dataplat/core/errors';
import type { Plan } from '../../deploy/plan.ts';
import { acknowledgeOption, acknowledgesDisconnectedNodes, airflowOptions, convertedValue, environmentOption, flag, jsonOption, lockOptions, nifiOptions, projectOption, seconds, UsageError, value } from '../arguments/options.ts';
import { partialPrune } from './plan.ts';
import { acknowledgedText } from '../views/flows.ts';
import { formatApplied, instanceDefinitions } from '../views/plan.ts';
import { defineCommand } from './command.ts';

export const applyCommand = defineCommand({
  name: 'apply',
  summary: 'converge NiFi to the flow files',
  positionals: { synopsis: '[paths…]', min: 0, max: Number.POSITIVE_INFINITY },
  description:
    'Creates new flows, replaces changed ones in place (queues stay), pushes parameters, enables services and starts what the code says runs. A flow with nothing to change gets no mutating request. ' +
    'Managed flows missing from the files are only deleted with --prune. ' +
    'Changes are made holding the apply lock on the parent group (held in NiFi; another apply, destroy or plan --out waits for it, see --lock-timeout).',
  options: {
    ...environmentOption,
    prune: flag("delete the project's managed flows that are no longer in the files"),
    'allow-partial-prune': flag('prune even though the paths are not the whole project (every managed flow outside them is deleted)'),
    'push-secrets': flag('push every sensitive parameter value from the environment, even when it can\'t be compared (needed after changing a secret without FLOWS_SECRETS_KEY)'),
    adopt: flag('take over unmanaged process groups named like a flow, in place'),
    plan: value('file', 'apply a saved plan (flows plan --out) to the files it was made from; refused if NiFi or the files changed since'),
    'update-strategy': convertedValue(
      'strategy',
      'replace (default: NiFi stops, updates and restarts what changes; queues stay) or drain (stop the sources, wait until nothing is queued, then update)',
      (raw): 'replace' | 'drain' => (raw === 'drain' ? 'drain' : 'replace'),
      { choices: ['replace', 'drain'] },
    ),
    'drain-timeout': convertedValue('seconds', 'with --update-strategy drain: how long to wait for a flow to drain (default 300); then nothing is updated', seconds),
    ...lockOptions,
    ...acknowledgeOption,
    ...jsonOption,
    ...projectOption,
    ...nifiOptions,
    ...airflowOptions,
  },
  examples: ['flows apply --plan plan.json', 'flows apply flows/ --update-strategy drain --drain-timeout 600'],
  async run({ options, positionals }, { io, view }) {
    const [{ applyFlows }, { withFlowTarget }, { coversFolder, listFlowFiles, loadValidFlowFiles, reportPropertyNames }, { lockSettings }] = await Promise.all([
      import('../../deploy/apply.ts'),
      import('../connections.ts'),
      import('../load-files.ts'),
      import('../lock-settings.ts'),
    ]);
    const lock = lockSettings(options, io, view);
    const planFile = options.plan ? resolve(io.cwd, options.plan) : undefined;
    const saved = planFile ? await readSavedPlan(planFile) : undefined;
    let paths = positionals;
    if (saved?.files && planFile) {
      // Exactly the files the plan was made from; paths given as well must name the same files.
      const fromPlan = saved.files.map((file) => resolve(dirname(planFile), file));
      const given = positionals.length > 0 ? await listFlowFiles(positionals, io.cwd) : fromPlan;
      if ('missing' in given) throw new UsageError(`no such file or folder: ${given.missing}`);
      if (given.length !== fromPlan.length || !given.every((file) => fromPlan.includes(file))) {
        throw new UsageError(`the saved plan was made from ${saved.files.join(', ')} (relative to ${dirname(planFile)}); give no paths, or paths naming exactly those files.`);
      }
      paths = fromPlan;
    }
    return withFlowTarget(options, io, 'No NiFi to apply to', async ({ nifi, airflow, parentGroupId, project, flowsFolder }) => {
      // A saved plan was partial when it was made (it lists the flows outside its paths), else: do the paths cover the project's folder?
      const partial = saved ? saved.notInPaths !== undefined : !coversFolder(paths, io.cwd, flowsFolder);
      if (options.prune && partial && !options['allow-partial-prune']) throw partialPrune(flowsFolder);
      const loaded = await loadValidFlowFiles(paths.length ? paths : [flowsFolder], io.cwd, io.stderr, 'nothing was sent to NiFi');
      if (!loaded) return 1;
      const result = await applyFlows(nifi, loaded.flows, {
        parameterContexts: loaded.parameterContexts,
        parent: loaded.parent,
        parentGroupId,
        project,
        partial: partial && !(options.prune && options['allow-partial-prune']),
        environment: options.env,
        env: io.env,
        prune: options.prune,
        adopt: options.adopt,
        pushSecrets: options['push-secrets'],
        airflow,
        plan: saved,
        updateStrategy: options['update-strategy'],
        drainTimeoutMs: options['drain-timeout'],
        onProgress: ({ flow, step }) => view.progress(`${flow}: ${step}`),
        lock,
        signal: io.signal,
        acknowledgeDisconnectedNodes: acknowledgesDisconnectedNodes(options, io.env),
        onAcknowledgedDisconnectedNodes: (nodes) => view.event('disconnected-nodes-acknowledged', { nodes }, () => ({ warning: acknowledgedText(nodes) })),
      });
      reportPropertyNames(result.plan.propertyNames, loaded, io.stderr);
      view.result(result, () => formatApplied(result, instanceDefinitions(loaded.flows)));
      return result.plan.blocked?.length ? 1 : 0;
    });
  },
});

async function readSavedPlan(file: string): Promise<Plan> {
  try {
    const plan = JSON.parse(await readFile(file, 'utf8')) as Plan;
    if (plan.formatVersion !== '1' || typeof plan.fingerprint !== 'string') throw new Error('it is not a plan written by flows plan --out');
    return plan;
  } catch (error) {
    throw new DataplatError({ code: 'FLOWS_PLAN_FILE', message: `Cannot use the saved plan ${file}: ${(error as Error).message}`, hint: 'Write it with flows plan --out <file>.', cause: error });
  }
}
