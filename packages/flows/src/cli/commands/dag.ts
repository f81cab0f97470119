// `flows dag <flow> [paths…]`: writes an Airflow DAG that runs the flow once through `flows run` and
// waits. Offline, from the flow files, so a typo in the flow's name is caught here.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DataplatError } from '@dataplat/core/errors';
import { defaultDagId, defaultFlowsCommand, flowsCommandProblem, generateAirflowDag } from '../../airflow-dag/generate-dag.ts';
import { configOption, convertedValue, jsonOption, parentOption, projectOption, value } from '../arguments/options.ts';
import { defineCommand } from './command.ts';

export const dagCommand = defineCommand({
  name: 'dag',
  summary: 'write an Airflow DAG that runs the flow once and waits (offline)',
  positionals: { synopsis: '<flow> [paths…]', min: 1, max: Number.POSITIVE_INFINITY },
  description:
    'The DAG\'s task runs `flows run <flow> --json` with NiFi\'s address and login from an Airflow connection; the run report becomes its XCom and ERROR bulletins fail the task. ' +
    'The command that runs the flows CLI on the workers is written into the DAG file (--flows-command), so only whoever deploys DAG files decides what runs.',
  options: {
    out: value('file', 'write the DAG to this file instead of stdout'),
    'dag-id': value('id', 'the DAG id (default nifi_flow_<flow>)'),
    schedule: value('cron|@preset', 'when Airflow runs it (default: only when triggered)'),
    'nifi-conn-id': value('id', 'the Airflow connection holding NiFi\'s URL and login (default nifi_default)'),
    'flows-command': convertedValue(
      'command',
      `how the workers run the flows CLI, split like a shell would, e.g. "npx --yes @dataplat/flows@<version>" (default ${defaultFlowsCommand}); written into the DAG`,
      (raw) => {
        const problem = flowsCommandProblem(raw);
        if (problem) throw new Error(problem);
        return raw;
      },
    ),
    ...parentOption,
    ...projectOption,
    ...configOption,
    ...jsonOption,
  },
  examples: ['flows dag iot-sensors --schedule @hourly --out dags/nifi_flow_iot_sensors.py', 'flows dag warehouse-extract --flows-command "npx --yes @dataplat/flows@0.1.0" --out dags/nifi_flow_warehouse_extract.py'],
  async run({ options, positionals }, { io, view }) {
    const [name, ...paths] = positionals as [string, ...string[]];
    const [{ resolveConnections }, { loadValidFlowFiles }] = await Promise.all([import('../connections.ts'), import('../load-files.ts')]);
    // The parent group and the project's folder as --parent or flows.config.yaml say (root is the DAG's default anyway).
    const { parentGroupId, project, flowsFolder } = await resolveConnections(options, io.env, io.cwd);
    const loaded = await loadValidFlowFiles(paths.length ? paths : [flowsFolder], io.cwd, io.stderr, 'no DAG was written');
    if (!loaded) return 1;
    const flow = loaded.flows.find((candidate) => candidate.name === name);
    if (!flow) {
      throw new DataplatError({ code: 'FLOWS_UNKNOWN_FLOW', message: `No flow "${name}" in ${paths.join(', ') || flowsFolder}. Flows: ${loaded.flows.map((candidate) => candidate.name).join(', ') || 'none'}.` });
    }
    const source = generateAirflowDag(flow.name, {
      dagId: options['dag-id'],
      schedule: options.schedule,
      connectionId: options['nifi-conn-id'],
      parentGroupId: parentGroupId === 'root' ? undefined : parentGroupId,
      project,
      description: flow.description,
      flowsCommand: options['flows-command'],
    });
    const dagId = options['dag-id'] ?? defaultDagId(flow.name);
    if (options.out) {
      await writeFile(resolve(io.cwd, options.out), source);
      view.note(`wrote ${options.out}`);
      view.result({ flow: flow.name, dagId, file: resolve(io.cwd, options.out) }, () => '');
    } else if (view.json) view.result({ flow: flow.name, dagId, source }, () => '');
    else io.stdout.write(source);
    return 0;
  },
});
