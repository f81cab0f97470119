// The shell exports of `dataplat-stack env` survive a real shell: quotes, $ and backticks come back as they were.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { StackEndpoints } from '../endpoints.ts';
import { formatEnvironment } from './format.ts';

const endpoints = {
  nifi: { apiUrl: 'http://127.0.0.1:18080/nifi-api', uiUrl: 'http://127.0.0.1:18080/nifi/' },
  airflow: { url: 'http://127.0.0.1:18082', admin: { username: 'admin', password: `it's "$HOME" \`x\`` }, viewer: { username: 'viewer', password: 'v' }, dagsFolder: '/dags' },
  postgres: { host: '127.0.0.1', port: 15432, user: 'dataplat', password: 'p', databases: { examples: 'examples' } },
} as unknown as StackEndpoints;

describe('formatEnvironment', () => {
  it('prints shell exports that a shell reads back exactly, quotes and $ included', () => {
    const exports = formatEnvironment(endpoints);
    expect(exports).toContain("export NIFI_URL='http://127.0.0.1:18080/nifi-api'\n");
    expect(exports).toContain("export PGPORT='15432'\n");
    expect(exports).toContain("export AIRFLOW_DAGS_FOLDER='/dags'\n");
    const shell = spawnSync('bash', ['-c', `${exports}printf '%s|%s|%s' "$AIRFLOW_PASSWORD" "$AIRFLOW_USERNAME" "$PGDATABASE"`], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: '/nowhere' } });
    expect(shell.stdout).toBe(`it's "$HOME" \`x\`|admin|examples`);
  });
});
