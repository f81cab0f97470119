import { join } from 'node:path';
import { nifiClusterNodePorts, type StackConfig } from './config/stack-config.ts';
import { nifiClusterZookeeperRootNode } from './services/nifi/nifi-cluster-config.ts';
import { trinoClusterNodeIds } from './services/trino/trino-cluster-config.ts';
import { zookeeperConnectString } from './services/zookeeper/zookeeper-config.ts';
import { stackDatabases } from './services/postgres/postgres-service.ts';
import { s3Region, stackBuckets } from './services/s3/s3-service.ts';
import { trinoCaFile } from './services/trino/trino-service.ts';

export interface PostgresEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  databases: typeof stackDatabases;
}

export interface NifiHttpEndpoint {
  /** Base URL of the REST API, e.g. http://127.0.0.1:18080/nifi-api */
  apiUrl: string;
  uiUrl: string;
}

export interface NifiHttpsEndpoint extends NifiHttpEndpoint {
  username: string;
  password: string;
  /** PEM file of the certificate authority that signed NiFi's server certificate: trust it, don't disable TLS checks. */
  caCertificateFile: string;
}

export interface TrinoEndpoint {
  url: string;
  user: string;
  /** Trino spools large results to S3 storage and hands clients segment URLs (the spooling protocol). */
  spooling: { bucket: string };
  /** The same Trino over HTTPS, where clients authenticate with the password or a JWT signed with jwtKeyFile's HMAC key. */
  https: { url: string; username: string; password: string; caCertificateFile: string; jwtKeyFile: string };
}

export interface S3Endpoint {
  /** Path-style S3 endpoint, e.g. http://127.0.0.1:18083 (region us-east-1). */
  endpoint: string;
  region: string;
  accessKey: string;
  secretKey: string;
  buckets: typeof stackBuckets;
}

export interface AirflowEndpoint {
  url: string;
  admin: { username: string; password: string };
  viewer: { username: string; password: string };
  dagsFolder: string;
}

/** Cluster profile: ZooKeeper, where the NiFi cluster elects its coordinator and primary node. */
export interface ZookeeperEndpoint {
  /** host:port, e.g. 127.0.0.1:18181 */
  connectString: string;
}

/** Cluster profile: the NiFi nodes over plain HTTP (anonymous); any connected node serves the whole cluster's API. */
export interface NifiClusterEndpoint {
  nodes: Array<{ node: string; apiUrl: string; uiUrl: string }>;
  /** ZooKeeper's connect string and the cluster's root node in it. */
  zookeeper: { connectString: string; rootNode: string };
}

/** Cluster profile: the Trino coordinator (clients connect here) and its one worker. */
export interface TrinoClusterEndpoint {
  url: string;
  user: string;
  spooling: { bucket: string };
  coordinator: { nodeId: string };
  workers: Array<{ nodeId: string; url: string }>;
}

/** How to reach each service of a running stack (written to <stateDir>/endpoints.json, mode 0600). */
export interface StackEndpoints {
  zookeeper?: ZookeeperEndpoint;
  nifiCluster?: NifiClusterEndpoint;
  trinoCluster?: TrinoClusterEndpoint;
  postgres?: PostgresEndpoint;
  nifi?: NifiHttpEndpoint;
  nifiHttps?: NifiHttpsEndpoint;
  trino?: TrinoEndpoint;
  airflow?: AirflowEndpoint;
  s3?: S3Endpoint;
}

export function describeEndpoints(config: StackConfig): StackEndpoints {
  const { ports, credentials, services } = config;
  const endpoints: StackEndpoints = {};
  if (services.includes('postgres')) {
    endpoints.postgres = { host: '127.0.0.1', port: ports.postgres, ...credentials.postgres, databases: stackDatabases };
  }
  if (services.includes('nifi')) {
    endpoints.nifi = { apiUrl: `http://127.0.0.1:${ports.nifi}/nifi-api`, uiUrl: `http://127.0.0.1:${ports.nifi}/nifi/` };
  }
  if (services.includes('nifi-https')) {
    // The certificate names localhost and 127.0.0.1; Jetty refuses an SNI host name it doesn't list (400 Invalid SNI).
    endpoints.nifiHttps = {
      apiUrl: `https://localhost:${ports.nifiHttps}/nifi-api`,
      uiUrl: `https://localhost:${ports.nifiHttps}/nifi/`,
      ...credentials.nifi,
      caCertificateFile: join(config.stateDir, 'nifi-https', 'tls', 'ca.pem'),
    };
  }
  if (services.includes('trino')) {
    endpoints.trino = {
      url: `http://127.0.0.1:${ports.trino}`,
      user: 'dataplat',
      spooling: { bucket: stackBuckets.trinoSpooling },
      https: {
        url: `https://localhost:${ports.trinoHttps}`,
        ...credentials.trino,
        caCertificateFile: trinoCaFile(config),
        jwtKeyFile: join(config.stateDir, 'trino', 'etc', 'jwt-hmac.key'),
      },
    };
  }
  if (services.includes('s3')) {
    endpoints.s3 = { endpoint: `http://127.0.0.1:${ports.s3}`, region: s3Region, ...credentials.s3, buckets: stackBuckets };
  }
  if (services.includes('airflow')) {
    endpoints.airflow = { url: `http://127.0.0.1:${ports.airflow}`, ...credentials.airflow, dagsFolder: config.dagsFolder };
  }
  if (services.includes('zookeeper')) endpoints.zookeeper = { connectString: zookeeperConnectString(config) };
  if (services.includes('nifi-cluster')) {
    endpoints.nifiCluster = {
      nodes: nifiClusterNodePorts(ports).map(({ node, web }) => ({ node, apiUrl: `http://127.0.0.1:${web}/nifi-api`, uiUrl: `http://127.0.0.1:${web}/nifi/` })),
      zookeeper: { connectString: zookeeperConnectString(config), rootNode: nifiClusterZookeeperRootNode },
    };
  }
  if (services.includes('trino-cluster')) {
    endpoints.trinoCluster = {
      url: `http://127.0.0.1:${ports.trinoCluster}`,
      user: 'dataplat',
      spooling: { bucket: stackBuckets.trinoSpooling },
      coordinator: { nodeId: trinoClusterNodeIds.coordinator },
      workers: [{ nodeId: trinoClusterNodeIds.worker, url: `http://127.0.0.1:${ports.trinoClusterWorker}` }],
    };
  }
  return endpoints;
}
