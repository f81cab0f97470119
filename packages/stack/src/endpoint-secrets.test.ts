// Issue 14, finding 9: `dataplat-stack up --json` masks every secret of the endpoints by a declared list —
// s3.secretKey was printed because only keys named `password` were masked.
import { describe, expect, it } from 'vitest';
import { allServiceNames, resolveStackConfig } from './config/stack-config.ts';
import { endpointSecretFields, maskEndpointSecrets } from './endpoint-secrets.ts';
import { describeEndpoints } from './endpoints.ts';

// Distinctive values for every credential the stack has, so a leak is unmistakable.
const credentials = {
  postgres: { user: 'pg-user', password: 'pg-Ws4x-secret' },
  nifi: { username: 'nifi-user', password: 'nifi-Qe8r-secret' },
  airflow: { admin: { username: 'admin', password: 'af-admin-Ty6u-secret' }, viewer: { username: 'viewer', password: 'af-viewer-Io1p-secret' } },
  s3: { accessKey: 'dataplat', secretKey: 's3-As2d-secret' },
  trino: { username: 'trino-user', password: 'trino-Fg3h-secret' },
};
const secrets = ['pg-Ws4x-secret', 'nifi-Qe8r-secret', 'af-admin-Ty6u-secret', 'af-viewer-Io1p-secret', 's3-As2d-secret', 'trino-Fg3h-secret'];
const endpoints = describeEndpoints(resolveStackConfig({ services: [...allServiceNames], stateDir: '/state', credentials }, {}));

describe('maskEndpointSecrets', () => {
  it('masks every secret of every service, the S3 secret key included', () => {
    const printed = JSON.stringify(maskEndpointSecrets(endpoints));
    expect(secrets.filter((secret) => printed.includes(secret))).toEqual([]);
    expect(maskEndpointSecrets(endpoints).s3).toMatchObject({ accessKey: 'dataplat', secretKey: '***' });
    // Everything that is not a secret is still there for scripts.
    expect(maskEndpointSecrets(endpoints).airflow).toMatchObject({ url: endpoints.airflow!.url, admin: { username: 'admin', password: '***' } });
  });

  it('declares only fields that exist, and leaves the endpoints it was given untouched', () => {
    const existing = endpointSecretFields.filter((path) => path.split('.').reduce<unknown>((holder, key) => (holder as Record<string, unknown> | undefined)?.[key], endpoints) !== undefined);
    expect(existing).toEqual([...endpointSecretFields]);
    maskEndpointSecrets(endpoints);
    expect(endpoints.s3?.secretKey).toBe('s3-As2d-secret');
  });

  it('leaves services that are not running out', () => {
    expect(maskEndpointSecrets({ trino: endpoints.trino! })).toEqual({ trino: { ...endpoints.trino, https: { ...endpoints.trino!.https, password: '***' } } });
  });
});
