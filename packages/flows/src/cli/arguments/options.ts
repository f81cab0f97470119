// What a command's options are, declared as data: parsing, validation, `flows <command> --help` and the
// generated CLI reference all read these declarations, so they cannot drift apart. The option sets that
// several commands share (where NiFi and Airflow are, --json) are declared once here.

/** A boolean switch: `--prune`. */
export interface FlagOption {
  kind: 'flag';
  description: string;
}

/** An option with a value: `--out <file>`; `convert` validates and types it (throwing UsageError). */
export interface ValueOption<Value = string> {
  kind: 'value';
  placeholder: string;
  description: string;
  /** The environment variable that sets it when the flag is absent (for help only; connections.ts reads them). */
  env?: string | undefined;
  /** The only values accepted. */
  choices?: readonly string[] | undefined;
  convert?: ((raw: string) => Value) | undefined;
}

export type OptionSpec = FlagOption | ValueOption<unknown>;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The typed values of parsed options: flags are booleans, values are their converted type or undefined. */
export type OptionValues<Specs extends OptionSpecs> = {
  [Name in keyof Specs]: Specs[Name] extends FlagOption ? boolean : Specs[Name] extends ValueOption<infer Value> ? Value | undefined : never;
};

/** A usage mistake (unknown option, bad value, missing argument): exit 2 with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  static isInstance(error: unknown): error is UsageError {
    return error instanceof Error && error.name === 'UsageError';
  }
}

export const flag = (description: string): FlagOption => ({ kind: 'flag', description });
type ValueExtras = Pick<ValueOption, 'env' | 'choices'>;

/** An option whose value is a string. */
export function value(placeholder: string, description: string, extras: ValueExtras = {}): ValueOption<string> {
  return { kind: 'value', placeholder, description, ...extras };
}

/** An option whose value `convert` checks and types (it throws UsageError's text for a bad value). */
export function convertedValue<Value>(placeholder: string, description: string, convert: (raw: string) => Value, extras: ValueExtras = {}): ValueOption<Value> {
  return { kind: 'value', placeholder, description, convert, ...extras };
}

/** A number of seconds > 0, returned in milliseconds. */
export function seconds(raw: string): number {
  const parsed = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(parsed > 0)) throw new Error(`expects a number of seconds greater than 0, not "${raw}"`);
  return parsed * 1000;
}

/**
 * A duration as Go and Terraform write it — `90s`, `5m`, `1m30s`, `1h`, `500ms` — or a plain number of
 * seconds; returned in milliseconds (0 allowed).
 */
export function duration(raw: string): number {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) throw new Error(`expects a duration such as 30s, 5m or 1m30s (or a number of seconds), not "${raw}"`);
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]!]!, 0);
}

export const lockOptions = {
  'lock-timeout': convertedValue(
    'duration',
    'how long to wait for the apply lock on the parent group while another apply, destroy or plan --out holds it (default 5m; 0 = fail at once); then FLOWS_LOCKED naming the holder',
    duration,
    { env: 'FLOWS_LOCK_TIMEOUT' },
  ),
} as const;

export const jsonOption = { json: flag('machine-readable output on stdout (no progress, no colour)') } as const;

export const configOption = { config: value('file', 'read nifi/airflow {url, username, caFile}, parent, project and flows (folder) from this YAML file (default: the nearest flows.config.yaml)') } as const;

export const parentOption = { parent: value('id', 'process group that holds the managed flows (default root; or parent in the config file)') } as const;

export const projectOption = {
  project: value('name', 'the set of managed flows this code owns under the parent (or project: in the config file); other projects\' flows are never touched', { env: 'FLOWS_PROJECT' }),
} as const;

export const nifiOptions = {
  'nifi-url': value('url', 'NiFi REST API root, e.g. https://nifi:8443/nifi-api', { env: 'NIFI_URL' }),
  'nifi-username': value('user', 'NiFi login user', { env: 'NIFI_USERNAME' }),
  'nifi-password': value('password', 'NiFi login password; prefer the environment variable or --nifi-password-stdin (other users see flags in ps)', { env: 'NIFI_PASSWORD' }),
  'nifi-password-stdin': flag('read the NiFi login password from stdin (one line), e.g. from a secret manager\'s CLI'),
  'nifi-ca-file': value('pem', 'CA certificate to trust for NiFi over HTTPS (verification is always on)', { env: 'NIFI_CA_FILE' }),
  'allow-insecure-auth': flag('send NiFi and Airflow passwords and tokens over plain http to a host other than this machine (refused otherwise: anyone on the network can read them); also FLOWS_ALLOW_INSECURE_AUTH=1'),
  ...parentOption,
  ...configOption,
} as const;

/** A yes/no environment variable (FLOWS_ALLOW_INSECURE_AUTH=1): on for 1 or true. */
export function environmentSwitch(env: NodeJS.ProcessEnv, name: string): boolean {
  return ['1', 'true'].includes(env[name] ?? '');
}

export const acknowledgeOption = {
  'acknowledge-disconnected-nodes': flag(
    "go on although nodes of a NiFi cluster are not connected (refused otherwise, naming them): the connected nodes are changed, the others take the cluster's flow when they rejoin; also FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES=1",
  ),
} as const;

/** --acknowledge-disconnected-nodes or FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES=1. */
export function acknowledgesDisconnectedNodes(flags: { 'acknowledge-disconnected-nodes'?: boolean | undefined }, env: NodeJS.ProcessEnv): boolean {
  return flags['acknowledge-disconnected-nodes'] === true || environmentSwitch(env, 'FLOWS_ACKNOWLEDGE_DISCONNECTED_NODES');
}

export const perNodeOption = { 'per-node': flag("also report each NiFi cluster node's own figures, and which node was lost during the run") } as const;

export const airflowOptions = {
  'airflow-url': value('url', 'Airflow API server; plan/apply resolve asset-event triggers there', { env: 'AIRFLOW_URL' }),
  'airflow-username': value('user', 'Airflow login user', { env: 'AIRFLOW_USERNAME' }),
  'airflow-password': value('password', 'Airflow login password; prefer the environment variable or --airflow-password-stdin (other users see flags in ps)', { env: 'AIRFLOW_PASSWORD' }),
  'airflow-password-stdin': flag('read the Airflow login password from stdin (one line); not together with --nifi-password-stdin'),
  'airflow-ca-file': value('pem', 'CA certificate to trust for Airflow over HTTPS', { env: 'AIRFLOW_CA_FILE' }),
} as const;

export const environmentOption = { env: value('name', "apply the flows' environment overlay <name> (environments.<name> in the flow files)") } as const;
