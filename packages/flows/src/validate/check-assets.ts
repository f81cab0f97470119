// Offline checks of asset parameters whose file is local (`asset: { file }`): the file exists, NiFi takes its
// name, and it has the declared SHA-256 — each at its place in the flow file. Maven assets are checked when
// plan/apply fetch them. Also records, for plan and apply, where each asset is written and what it is relative to.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { assetNameProblem } from '@dataplat/nifi';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Flow } from '../model/flow-schema.ts';
import { assetFilePath, recordAssetSource, sha256Of } from '../deploy/assets.ts';
import type { Place } from './check-flow.ts';

type Parameters = Record<string, { asset?: Flow['parameters'][string]['asset'] }>;
type Environments = Record<string, { parameters: Parameters }>;

/**
 * The assets of one owner's parameters (a flow's or a shared context's, or an environment's overrides of them at
 * `within`, e.g. ['environments', 'prod']), `folder` being its file's folder: recorded for plan and apply (the
 * folder a relative file is in, and where the asset is written), and local files checked.
 */
export async function checkAssetFiles(parameters: Parameters, place: Place, folder: string, within: string[] = []): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const [name, parameter] of Object.entries(parameters)) {
    const asset = parameter.asset;
    if (!asset) continue;
    const path = (...rest: string[]) => [...within, 'parameters', name, ...rest];
    const at = place(path('asset'));
    recordAssetSource(asset, folder, `${at.file}:${at.range?.start.line ?? 0}:${at.range?.start.column ?? 0}`);
    if (!('file' in asset)) continue;
    const file = assetFilePath(asset);
    const problem = assetNameProblem(basename(file));
    if (problem) {
      diagnostics.push({ severity: 'error', code: 'asset/name', message: `NiFi would refuse the asset name "${basename(file)}": ${problem}.`, hint: 'Rename the file.', ...place(path('asset', 'file')) });
      continue;
    }
    const content = await readFile(file).catch(() => undefined);
    if (!content) {
      diagnostics.push({ severity: 'error', code: 'asset/missing-file', message: `Asset file ${file} does not exist (or can't be read).`, hint: 'The path is relative to this flow file.', ...place(path('asset', 'file')) });
      continue;
    }
    const digest = sha256Of(content);
    if (asset.sha256 !== undefined && asset.sha256.toLowerCase() !== digest) {
      diagnostics.push({
        severity: 'error',
        code: 'asset/checksum-mismatch',
        message: `Asset file ${file} has SHA-256 ${digest}, not the one declared.`,
        hint: 'Write the file\'s checksum (sha256sum <file>) if the file is the one you mean, or put the right file there.',
        ...place(path('asset', 'sha256')),
      });
    }
  }
  return diagnostics;
}

/** Every asset of a loaded flow file: its flows' parameters and its shared contexts'. */
export async function checkFileAssets(
  loaded: { flows: readonly Flow[]; places: readonly Place[]; parameterContexts: ReadonlyArray<{ context: { parameters: Parameters; environments: Environments }; place: Place }> },
  folder: string,
): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  const owners = [
    ...loaded.flows.flatMap((flow, index) => (loaded.places[index] ? [{ parameters: flow.parameters, environments: flow.environments as Environments, place: loaded.places[index] }] : [])),
    ...loaded.parameterContexts.map(({ context, place }) => ({ parameters: context.parameters, environments: context.environments, place })),
  ];
  for (const { parameters, environments, place } of owners) {
    diagnostics.push(...(await checkAssetFiles(parameters, place, folder)));
    // An environment's overrides may name assets of their own (relative to this file too).
    for (const [environment, overlay] of Object.entries(environments)) diagnostics.push(...(await checkAssetFiles(overlay.parameters, place, folder, ['environments', environment])));
  }
  return diagnostics;
}
