import { createHash } from 'node:crypto';
import { copyFile, link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { downloadVerified } from '../../download/verified-download.ts';
import { cachedInstall } from '../../install/cached-install.ts';
import { runInstallCommand } from '../../install/run-command.ts';
import { stackPackageRoot } from '../../package-root.ts';
import type { JavaInstallation } from '../../java/find-java.ts';
import type { ServiceContext } from '../service.ts';
import { nifiVersion } from './nifi-assembly-plan.ts';
import type { LockedArtifact, NifiLock } from './nifi-lock.ts';

const packageDir = stackPackageRoot();
const lockFile = join(packageDir, 'locks', `nifi-${nifiVersion}.json`);
const singleUserPluginDir = join(packageDir, 'java', 'nifi-single-user');
const downloadConcurrency = 8;

/**
 * Assembles a runnable NiFi in the cache from the artifacts pinned in locks/nifi-<version>.json:
 * lib/ jars, released NARs, NARs packaged here from released jars, the single-user plug-in NAR
 * compiled from java/nifi-single-user. Returns the install folder. No JDBC drivers: flows deliver them to NiFi as
 * parameter-context assets (docs/flows.md), as on any NiFi.
 */
export function installNifi(context: ServiceContext): Promise<string> {
  // The HTTP and HTTPS instances share one installation: build it once per process.
  let installation = installations.get(context.config.cacheDir);
  if (!installation) {
    installation = assembleNifi(context);
    installations.set(context.config.cacheDir, installation);
    installation.catch(() => installations.delete(context.config.cacheDir));
  }
  return installation;
}

const installations = new Map<string, Promise<string>>();

async function assembleNifi(context: ServiceContext): Promise<string> {
  const { config } = context;
  const lockText = await readFile(lockFile, 'utf8');
  const lock = JSON.parse(lockText) as NifiLock;
  const pluginHash = await hashFolder(singleUserPluginDir);
  const lockHash = createHash('sha256').update(lockText).digest('hex').slice(0, 12);
  const installDir = join(config.cacheDir, 'nifi', `${lock.version}-${lockHash}-${pluginHash.slice(0, 8)}`);

  await cachedInstall(installDir, { version: lock.version, lockHash, pluginHash }, async (stagingDir) => {
    const java = await context.java();
    const all = [...lock.lib, ...lock.nars, ...lock.packagedNars.flatMap((nar) => nar.jars)];
    context.report({ type: 'service-install-step', service: 'nifi', step: `download ${all.length} artifacts from Maven Central` });
    await mapWithConcurrency(all, downloadConcurrency, (artifact) => downloadArtifact(context, artifact));

    const libDir = join(stagingDir, 'lib');
    await mkdir(libDir, { recursive: true });
    for (const artifact of [...lock.lib, ...lock.nars]) await placeFile(cachedPath(context, artifact), join(libDir, basename(artifact.path)));

    context.report({ type: 'service-install-step', service: 'nifi', step: 'package NARs missing from Maven Central' });
    for (const nar of lock.packagedNars) {
      await packageNar(java, stagingDir, libDir, {
        group: nar.group,
        artifact: nar.artifact,
        version: nar.version,
        parent: nar.parent,
        jars: nar.jars.map((jar) => cachedPath(context, jar)),
      });
    }
    context.report({ type: 'service-install-step', service: 'nifi', step: 'compile the single-user plug-in' });
    await buildSingleUserPlugin(java, stagingDir, libDir, lock);
    await rm(join(stagingDir, 'packaging'), { recursive: true, force: true });
  });
  return installDir;
}

function cachedPath(context: ServiceContext, artifact: LockedArtifact): string {
  return join(context.config.cacheDir, 'maven', artifact.path);
}

async function downloadArtifact(context: ServiceContext, artifact: LockedArtifact): Promise<void> {
  await downloadVerified({
    url: `${context.config.mavenRepositoryUrl}/${artifact.path}`,
    sha256: artifact.sha256,
    destination: cachedPath(context, artifact),
  });
}

/** Hard link when the cache and the install share a file system (no extra space), else copy. */
async function placeFile(source: string, destination: string): Promise<void> {
  await mkdir(dirname(destination), { recursive: true });
  await link(source, destination).catch(() => copyFile(source, destination));
}

interface NarToPackage {
  group: string;
  artifact: string;
  version: string;
  parent?: { group: string; artifact: string; version: string } | undefined;
  jars: string[];
}

/** A NAR is a jar whose manifest names it (and its parent NAR) and which bundles its jars in META-INF/bundled-dependencies. */
async function packageNar(java: JavaInstallation, stagingDir: string, libDir: string, nar: NarToPackage): Promise<void> {
  const workDir = join(stagingDir, 'packaging', nar.artifact);
  const bundledDir = join(workDir, 'content', 'META-INF', 'bundled-dependencies');
  await mkdir(bundledDir, { recursive: true });
  for (const jar of nar.jars) await placeFile(jar, join(bundledDir, basename(jar)));
  const manifestLines = [
    'Manifest-Version: 1.0',
    `Nar-Group: ${nar.group}`,
    `Nar-Id: ${nar.artifact}`,
    `Nar-Version: ${nar.version}`,
    ...(nar.parent
      ? [`Nar-Dependency-Group: ${nar.parent.group}`, `Nar-Dependency-Id: ${nar.parent.artifact}`, `Nar-Dependency-Version: ${nar.parent.version}`]
      : []),
    'Created-By: @dataplat/stack',
  ];
  const manifest = join(workDir, 'MANIFEST.MF');
  await writeFile(manifest, `${manifestLines.join('\n')}\n`);
  await runInstallCommand('nifi', jarTool(java), ['--create', '--no-compress', '--file', join(libDir, `${nar.artifact}-${nar.version}.nar`), '--manifest', manifest, '-C', join(workDir, 'content'), 'META-INF']);
}

async function buildSingleUserPlugin(java: JavaInstallation, stagingDir: string, libDir: string, lock: NifiLock): Promise<void> {
  const workDir = join(stagingDir, 'packaging', 'dataplat-nifi-single-user');
  const classesDir = join(workDir, 'classes');
  await mkdir(classesDir, { recursive: true });
  const classPath = lock.lib
    .map((artifact) => basename(artifact.path))
    .filter((name) => name.startsWith('nifi-api-') || name.startsWith('nifi-framework-api-'))
    .map((name) => join(libDir, name))
    .join(':');
  const sources = (await readdir(join(singleUserPluginDir, 'src'), { recursive: true }))
    .filter((name) => name.endsWith('.java'))
    .map((name) => join(singleUserPluginDir, 'src', name));
  if (!java.javac) throw new Error('javac is required to build the NiFi single-user plug-in');
  await runInstallCommand('nifi', java.javac, ['--release', '21', '-nowarn', '-d', classesDir, '-cp', classPath, ...sources]);
  const pluginJar = join(workDir, 'dataplat-nifi-single-user-1.0.0.jar');
  await runInstallCommand('nifi', jarTool(java), ['--create', '--file', pluginJar, '-C', classesDir, '.', '-C', join(singleUserPluginDir, 'resources'), '.']);
  await packageNar(java, stagingDir, libDir, { group: 'dev.dataplat', artifact: 'dataplat-nifi-single-user-nar', version: '1.0.0', jars: [pluginJar] });
}

function jarTool(java: JavaInstallation): string {
  return join(java.home, 'bin', 'jar');
}

async function hashFolder(folder: string): Promise<string> {
  const hash = createHash('sha256');
  const entries = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  entries.sort((left, right) => join(left.parentPath, left.name).localeCompare(join(right.parentPath, right.name)));
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    hash.update(path.slice(folder.length)).update(await readFile(path));
  }
  return hash.digest('hex');
}

async function mapWithConcurrency<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
