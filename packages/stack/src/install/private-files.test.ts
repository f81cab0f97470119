// Issue 14, finding 10: the stack's secrets, keystores and service folders end up readable by their owner
// only, also when an older stack left them 0644/0755 (writeFile's `mode` applies only to new files).
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSelfSignedCertificate } from '../tls/self-signed-certificate.ts';
import { loadOrCreateSecrets } from './persistent-secrets.ts';
import { privateDirectory, writePrivateFile } from './private-files.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dataplat-private-files-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('private files', () => {
  it('writePrivateFile makes an existing 0644 file 0600', async () => {
    const file = join(folder, 'nifi.properties');
    await writeFile(file, 'old', { mode: 0o644 });
    await writePrivateFile(file, 'nifi.sensitive.props.key=secret');
    expect(await modeOf(file)).toBe(0o600);
  });

  it('privateDirectory creates a folder 0700 and tightens an existing 0755 one', async () => {
    const existing = join(folder, 'nifi');
    await mkdir(existing, { mode: 0o755 });
    await privateDirectory(existing);
    await privateDirectory(join(folder, 'trino'));
    expect([await modeOf(existing), await modeOf(join(folder, 'trino'))]).toEqual([0o700, 0o700]);
  });
});

describe('loadOrCreateSecrets', () => {
  it('tightens a kept secrets file that is 0644', async () => {
    const file = join(folder, 'secrets.json');
    await writeFile(file, JSON.stringify({ jwtSecret: 'kept' }), { mode: 0o644 });
    expect(await loadOrCreateSecrets(file, () => ({ jwtSecret: 'new' }))).toEqual({ jwtSecret: 'kept' });
    expect(await modeOf(file)).toBe(0o600);
  });

  it('rewrites a 0644 secrets file that lacks a newer secret as 0600', async () => {
    const file = join(folder, 'secrets.json');
    await writeFile(file, JSON.stringify({ jwtSecret: 'kept' }), { mode: 0o644 });
    expect(await loadOrCreateSecrets(file, () => ({ jwtSecret: 'new', fernetKey: 'added' }))).toEqual({ jwtSecret: 'kept', fernetKey: 'added' });
    expect(await modeOf(file)).toBe(0o600);
  });
});

describe('ensureSelfSignedCertificate', () => {
  it('makes an existing 0644 keystore 0600 and leaves the public PEM readable', async () => {
    const keystore = join(folder, 'keystore.p12');
    const pem = join(folder, 'ca.pem');
    await writeFile(keystore, 'keystore bytes', { mode: 0o644 });
    await writeFile(pem, '-----BEGIN CERTIFICATE-----', { mode: 0o644 });
    const unusedJava = { home: '/nonexistent-jdk', java: '/nonexistent-jdk/bin/java', major: 25, hasCompiler: true } as never;
    expect(await ensureSelfSignedCertificate(unusedJava, { service: 'trino', alias: 'trino', keystore, pem, keystorePassword: 'unused' })).toEqual({ created: false });
    expect([await modeOf(keystore), await modeOf(pem)]).toEqual([0o600, 0o644]);
  });
});
