// What a flow's ownership marker says about the sensitive values NiFi holds, and whether plan/apply push
// them. The marker sits in the group's comments, which anyone who can read the canvas reads, so it must
// hold nothing a reader can test password guesses against (issue 14, finding 2: a SHA-256 salted with the
// flow's public id gave up the example flows' passwords to a small dictionary at ~330k guesses/s).
//
// The marker's `sensitiveHash` is one of:
//   none              the flow has no sensitive values;
//   pending           an apply created the group and had not pushed them yet (the next apply pushes them);
//   unverified        pushed by an apply without FLOWS_SECRETS_KEY: nothing value-derived is stored;
//   hmac-sha256:<key id>:<mac>
//                     an HMAC of the values under FLOWS_SECRETS_KEY, a key NiFi never sees: without it a
//                     guess can't be checked, however weak the password. The key id (an HMAC of a fixed
//                     text) says which key wrote it, so a rotated key reads as "unknown", not as "changed";
//   64 hex digits     the old format (SHA-256 salted with the flow id): compared once, then replaced.
//
// With the key, a plan compares values and a flow with nothing to change gets no request. Without it,
// values can't be compared: they are pushed when a group is new, pending, from the old format and
// different, or when asked (--push-secrets / pushSecrets); otherwise NiFi keeps what it has and the plan says so.
import { createHash, createHmac } from 'node:crypto';
import { DataplatError } from '@dataplat/core/errors';
import { deterministicId } from '../compile/deterministic-id.ts';

/** The environment variable holding the key; the CLI and the TypeScript API (through `env`) read it. */
export const secretsKeyVariable = 'FLOWS_SECRETS_KEY';
/** Shorter keys are refused: the key is what stands between a reader of NiFi and an offline guess. */
export const minimumSecretsKeyLength = 32;

const hmacPrefix = 'hmac-sha256:';
const legacyFormat = /^[0-9a-f]{64}$/;

export type SecretsVerdict =
  /** The flow has no sensitive values. */
  | 'none'
  /** A new (or adopted) group: pushed. */
  | 'new'
  /** The last apply stopped before pushing them: pushed. */
  | 'pending'
  /** Different from what the marker records: pushed. */
  | 'changed'
  /** The marker can't tell (written without the key, or with another key): pushed. */
  | 'unknown'
  /** Pushed because the caller asked (--push-secrets). */
  | 'requested'
  /** Equal to what the marker records: not pushed. */
  | 'unchanged'
  /** No key to compare with: not pushed, NiFi keeps what it has. */
  | 'not-compared';

export interface SecretsComparison {
  verdict: SecretsVerdict;
  /** Whether apply pushes the sensitive values. */
  push: boolean;
  /** What the new marker records (`sensitiveHash`). */
  record: string;
}

export interface SecretsKeyOptions {
  /** The key (default: FLOWS_SECRETS_KEY of `env`). */
  secretsKey?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

/** The key to compare sensitive values with, or undefined without one; a key too short to protect anything is refused. */
export function secretsKey(options: SecretsKeyOptions): string | undefined {
  const key = options.secretsKey ?? (options.env ?? process.env)[secretsKeyVariable];
  if (key === undefined || key === '') return undefined;
  if (key.length < minimumSecretsKeyLength) {
    throw new DataplatError({
      code: 'FLOWS_WEAK_SECRETS_KEY',
      message: `${secretsKeyVariable} has ${key.length} characters; at least ${minimumSecretsKeyLength} are needed, so that the HMAC in NiFi can't be attacked through the key.`,
      hint: `Generate one with: openssl rand -base64 32 — and keep it where your CI keeps secrets (never in NiFi or the flow files).`,
    });
  }
  return key;
}

/** Compares the values of a flow with what its current marker records (undefined: a new or adopted group). */
export function compareSecrets(flowName: string, values: Readonly<Record<string, string>>, recorded: string | undefined, options: { key: string | undefined; push?: boolean | undefined }): SecretsComparison {
  const { key } = options;
  if (Object.keys(values).length === 0) return { verdict: 'none', push: false, record: 'none' };
  const pushed = key ? hmacRecord(key, flowName, values) : 'unverified';
  const push = (verdict: SecretsVerdict): SecretsComparison => ({ verdict, push: true, record: pushed });
  if (recorded === undefined) return push('new');
  if (recorded === 'pending') return push('pending');
  if (options.push) return push('requested');
  if (legacyFormat.test(recorded)) return recorded === legacyHash(flowName, values) ? { verdict: 'unchanged', push: false, record: pushed } : push('changed');
  if (recorded === 'none') return push('changed');
  if (!key) return { verdict: 'not-compared', push: false, record: recorded };
  if (recorded.startsWith(`${hmacPrefix}${keyId(key)}:`)) return recorded === pushed ? { verdict: 'unchanged', push: false, record: pushed } : push('changed');
  return push('unknown');
}

/** `hmac-sha256:<key id>:<mac>` of the values (sorted by name) for this flow. */
function hmacRecord(key: string, flowName: string, values: Readonly<Record<string, string>>): string {
  const mac = createHmac('sha256', key).update(canonicalValues(flowName, values)).digest('hex');
  return `${hmacPrefix}${keyId(key)}:${mac}`;
}

/** Names the key without revealing it: an HMAC of a fixed text, shortened. */
function keyId(key: string): string {
  return createHmac('sha256', key).update('dataplat-flows secrets key id').digest('hex').slice(0, 12);
}

function canonicalValues(flowName: string, values: Readonly<Record<string, string>>): string {
  const sorted = Object.keys(values)
    .sort()
    .map((name) => [name, values[name]]);
  return `${deterministicId(flowName)}\n${JSON.stringify(sorted)}`;
}

/** The format markers had before: computed only to recognise unchanged values once, then replaced. */
function legacyHash(flowName: string, values: Readonly<Record<string, string>>): string {
  return createHash('sha256').update(canonicalValues(flowName, values)).digest('hex');
}
