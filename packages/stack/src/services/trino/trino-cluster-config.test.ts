// The generated configuration of the cluster profile's Trino: a coordinator that schedules nothing on itself,
// one worker, shared catalogs and spooling secret, per-node query memory that fits each heap.
import { describe, expect, it } from 'vitest';
import { resolveStackConfig } from '../../config/stack-config.ts';
import { renderTrinoClusterNode, trinoClusterMemory, type TrinoClusterRole } from './trino-cluster-config.ts';
import { renderTrinoConfig } from './trino-config.ts';

const config = resolveStackConfig({ profile: 'cluster', stateDir: '/state' }, {});
const secrets = { spoolingSharedSecretKey: 'c3Bvb2w=', internalSharedSecret: 'aW50ZXJuYWw=' };
const render = (role: TrinoClusterRole) =>
  renderTrinoClusterNode(config, role, { installDir: '/cache/trino/476', etcDir: `/state/trino-cluster/${role}/etc`, dataDir: `/state/trino-cluster/${role}/data`, icebergWarehouseDir: '/state/trino/iceberg-warehouse' }, secrets);
const coordinator = render('coordinator');
const worker = render('worker');

function parse(properties: string | undefined): Record<string, string> {
  return Object.fromEntries((properties ?? '').trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

function megabytes(size: string): number {
  const match = /^(\d+)(MB|GB|G|M)$/.exec(size);
  if (!match) throw new Error(`unexpected size ${size}`);
  return Number(match[1]) * (match[2]!.startsWith('G') ? 1024 : 1);
}

describe('renderTrinoClusterNode', () => {
  it('makes a coordinator that runs no tasks itself and a worker that finds it', () => {
    expect(parse(coordinator['config.properties'])).toMatchObject({
      coordinator: 'true',
      'node-scheduler.include-coordinator': 'false',
      'http-server.http.port': String(config.ports.trinoCluster),
      'discovery.uri': `http://127.0.0.1:${config.ports.trinoCluster}`,
    });
    expect(parse(worker['config.properties'])).toMatchObject({
      coordinator: 'false',
      'http-server.http.port': String(config.ports.trinoClusterWorker),
      'discovery.uri': `http://127.0.0.1:${config.ports.trinoCluster}`,
    });
    expect(config.ports.trinoCluster).not.toBe(config.ports.trino);
  });

  it('has the coordinator fail a query 10 s after its requests to a dead worker started failing (not Trino\'s minute)', () => {
    expect(parse(coordinator['config.properties'])).toMatchObject({ 'query.remote-task.max-error-duration': '10s', 'exchange.max-error-duration': '10s' });
    expect(parse(worker['config.properties'])['query.remote-task.max-error-duration']).toBeUndefined();
  });

  it('gives each node its own id and data folder, on loopback', () => {
    const nodes = [parse(coordinator['node.properties']), parse(worker['node.properties'])];
    expect(new Set(nodes.map((node) => node['node.id'])).size).toBe(2);
    expect(new Set(nodes.map((node) => node['node.data-dir'])).size).toBe(2);
    for (const node of nodes) expect(node['node.bind-ip']).toBe('127.0.0.1');
  });

  it('has the single Trino catalogs and spooling, with one spooling secret for both nodes', () => {
    const single = renderTrinoConfig(config, { installDir: '/cache/trino/476', etcDir: '/state/trino/etc', keystore: '/k', dataDir: '/d', icebergWarehouseDir: '/state/trino/iceberg-warehouse' }, { ...secrets, keystorePassword: 'k', jwtHmacKey: 'aA==', passwordSalt: '00' });
    const catalogs = (files: Record<string, string>) => Object.keys(files).filter((file) => file.startsWith('catalog/')).sort();
    expect(catalogs(coordinator)).toEqual(catalogs(single));
    expect(worker['catalog/iceberg.properties']).toBe(single['catalog/iceberg.properties']);
    expect(worker['spooling-manager.properties']).toBe(single['spooling-manager.properties']);
    for (const files of [coordinator, worker]) {
      expect(parse(files['config.properties'])).toMatchObject({ 'protocol.spooling.enabled': 'true', 'protocol.spooling.shared-secret-key': secrets.spoolingSharedSecretKey, 'internal-communication.shared-secret': secrets.internalSharedSecret });
    }
  });

  it('keeps per-node query memory plus heap headroom below each node heap', () => {
    for (const [role, files] of [['coordinator', coordinator], ['worker', worker]] as const) {
      const properties = parse(files['config.properties']);
      const used = megabytes(properties['query.max-memory-per-node']!) + megabytes(properties['memory.heap-headroom-per-node']!);
      expect(used).toBeLessThan(megabytes(trinoClusterMemory[role].heap));
    }
  });
});
