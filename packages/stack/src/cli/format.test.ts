// The shell exports of `dataplat-stack env` survive a real shell: quotes, $ and backticks come back as they were.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { StackEndpoints } from '../endpoints.ts';
import { formatEnvironment, formatEvent } from './format.ts';

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

describe('formatEnvironment on the cluster profile', () => {
  it('exports every NiFi node, the Trino coordinator and ZooKeeper', () => {
    const cluster = {
      nifiCluster: { nodes: [1, 2, 3].map((n) => ({ node: `node-${n}`, apiUrl: `http://127.0.0.1:1810${n}/nifi-api`, uiUrl: '' })), zookeeper: { connectString: '127.0.0.1:18181', rootNode: '/x' } },
      trinoCluster: { url: 'http://127.0.0.1:18085', user: 'dataplat', spooling: { bucket: 'b' }, coordinator: { nodeId: 'c' }, workers: [] },
      zookeeper: { connectString: '127.0.0.1:18181' },
    } as StackEndpoints;
    const exports = formatEnvironment(cluster);
    expect(exports).toContain("export NIFI_CLUSTER_URLS='http://127.0.0.1:18101/nifi-api,http://127.0.0.1:18102/nifi-api,http://127.0.0.1:18103/nifi-api'\n");
    expect(exports).toContain("export TRINO_CLUSTER_URL='http://127.0.0.1:18085'\n");
    expect(exports).toContain("export ZOOKEEPER_CONNECT_STRING='127.0.0.1:18181'\n");
  });
});

describe('formatEvent', () => {
  it('says when only some nodes of a clustered service start', () => {
    expect(formatEvent({ type: 'service-start', service: 'nifi-cluster' }, false)).toBe('nifi-cluster starting');
    expect(formatEvent({ type: 'service-start', service: 'nifi-cluster', processes: ['node-2'] }, false)).toBe('nifi-cluster starting node-2 (the other nodes keep running)');
  });
});
