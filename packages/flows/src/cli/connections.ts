// Where the CLI connects, and the clients it connects with: flags win over environment variables, which
// win over the config file (`--config <file>`, or flows.config.yaml in the directory the command was typed
// in or the nearest one above it). Config files are committed, so they hold addresses, users and CA
// files, never passwords. Certificate verification is always on.
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createAirflowClient, type AirflowClient } from '@dataplat/airflow';
import { DataplatError } from '@dataplat/core/errors';
import { createNifiClient, type NifiClient } from '@dataplat/nifi';
import { parse } from 'yaml';
import * as z from 'zod';
import { projectNamePattern } from '../deploy/inventory.ts';
import { environmentSwitch, UsageError } from './arguments/options.ts';
import type { CliIo } from './io.ts';

export type ConnectionFlags = { [Name in 'nifi-url' | 'nifi-username' | 'nifi-password' | 'nifi-ca-file' | 'airflow-url' | 'airflow-username' | 'airflow-password' | 'airflow-ca-file' | 'parent' | 'config' | 'project']?: string | undefined } & {
  [Name in 'nifi-password-stdin' | 'airflow-password-stdin' | 'allow-insecure-auth']?: boolean | undefined;
};

interface Server {
  url?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  caFile?: string | undefined;
  /** Credentials may go over plain http to a non-loopback host (--allow-insecure-auth). */
  allowInsecureAuth?: boolean | undefined;
}

export interface Connections {
  nifi: Server;
  airflow: Server;
  /** Process group holding the managed flows. */
  parentGroupId: string;
  /** The project whose flows these are (flag, FLOWS_PROJECT, or project: in the config file); undefined for none. */
  project: string | undefined;
  /** The project's flow files: the default path of commands that read them, and what a complete set covers. */
  flowsFolder: string;
}

const server = z.strictObject({ url: z.url().optional(), username: z.string().min(1).optional(), caFile: z.string().min(1).optional() });
const projectName = z.string().regex(projectNamePattern, 'a name of letters, digits, ".", "_" and "-"');
const configSchema = z.strictObject({
  nifi: server.optional(),
  airflow: server.optional(),
  parent: z.string().min(1).optional(),
  project: projectName.optional(),
  flows: z.string().min(1).optional(),
});
export const defaultConfigFile = 'flows.config.yaml';

export async function resolveConnections(flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string, stdin?: () => NodeJS.ReadableStream): Promise<Connections> {
  const config = await readConfig(flags.config, cwd);
  const fromStdin = await passwordFromStdin(flags, stdin);
  const pick = (service: 'nifi' | 'airflow'): Server => {
    const prefix = service.toUpperCase();
    return {
      url: flags[`${service}-url`] ?? env[`${prefix}_URL`] ?? config[service]?.url,
      username: flags[`${service}-username`] ?? env[`${prefix}_USERNAME`] ?? config[service]?.username,
      password: (fromStdin?.service === service ? fromStdin.password : undefined) ?? flags[`${service}-password`] ?? env[`${prefix}_PASSWORD`],
      caFile: flags[`${service}-ca-file`] ?? env[`${prefix}_CA_FILE`] ?? (config[service]?.caFile ? resolve(config.directory, config[service].caFile) : undefined),
      allowInsecureAuth: flags['allow-insecure-auth'] === true || environmentSwitch(env, 'FLOWS_ALLOW_INSECURE_AUTH'),
    };
  };
  const project = flags.project ?? env['FLOWS_PROJECT'] ?? config.project;
  if (project !== undefined && !projectNamePattern.test(project)) throw new UsageError(`--project takes a name of letters, digits, ".", "_" and "-", not "${project}".`);
  return {
    nifi: pick('nifi'),
    airflow: pick('airflow'),
    parentGroupId: flags.parent ?? config.parent ?? 'root',
    project,
    // Relative to the config file (the project's root) when there is one, else to where the command was typed.
    flowsFolder: resolve(config.directory, config.flows ?? 'flows'),
  };
}

/**
 * The password of --nifi-password-stdin or --airflow-password-stdin: stdin's first line (a trailing
 * newline dropped). Unlike a flag, it never shows in `ps`. One of them at a time, and not with the flag.
 */
async function passwordFromStdin(flags: ConnectionFlags, stdin: (() => NodeJS.ReadableStream) | undefined): Promise<{ service: 'nifi' | 'airflow'; password: string } | undefined> {
  const services = (['nifi', 'airflow'] as const).filter((service) => flags[`${service}-password-stdin`]);
  if (services.length === 0) return undefined;
  if (services.length > 1) throw new UsageError('--nifi-password-stdin and --airflow-password-stdin both read stdin: pass one of the passwords in its environment variable (NIFI_PASSWORD or AIRFLOW_PASSWORD).');
  const service = services[0]!;
  if (flags[`${service}-password`] !== undefined) throw new UsageError(`--${service}-password-stdin and --${service}-password both give the password: keep one (stdin or the environment variable: flags show in ps).`);
  if (!stdin) throw new UsageError(`--${service}-password-stdin needs a standard input to read the password from.`);
  const password = (await readOnce(stdin())).replace(/\r?\n$/, '');
  if (password === '' || password.includes('\n')) throw new UsageError(`--${service}-password-stdin reads one line with the password; stdin had ${password === '' ? 'none' : 'several lines'}.`);
  return { service, password };
}

/** Stdin's whole text, read once however often connections are resolved in one command. */
const stdinTexts = new WeakMap<NodeJS.ReadableStream, Promise<string>>();
function readOnce(stdin: NodeJS.ReadableStream): Promise<string> {
  let text = stdinTexts.get(stdin);
  if (!text) {
    text = (async () => {
      let collected = '';
      for await (const chunk of stdin) collected += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      return collected;
    })();
    stdinTexts.set(stdin, text);
  }
  return text;
}

async function readConfig(explicit: string | undefined, cwd: string): Promise<z.output<typeof configSchema> & { directory: string }> {
  const file = explicit ? resolve(cwd, explicit) : await findConfigFile(cwd);
  if (!file) return { directory: cwd };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataplatError({ code: 'FLOWS_CONFIG', message: `Cannot read the config file ${file}: ${(error as Error).message}`, cause: error });
  }
  const parsed = configSchema.safeParse(parse(text) ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message}`);
    throw new DataplatError({
      code: 'FLOWS_CONFIG',
      message: `${file} is not a valid flows config:\n  ${problems.join('\n  ')}`,
      hint: 'Keys: nifi/airflow {url, username, caFile}, parent, project and flows (the folder of the flow files). Passwords come from NIFI_PASSWORD / AIRFLOW_PASSWORD, never from the file.',
    });
  }
  return { ...parsed.data, directory: resolve(file, '..') };
}

/** Where to connect, with NiFi's URL known; a UsageError (exit 2) says what is missing or wrong. */
export async function nifiTarget(flags: ConnectionFlags, env: NodeJS.ProcessEnv, cwd: string, need: string, stdin?: () => NodeJS.ReadableStream): Promise<Connections & { nifi: Server & { url: string } }> {
  let connections: Connections;
  try {
    connections = await resolveConnections(flags, env, cwd, stdin);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const url = connections.nifi.url;
  if (!url) throw new UsageError(`${need}: pass --nifi-url, set NIFI_URL, or put nifi.url in flows.config.yaml (e.g. http://127.0.0.1:18080/nifi-api).`);
  return { ...connections, nifi: { ...connections.nifi, url } };
}

/** Runs `work` with a NiFi client for the resolved target, closed afterwards whatever happens. */
export async function withNifi<Result>(flags: ConnectionFlags, io: CliIo, need: string, work: (nifi: NifiClient, connections: Connections) => Promise<Result>): Promise<Result> {
  const connections = await nifiTarget(flags, io.env, io.cwd, need, io.stdin);
  const nifi = await connectNifi(connections.nifi, io.cwd);
  try {
    return await work(nifi, connections);
  } finally {
    await nifi.close();
  }
}

export interface FlowTarget {
  nifi: NifiClient;
  /** Present when an Airflow URL is configured (asset-event triggers need it at plan time). */
  airflow: AirflowClient | undefined;
  parentGroupId: string;
  project: string | undefined;
  flowsFolder: string;
}

/** Like withNifi, plus Airflow when configured: what plan and apply talk to. */
export async function withFlowTarget<Result>(flags: ConnectionFlags, io: CliIo, need: string, work: (target: FlowTarget) => Promise<Result>): Promise<Result> {
  return withNifi(flags, io, need, async (nifi, connections) => {
    const airflow = await connectAirflow(connections.airflow, io.cwd);
    try {
      return await work({ nifi, airflow, parentGroupId: connections.parentGroupId, project: connections.project, flowsFolder: connections.flowsFolder });
    } finally {
      await airflow?.close();
    }
  });
}

/** flows.config.yaml in `directory` or the nearest folder above it (like .gitignore or tsconfig lookups), or undefined. */
export async function findConfigFile(directory: string): Promise<string | undefined> {
  for (let folder = resolve(directory); ; folder = dirname(folder)) {
    const candidate = join(folder, defaultConfigFile);
    if (await isFile(candidate)) return candidate;
    if (dirname(folder) === folder) return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function connectNifi(nifi: Server & { url: string }, cwd: string): Promise<NifiClient> {
  return createNifiClient({
    baseUrl: nifi.url,
    ...(nifi.username && nifi.password ? { auth: { username: nifi.username, password: nifi.password } } : {}),
    ...(nifi.caFile ? { tls: { ca: await readFile(resolve(cwd, nifi.caFile), 'utf8') } } : {}),
    ...(nifi.allowInsecureAuth ? { allowInsecureAuth: true } : {}),
  });
}

/** Airflow, when an URL is configured (only asset-event triggers need it at plan time). */
export async function connectAirflow(airflow: Server, cwd: string): Promise<AirflowClient | undefined> {
  if (!airflow.url) return undefined;
  return createAirflowClient({
    baseUrl: airflow.url,
    ...(airflow.username && airflow.password ? { auth: { username: airflow.username, password: airflow.password } } : {}),
    ...(airflow.caFile ? { tls: { ca: await readFile(resolve(cwd, airflow.caFile), 'utf8') } } : {}),
    ...(airflow.allowInsecureAuth ? { allowInsecureAuth: true } : {}),
  });
}
