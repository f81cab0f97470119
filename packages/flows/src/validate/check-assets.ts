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

type Parameters = Flow['parameters'];

/** The assets of one owner's parameters (a flow's or a shared context's), `folder` being its file's folder. */
export async function checkAssetFiles(parameters: Parameters, place: Place, folder: string): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const [name, parameter] of Object.entries(parameters)) {
    const asset = parameter.asset;
    if (!asset) continue;
    const at = place(['parameters', name, 'asset']);
    recordAssetSource(asset, folder, `${at.file}:${at.range?.start.line ?? 0}:${at.range?.start.column ?? 0}`);
    if (!('file' in asset)) continue;
    const path = assetFilePath(asset);
    const problem = assetNameProblem(basename(path));
    if (problem) {
      diagnostics.push({ severity: 'error', code: 'asset/name', message: `NiFi would refuse the asset name "${basename(path)}": ${problem}.`, hint: 'Rename the file.', ...place(['parameters', name, 'asset', 'file']) });
      continue;
    }
    const content = await readFile(path).catch(() => undefined);
    if (!content) {
      diagnostics.push({ severity: 'error', code: 'asset/missing-file', message: `Asset file ${path} does not exist (or can't be read).`, hint: 'The path is relative to this flow file.', ...place(['parameters', name, 'asset', 'file']) });
      continue;
    }
    const digest = sha256Of(content);
    if (asset.sha256 !== undefined && asset.sha256.toLowerCase() !== digest) {
      diagnostics.push({
        severity: 'error',
        code: 'asset/checksum-mismatch',
        message: `Asset file ${path} has SHA-256 ${digest}, not the one declared.`,
        hint: 'Write the file\'s checksum (sha256sum <file>) if the file is the one you mean, or put the right file there.',
        ...place(['parameters', name, 'asset', 'sha256']),
      });
    }
  }
  return diagnostics;
}

/** Every asset of a loaded flow file: its flows' parameters and its shared contexts'. */
export async function checkFileAssets(loaded: { flows: readonly Flow[]; places: readonly Place[]; parameterContexts: ReadonlyArray<{ context: { parameters: Parameters }; place: Place }> }, folder: string): Promise<Diagnostic[]> {
  const diagnostics: Diagnostic[] = [];
  for (const [index, flow] of loaded.flows.entries()) {
    const place = loaded.places[index];
    if (place) diagnostics.push(...(await checkAssetFiles(flow.parameters, place, folder)));
  }
  for (const { context, place } of loaded.parameterContexts) diagnostics.push(...(await checkAssetFiles(context.parameters, place, folder)));
  return diagnostics;
}
