// Where the CLI connects: flags, environment, config file, passwords from stdin (never from the file).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAirflow, connectNifi, findConfigFile, resolveConnections } from './connections.ts';
import { commandDirectory } from './io.ts';

let directory = '';
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'flows-config-'));
  await writeFile(join(directory, 'flows.config.yaml'), 'nifi: { url: "https://nifi.internal:8443/nifi-api", username: ci, caFile: certs/ca.pem }\nparent: abc\n');
  await writeFile(join(directory, 'leaky.yaml'), 'nifi: { url: "https://nifi:8443/nifi-api", password: hunter2 }\n');
});
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('resolveConnections', () => {
  it('reads flows.config.yaml, with the environment over it and flags over both', async () => {
    const fromFile = await resolveConnections({}, { NIFI_PASSWORD: 'from-env' }, directory);
    expect(fromFile).toEqual({
      nifi: { url: 'https://nifi.internal:8443/nifi-api', username: 'ci', password: 'from-env', caFile: join(directory, 'certs', 'ca.pem'), allowInsecureAuth: false },
      airflow: { url: undefined, username: undefined, password: undefined, caFile: undefined, allowInsecureAuth: false },
      parentGroupId: 'abc',
      project: undefined,
      flowsFolder: join(directory, 'flows'),
    });
    const overridden = await resolveConnections({ 'nifi-username': 'flag', parent: 'xyz' }, { NIFI_URL: 'https://other/nifi-api', NIFI_USERNAME: 'env' }, directory);
    expect(overridden.nifi).toMatchObject({ url: 'https://other/nifi-api', username: 'flag' });
    expect(overridden.parentGroupId).toBe('xyz');
  });

  it('refuses passwords in config files, without repeating them', async () => {
    const error = await resolveConnections({ config: 'leaky.yaml' }, {}, directory).catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ code: 'FLOWS_CONFIG', message: expect.stringContaining('unknown key(s) password') });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect((error as Error).message).not.toContain('hunter2');
  });

  it('finds flows.config.yaml in the folder the command was typed in or the nearest one above it', async () => {
    const nested = join(directory, 'team', 'flows');
    await mkdir(nested, { recursive: true });
    expect(await findConfigFile(nested)).toBe(join(directory, 'flows.config.yaml'));
    const fromBelow = await resolveConnections({}, {}, nested);
    expect(fromBelow.nifi).toMatchObject({ url: 'https://nifi.internal:8443/nifi-api', caFile: join(directory, 'certs', 'ca.pem') });
    await writeFile(join(directory, 'team', 'flows.config.yaml'), 'parent: team-group\n');
    expect((await resolveConnections({}, {}, nested)).parentGroupId).toBe('team-group');
  });
});

describe('the project', () => {
  it('comes from --project, then FLOWS_PROJECT, then project: in the config file, whose flows: names the project folder', async () => {
    const folder = join(directory, 'project-config');
    await mkdir(join(folder, 'deploy'), { recursive: true });
    await writeFile(join(folder, 'flows.config.yaml'), 'project: shop-team\nflows: deploy\n');
    expect(await resolveConnections({}, {}, join(folder, 'deploy'))).toMatchObject({ project: 'shop-team', flowsFolder: join(folder, 'deploy') });
    expect((await resolveConnections({}, { FLOWS_PROJECT: 'from-env' }, folder)).project).toBe('from-env');
    expect((await resolveConnections({ project: 'from-flag' }, { FLOWS_PROJECT: 'from-env' }, folder)).project).toBe('from-flag');
    await expect(resolveConnections({ project: 'no spaces' }, {}, folder)).rejects.toThrow('--project takes a name of letters');
  });
});

describe('commandDirectory', () => {
  it("is where the user typed `pnpm flows` (pnpm's INIT_CWD), and the process's own directory otherwise", () => {
    expect(commandDirectory({ npm_lifecycle_event: 'flows', npm_package_name: 'dataplat', INIT_CWD: '/repo/team' }, '/repo')).toBe('/repo/team');
    expect(commandDirectory({ npm_lifecycle_event: 'flows', npm_package_name: 'their-pipeline', INIT_CWD: '/work' }, '/work/pipeline')).toBe('/work/pipeline');
    expect(commandDirectory({ npm_lifecycle_event: 'test', INIT_CWD: '/repo/team' }, '/repo/packages/x')).toBe('/repo/packages/x');
    expect(commandDirectory({}, '/work')).toBe('/work');
  });
});

describe('passwords from stdin (issue 14, finding 12: --nifi-password shows in ps)', () => {
  it('reads the NiFi or the Airflow password from stdin\'s one line, once per command', async () => {
    const stream = Readable.from(['s3cret-from-stdin\n']);
    const stdin = () => stream;
    const first = await resolveConnections({ 'nifi-password-stdin': true }, { NIFI_PASSWORD: 'from-env' }, directory, stdin);
    expect(first.nifi.password).toBe('s3cret-from-stdin');
    expect((await resolveConnections({ 'nifi-password-stdin': true }, {}, directory, stdin)).nifi.password).toBe('s3cret-from-stdin');
    const airflow = await resolveConnections({ 'airflow-password-stdin': true }, {}, directory, () => Readable.from(['airflow-pass\r\n']));
    expect(airflow.airflow.password).toBe('airflow-pass');
    expect(airflow.nifi.password).toBeUndefined();
  });

  it('refuses both at once, with the flag, several lines or an empty stdin, never echoing the input', async () => {
    // One at a time: started together, the later refusals would reject before anything awaits them.
    const attempts = [
      () => resolveConnections({ 'nifi-password-stdin': true, 'airflow-password-stdin': true }, {}, directory, () => Readable.from(['a\n'])),
      () => resolveConnections({ 'nifi-password-stdin': true, 'nifi-password': 'flag' }, {}, directory, () => Readable.from(['a\n'])),
      () => resolveConnections({ 'nifi-password-stdin': true }, {}, directory, () => Readable.from(['leaked-line-one\nleaked-line-two\n'])),
      () => resolveConnections({ 'nifi-password-stdin': true }, {}, directory, () => Readable.from([''])),
      () => resolveConnections({ 'nifi-password-stdin': true }, {}, directory),
    ];
    for (const attempt of attempts) {
      const error = (await attempt().catch((caught: unknown) => caught)) as Error;
      expect(error.name).toBe('UsageError');
      expect(error.message).not.toContain('leaked-line');
    }
  });
});

describe('credentials over plain http (issue 14, finding 7)', () => {
  it('are refused for a host other than this machine unless --allow-insecure-auth or FLOWS_ALLOW_INSECURE_AUTH says so', async () => {
    const env = { NIFI_URL: 'http://nifi.internal:8080/nifi-api', NIFI_USERNAME: 'ci', NIFI_PASSWORD: 'hunter2', AIRFLOW_URL: 'http://airflow.internal:8080', AIRFLOW_USERNAME: 'ci', AIRFLOW_PASSWORD: 'hunter2' };
    // A folder of its own: no flows.config.yaml (the one above names a CA file that doesn't exist).
    const elsewhere = await mkdtemp(join(tmpdir(), 'flows-insecure-'));
    const refused = await resolveConnections({}, env, elsewhere);
    await expect(connectNifi({ ...refused.nifi, url: refused.nifi.url! }, elsewhere)).rejects.toMatchObject({ code: 'INSECURE_AUTH' });
    await expect(connectAirflow(refused.airflow, elsewhere)).rejects.toMatchObject({ code: 'INSECURE_AUTH' });
    for (const allowed of [await resolveConnections({ 'allow-insecure-auth': true }, env, elsewhere), await resolveConnections({}, { ...env, FLOWS_ALLOW_INSECURE_AUTH: '1' }, elsewhere)]) {
      const nifi = await connectNifi({ ...allowed.nifi, url: allowed.nifi.url! }, elsewhere);
      const airflow = await connectAirflow(allowed.airflow, elsewhere);
      expect(nifi.baseUrl).toBe('http://nifi.internal:8080/nifi-api');
      await nifi.close();
      await airflow?.close();
    }
    await rm(elsewhere, { recursive: true, force: true });
  });
});
