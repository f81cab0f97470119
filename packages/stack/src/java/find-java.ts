import { execFile } from 'node:child_process';
import { readdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { StackError } from '../errors.ts';

export interface JavaInstallation {
  home: string;
  /** Path of the `java` launcher. */
  java: string;
  /** Path of `javac`, when the installation is a JDK. */
  javac: string | undefined;
  version: string;
  major: number;
}

export interface JavaRequirement {
  minimumMajor: number;
  /** Who needs it, for the error message, e.g. "Trino 476". */
  neededBy: string;
  /** Whether javac is needed too (a JDK, not a JRE). */
  needsCompiler?: boolean;
}

const execFileAsync = promisify(execFile);

/**
 * Finds a Java installation that satisfies every requirement: an explicit home first
 * (option or DATAPLAT_JAVA_HOME), then JAVA_HOME, the usual JVM folders and `java` on PATH.
 * Among the candidates that qualify, the highest version wins.
 */
export async function findJava(
  requirements: readonly JavaRequirement[],
  explicitHome: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<JavaInstallation> {
  const minimumMajor = Math.max(...requirements.map((requirement) => requirement.minimumMajor));
  const needsCompiler = requirements.some((requirement) => requirement.needsCompiler);

  if (explicitHome) {
    const explicit = await inspectJavaHome(explicitHome);
    const problem = explicit ? shortcoming(explicit, minimumMajor, needsCompiler) : 'no Java installation there';
    if (problem) throw javaNotFound(requirements, [`${explicitHome} (${problem})`], 'The Java home you configured');
    return explicit as JavaInstallation;
  }

  const candidates = await candidateHomes(env);
  const seen: string[] = [];
  const suitable: JavaInstallation[] = [];
  for (const home of candidates) {
    const installation = await inspectJavaHome(home);
    if (!installation) continue;
    const problem = shortcoming(installation, minimumMajor, needsCompiler);
    seen.push(`${installation.home} (Java ${installation.version}${problem ? `: ${problem}` : ''})`);
    if (!problem) suitable.push(installation);
  }
  suitable.sort((left, right) => right.major - left.major);
  const best = suitable[0];
  if (!best) throw javaNotFound(requirements, seen, 'No Java installation on this machine');
  return best;
}

function shortcoming(installation: JavaInstallation, minimumMajor: number, needsCompiler: boolean): string | undefined {
  if (installation.major < minimumMajor) return `too old, need ${minimumMajor}+`;
  if (needsCompiler && !installation.javac) return 'a JRE without javac, need a JDK';
  return undefined;
}

function javaNotFound(requirements: readonly JavaRequirement[], seen: string[], subject: string): StackError {
  const needs = requirements
    .map((requirement) => `${requirement.neededBy} needs Java ${requirement.minimumMajor}+${requirement.needsCompiler ? ' (a JDK)' : ''}`)
    .join('; ');
  return new StackError({
    code: 'STACK_JAVA_NOT_FOUND',
    message: `${subject} is suitable: ${needs}. Found: ${seen.length > 0 ? seen.join(', ') : 'none'}.`,
    hint: `Install a JDK ${Math.max(...requirements.map((requirement) => requirement.minimumMajor))} or newer (for example Temurin 25) and point DATAPLAT_JAVA_HOME at it.`,
  });
}

async function candidateHomes(env: NodeJS.ProcessEnv): Promise<string[]> {
  const homes: string[] = [];
  if (env['JAVA_HOME']) homes.push(env['JAVA_HOME']);
  for (const folder of ['/usr/lib/jvm', '/opt/java', '/Library/Java/JavaVirtualMachines']) {
    try {
      for (const entry of await readdir(folder)) {
        homes.push(folder.startsWith('/Library') ? join(folder, entry, 'Contents', 'Home') : join(folder, entry));
      }
    } catch {
      // folder absent on this OS
    }
  }
  for (const directory of (env['PATH'] ?? '').split(':')) {
    if (!directory) continue;
    try {
      homes.push(dirname(dirname(await realpath(join(directory, 'java')))));
    } catch {
      // no java here
    }
  }
  const unique: string[] = [];
  for (const home of homes) {
    const resolved = await realpath(home).catch(() => home);
    if (!unique.includes(resolved)) unique.push(resolved);
  }
  return unique;
}

/** Reads a Java home's `release` file, or asks `java -version` when there is none. */
export async function inspectJavaHome(home: string): Promise<JavaInstallation | undefined> {
  const java = join(home, 'bin', 'java');
  let version: string | undefined;
  try {
    const release = await readFile(join(home, 'release'), 'utf8');
    version = /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1];
  } catch {
    // no release file: ask the launcher
  }
  if (!version) {
    try {
      const { stderr } = await execFileAsync(java, ['-version']);
      version = /version "([^"]+)"/.exec(stderr)?.[1];
    } catch {
      return undefined;
    }
  }
  if (!version) return undefined;
  const javac = join(home, 'bin', 'javac');
  const hasJavac = await readFile(javac).then(() => true, () => false);
  return { home, java, javac: hasJavac ? javac : undefined, version, major: parseJavaMajor(version) };
}

/** "25.0.3" → 25, "17.0.15" → 17, "1.8.0_402" → 8. */
export function parseJavaMajor(version: string): number {
  const [first, second] = version.split(/[.+_-]/);
  const major = Number(first === '1' ? second : first);
  return Number.isInteger(major) ? major : 0;
}
