// The Trino CLI peer of `pnpm bench`: Trino's own CLI 476 (the executable jar from Maven Central, sha256-pinned,
// fetched once with the stack's verified download) run with the Java the stack picks for Trino, writing
// the result nowhere (--output-format NULL), so what is measured is fetching and decoding.
import { join } from 'node:path';
import { downloadVerified, findJava, resolveStackConfig, trinoJavaRequirement } from '@dataplat/stack';
import type { ContenderCommand } from './measured-run.ts';

export const trinoCliArtifact = {
  version: '476',
  path: 'io/trino/trino-cli/476/trino-cli-476-executable.jar',
  // Computed from the download once; Maven Central's .sha1 of the same file is c835824e01842036d4e0c071b5e2b7e1d28ba299.
  sha256: 'fe4e9c7fb569cd67673afa1622945f6308e1e59bdb825419352b80887661757b',
} as const;

export interface TrinoCli {
  java: string;
  javaVersion: string;
  jar: string;
}

export async function ensureTrinoCli(cacheDir: string): Promise<TrinoCli> {
  const stackConfig = resolveStackConfig();
  const jar = join(cacheDir, `trino-cli-${trinoCliArtifact.version}-executable.jar`);
  const { downloaded } = await downloadVerified({ url: `${stackConfig.mavenRepositoryUrl}/${trinoCliArtifact.path}`, sha256: trinoCliArtifact.sha256, destination: jar });
  if (downloaded) console.error(`bench: downloaded ${trinoCliArtifact.path}`);
  const java = await findJava([trinoJavaRequirement], stackConfig.javaHome);
  return { java: java.java, javaVersion: java.version, jar };
}

/**
 * `encoding`: undefined = the CLI's default (spooling: json+zstd,json+lz4,json), else the spooled encoding to ask
 * for. The CLI always asks for one; a server that answers with direct pages (the direct replay) is read as such.
 */
export function trinoCliCommand(cli: TrinoCli, server: string, user: string, sql: string, encoding?: string): ContenderCommand {
  return {
    contender: 'trino-cli',
    command: cli.java,
    // jline loads a native library; allowing it keeps Java 24+'s warning out of the output.
    args: ['--enable-native-access=ALL-UNNAMED', '-jar', cli.jar, '--server', server, '--user', user, '--source', 'bench-trino-cli', '--execute', sql, '--output-format', 'NULL', ...(encoding ? [`--encoding=${encoding}`] : [])],
    reportsItself: false,
  };
}
