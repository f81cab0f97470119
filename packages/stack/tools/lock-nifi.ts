// Regenerates locks/nifi-<version>.json: every Maven Central artifact the stack assembles NiFi from,
// with its SHA-256. Dev-only (needs Maven); the stack itself only downloads what the lock lists.
//
// NiFi's binary distribution is not published to Maven Central, so the stack assembles one:
// lib/ jars (as nifi-assembly's core.xml lists them), released NARs, and NARs that the stack
// packages itself from released jars when a NAR is missing from Maven Central.
//
// Usage: node packages/stack/tools/lock-nifi.ts [--repository URL]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nifiAssemblyPlan, type MavenCoordinate } from '../src/services/nifi/nifi-assembly-plan.ts';
import type { NifiLock, LockedArtifact } from '../src/services/nifi/nifi-lock.ts';

const repositoryArgument = process.argv.indexOf('--repository');
const repository = repositoryArgument > 0 ? process.argv[repositoryArgument + 1] : 'https://repo1.maven.org/maven2';
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const plan = nifiAssemblyPlan;

function pomWith(dependencies: readonly MavenCoordinate[], managedBy: MavenCoordinate): string {
  const entries = dependencies
    .map(
      (dependency) => `    <dependency><groupId>${dependency.group}</groupId><artifactId>${dependency.artifact}</artifactId>` +
        `<version>${dependency.version}</version>${dependency.type ? `<type>${dependency.type}</type>` : ''}</dependency>`,
    )
    .join('\n');
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <parent><groupId>${managedBy.group}</groupId><artifactId>${managedBy.artifact}</artifactId><version>${managedBy.version}</version><relativePath/></parent>
  <groupId>dataplat.lock</groupId><artifactId>nifi-lock</artifactId><version>1</version><packaging>pom</packaging>
  <repositories><repository><id>lock-source</id><url>${repository}</url></repository></repositories>
  <dependencies>
${entries}
  </dependencies></project>`;
}

/** Resolves with Maven and returns every file in repository layout, with its hash. */
function resolveTransitively(dependencies: readonly MavenCoordinate[], managedBy: MavenCoordinate): LockedArtifact[] {
  const workDir = mkdtempSync(join(tmpdir(), 'nifi-lock-'));
  try {
    writeFileSync(join(workDir, 'pom.xml'), pomWith(dependencies, managedBy));
    const outputDir = join(workDir, 'out');
    execFileSync(
      'mvn',
      ['-B', '-q', 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`, '-Dmdep.useRepositoryLayout=true',
        '-DincludeScope=runtime'],
      { cwd: workDir, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    return listFiles(outputDir).map((file) => ({
      path: relative(outputDir, file),
      sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      size: statSync(file).size,
    }));
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Jars a downloaded NAR already bundles (file names), and the NAR it declares as its parent. */
function inspectNar(narPath: string): { jars: Set<string>; parent: string | undefined } {
  const listing = execFileSync('unzip', ['-Z1', narPath], { encoding: 'utf8' });
  const manifest = execFileSync('unzip', ['-p', narPath, 'META-INF/MANIFEST.MF'], { encoding: 'utf8' });
  return {
    jars: new Set(
      listing.split('\n').filter((name) => name.startsWith('META-INF/bundled-dependencies/') && name.endsWith('.jar'))
        .map((name) => name.slice('META-INF/bundled-dependencies/'.length)),
    ),
    parent: /^Nar-Dependency-Id: (.+)$/m.exec(manifest)?.[1]?.trim(),
  };
}

/** Pins artifacts that are used as they are (no dependency resolution: a NAR's POM lists what it bundles). */
function pinDirect(coordinates: readonly MavenCoordinate[]): LockedArtifact[] {
  const workDir = mkdtempSync(join(tmpdir(), 'nifi-lock-direct-'));
  try {
    return coordinates.map((coordinate) => {
      const path = repositoryPath(coordinate);
      const local = join(workDir, 'artifact');
      execFileSync('curl', ['-sfSL', '-o', local, `${repository}/${path}`]);
      return { path, sha256: createHash('sha256').update(readFileSync(local)).digest('hex'), size: statSync(local).size };
    });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function repositoryPath({ group, artifact, version, type }: MavenCoordinate): string {
  return `${group.replaceAll('.', '/')}/${artifact}/${version}/${artifact}-${version}.${type ?? 'jar'}`;
}

console.log(`resolving NiFi ${plan.version} from ${repository}`);
const lib = pinDirect(plan.lib);
const nars = pinDirect(plan.nars);

// Download the released NARs once more to see what the parents of the packaged NARs already carry.
const narCache = mkdtempSync(join(tmpdir(), 'nifi-lock-nars-'));
const fileNameOf = (artifact: LockedArtifact) => artifact.path.split('/').at(-1) ?? artifact.path;
const releasedNars = new Map<string, { jars: Set<string>; parent: string | undefined }>();
for (const nar of nars) {
  const local = join(narCache, fileNameOf(nar));
  execFileSync('curl', ['-sfSL', '-o', local, `${repository}/${nar.path}`]);
  const inspected = inspectNar(local);
  releasedNars.set(fileNameOf(nar).replace(/-[\d.]+\.nar$/, ''), inspected);
  console.log(`  ${fileNameOf(nar)}: ${inspected.jars.size} jars, parent ${inspected.parent ?? 'none'}`);
}
rmSync(narCache, { recursive: true, force: true });
const libNames = new Set(lib.map(fileNameOf));

/** Jars visible to a NAR through its parent chain (NiFi's NAR class loaders delegate parent-first). */
function jarsOfChain(narId: string | undefined): Set<string> {
  const jars = new Set<string>();
  for (let current = narId; current; current = releasedNars.get(current)?.parent) {
    const nar = releasedNars.get(current);
    if (!nar) throw new Error(`parent NAR ${current} is not among the released NARs of the plan`);
    nar.jars.forEach((jar) => jars.add(jar));
  }
  return jars;
}

const packagedNars = plan.packagedNars.map((nar) => {
  const parentJars = jarsOfChain(nar.parent.artifact);
  const jars = resolveTransitively(nar.dependencies, nar.managedBy).filter((jar) => {
    const name = fileNameOf(jar);
    return name.endsWith('.jar') && !parentJars.has(name) && !libNames.has(name);
  });
  return { ...nar, jars };
});

const lock: NifiLock = { version: plan.version, lib, nars, packagedNars };
const lockFile = join(packageDir, 'locks', `nifi-${plan.version}.json`);
writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
const total = [...lib, ...nars, ...packagedNars.flatMap((nar) => nar.jars)];
console.log(`wrote ${lockFile}: ${total.length} artifacts, ${(total.reduce((sum, artifact) => sum + artifact.size, 0) / 1e6).toFixed(1)} MB`);
