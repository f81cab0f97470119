// `flows validate [paths…]`: the flow files checked offline, or with --live also against the target
// NiFi's own descriptors; diagnostics at file:line:col as text, GitHub annotations or JSON.
import { hasErrors, sortDiagnostics } from '../../diagnostics/diagnostic.ts';
import { flag, jsonOption, nifiOptions, UsageError, value } from '../arguments/options.ts';
import { formatGithub, formatHuman, formatJson } from '../views/diagnostics.ts';
import { defineCommand } from './command.ts';

export const validateCommand = defineCommand({
  name: 'validate',
  summary: 'check flow files offline (default: the project\'s folder, ./flows); no server is contacted',
  positionals: { synopsis: '[paths…]', min: 0, max: Number.POSITIVE_INFINITY },
  description:
    'Checks every *.yaml/*.yml under the paths against the flow schema and the offline rules (references, names, parameters, triggers, loops that cannot drain). ' +
    'With --live it also checks types, property names, required and allowed values and relationships against the NiFi\'s own descriptors, read through a temporary, never-started process group that is deleted right after.',
  options: {
    format: value('format', 'human (default), json, or github (GitHub Actions annotations)', { choices: ['human', 'json', 'github'] }),
    live: flag('also check against the target NiFi (needs --nifi-url or NIFI_URL)'),
    ...jsonOption,
    ...nifiOptions,
  },
  examples: ['flows validate flows/ --format github', 'NIFI_URL=https://nifi:8443/nifi-api flows validate --live'],
  async run({ options, positionals }, { io, view }) {
    if (options.json && options.format && options.format !== 'json') throw new UsageError(`--json and --format ${options.format} contradict each other.`);
    const format = options.json ? 'json' : (options.format ?? 'human');
    const [{ loadFlowFiles }, { resolveConnections }] = await Promise.all([import('../load-files.ts'), import('../connections.ts')]);
    // Without paths: the project's folder (flows: in flows.config.yaml, default ./flows).
    const { flowsFolder } = await resolveConnections(options, io.env, io.cwd, io.stdin);
    const loaded = await loadFlowFiles(positionals.length ? positionals : [flowsFolder], io.cwd);
    if ('missing' in loaded) throw new UsageError(`no such file or folder: ${loaded.missing}`);
    if (loaded.files.length === 0) throw new UsageError(`no flow files (*.yaml, *.yml) found in ${positionals.join(', ') || flowsFolder}.`);
    let diagnostics = loaded.diagnostics;
    if (options.live) {
      if (hasErrors(diagnostics)) io.stderr.write('The files have errors; fix them before the checks against NiFi run.\n');
      else {
        const [{ checkFlowsLive }, { withNifi }, { oncePerPlace }] = await Promise.all([import('../../validate/check-live.ts'), import('../connections.ts'), import('../../model/instances.ts')]);
        // The parent's shared services are checked as flows of services only, at their places in the parent: sections.
        const { sharedServiceProbes } = await import('../../validate/check-shared-services.ts');
        const shared = sharedServiceProbes(loaded.parentSections);
        const live = await withNifi(options, io, 'validate --live checks against a NiFi', (nifi, connections) =>
          checkFlowsLive(nifi, [...loaded.flows, ...shared.flows], [...loaded.places, ...shared.places], { parentGroupId: connections.parentGroupId }),
        );
        // Instances of one definition share its components: what NiFi finds wrong with them is reported once.
        diagnostics = sortDiagnostics([...diagnostics, ...oncePerPlace(live)]);
      }
    }
    if (format === 'json') io.stdout.write(`${formatJson(diagnostics)}\n`);
    else if (format === 'github') io.stdout.write(diagnostics.length ? `${formatGithub(diagnostics)}\n` : '');
    else {
      if (diagnostics.length) io.stderr.write(`${formatHuman(diagnostics, loaded.sources, { color: view.color })}\n\n`);
      const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
      io.stderr.write(`${loaded.files.length} file(s): ${errors} error(s), ${diagnostics.length - errors} warning(s).\n`);
      // Instances are flows of their own: list them, so the names plan/apply/destroy take are visible.
      for (const flow of loaded.flows) if (flow.instanceOf !== undefined) io.stderr.write(`  flow ${flow.name} (instance of ${flow.instanceOf})\n`);
    }
    return hasErrors(diagnostics) ? 1 : 0;
  },
});
