// Asset parameters (`asset: { file }` or `asset: { maven, sha256 }`): the bytes a parameter's NiFi asset must
// hold, read from a local file or fetched from Maven Central into a local cache, and checked against the
// declared SHA-256 before anything uses them (a mismatching file is never uploaded, cached or trusted).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { DataplatError } from '@dataplat/core/errors';
import type { Flow } from '../model/flow-schema.ts';

export type AssetSource = NonNullable<Flow['parameters'][string]['asset']>;

/** An asset's bytes, ready to upload: NiFi stores it under `name` (the file's base name). */
export interface ResolvedAsset {
  name: string;
  sha256: string;
  content: Uint8Array;
}

// The loader records, per asset object of the model, the folder its file is relative to and where it is
// written (file:line:col): plan and apply name that place in their errors. Objects without an entry (flows
// defined in TypeScript) resolve against the current folder.
const assetFolders = new WeakMap<object, string>();
const assetPlaces = new WeakMap<object, string>();

export function recordAssetSource(asset: AssetSource, folder: string, place: string): void {
  assetFolders.set(asset, folder);
  assetPlaces.set(asset, place);
}

/** The local file an `asset: { file }` names, absolute. */
export function assetFilePath(asset: { file: string }): string {
  return isAbsolute(asset.file) ? asset.file : resolve(assetFolders.get(asset) ?? process.cwd(), asset.file);
}

export const mavenCentral = 'https://repo1.maven.org/maven2';

/** Where a Maven coordinate's jar is, relative to a repository root (and to the cache). */
export function mavenPath(coordinate: string): string {
  const [group, artifact, version] = coordinate.split(':') as [string, string, string];
  return `${group.replaceAll('.', '/')}/${artifact}/${version}/${artifact}-${version}.jar`;
}

export interface AssetOptions {
  /** Default: DATAPLAT_ASSETS_CACHE, else $XDG_CACHE_HOME/dataplat/assets, else ~/.cache/dataplat/assets. */
  cacheDir?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

function cacheFolder(options: AssetOptions): string {
  const env = options.env ?? process.env;
  return options.cacheDir ?? env.DATAPLAT_ASSETS_CACHE ?? join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'dataplat', 'assets');
}

export function sha256Of(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

function mismatch(asset: AssetSource, what: string, actual: string): DataplatError {
  const place = assetPlaces.get(asset);
  return new DataplatError({
    code: 'FLOWS_ASSET_CHECKSUM',
    message: `${place ? `${place}: ` : ''}${what} has SHA-256 ${actual}, not the ${asset.sha256} the code declares; it was not used.`,
    hint: 'Check the file (or the Maven coordinate) and the sha256: in the flow file; a changed artifact needs its new checksum written there.',
  });
}

/** The bytes of an asset, checked against its declared SHA-256; Maven jars come from the cache or are downloaded into it. */
export async function resolveAsset(asset: AssetSource, options: AssetOptions = {}): Promise<ResolvedAsset> {
  if ('file' in asset) {
    const path = assetFilePath(asset);
    const content = await readFile(path).catch((error: unknown) => {
      const place = assetPlaces.get(asset);
      throw new DataplatError({ code: 'FLOWS_ASSET_MISSING', message: `${place ? `${place}: ` : ''}asset file ${path} can't be read: ${(error as Error).message}`, hint: 'The path is relative to the flow file that names it.', cause: error });
    });
    const digest = sha256Of(content);
    if (asset.sha256 !== undefined && digest !== asset.sha256.toLowerCase()) throw mismatch(asset, `Asset file ${path}`, digest);
    return { name: basename(path), sha256: digest, content };
  }
  const expected = asset.sha256.toLowerCase();
  const relativePath = mavenPath(asset.maven);
  const cached = join(cacheFolder(options), 'maven', relativePath);
  const name = basename(relativePath);
  const fromCache = await readFile(cached).catch(() => undefined);
  // A cached file is used only when it still has the declared checksum (else fetched again).
  if (fromCache && sha256Of(fromCache) === expected) return { name, sha256: expected, content: fromCache };
  const url = `${(options.env ?? process.env).DATAPLAT_MAVEN_REPOSITORY ?? mavenCentral}/${relativePath}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(300_000) }).catch((error: unknown) => {
    throw new DataplatError({ code: 'FLOWS_ASSET_DOWNLOAD', message: `Fetching ${asset.maven} from ${url} failed: ${(error as Error).message}`, hint: 'Check the network (or put the jar into the cache folder by hand).', cause: error });
  });
  if (!response.ok) {
    throw new DataplatError({ code: 'FLOWS_ASSET_DOWNLOAD', message: `Fetching ${asset.maven} from ${url} answered HTTP ${response.status}.`, hint: 'Check the coordinate (group:artifact:version) in the flow file.' });
  }
  const content = new Uint8Array(await response.arrayBuffer());
  const digest = sha256Of(content);
  if (digest !== expected) throw mismatch(asset, `${asset.maven} as downloaded from ${url}`, digest);
  // Written beside and renamed into place: a cut-short write never leaves a partial jar under the final name.
  await mkdir(dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}.partial`;
  await writeFile(partial, content);
  await rename(partial, cached).catch(async (error: unknown) => {
    await rm(partial, { force: true });
    throw error;
  });
  return { name, sha256: digest, content };
}

/** The assets of some parameters, resolved, by parameter name (environment overlays already applied). */
export async function resolveParameterAssets(parameters: Readonly<Record<string, { asset?: AssetSource | undefined }>>, options: AssetOptions = {}): Promise<Map<string, ResolvedAsset>> {
  const resolved = new Map<string, ResolvedAsset>();
  for (const [name, parameter] of Object.entries(parameters)) if (parameter.asset) resolved.set(name, await resolveAsset(parameter.asset, options));
  return resolved;
}
