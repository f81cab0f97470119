// Which fields of the stack's endpoints are secrets: one declared list, masked wherever endpoints are
// printed (`dataplat-stack up --json`). Before this list, only keys named `password` were masked and
// `s3.secretKey` was printed (issue 14, finding 9). endpoints.json (mode 0600) and `stack env` keep them.
import type { StackEndpoints } from './endpoints.ts';

/** Dotted paths into StackEndpoints of every secret value; a new secret field is added here. */
export const endpointSecretFields = [
  'postgres.password',
  'nifiHttps.password',
  'trino.https.password',
  's3.secretKey',
  'airflow.admin.password',
  'airflow.viewer.password',
] as const;

export const maskedSecret = '***';

/** A copy of the endpoints with every declared secret field replaced by `***` (absent services stay absent). */
export function maskEndpointSecrets(endpoints: StackEndpoints): StackEndpoints {
  const copy = structuredClone(endpoints) as Record<string, unknown>;
  for (const path of endpointSecretFields) {
    const keys = path.split('.');
    const field = keys.pop()!;
    let holder: unknown = copy;
    for (const key of keys) holder = typeof holder === 'object' && holder !== null ? (holder as Record<string, unknown>)[key] : undefined;
    if (typeof holder === 'object' && holder !== null && field in holder) (holder as Record<string, unknown>)[field] = maskedSecret;
  }
  return copy as StackEndpoints;
}
