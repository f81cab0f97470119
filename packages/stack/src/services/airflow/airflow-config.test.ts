import { describe, expect, it } from 'vitest';
import { resolveStackConfig } from '../../config/stack-config.ts';
import { airflowComponentArguments, airflowComponents, airflowEnvironment, simpleAuthManagerPasswords } from './airflow-config.ts';

const config = resolveStackConfig({ ports: { airflow: 28082 }, dagsFolder: '/repo/examples/dags' }, {});
const secrets = { jwtSecret: 'jwt-secret', apiSecretKey: 'api-secret', fernetKey: 'fernet=' };
const env = airflowEnvironment(config, '/state/airflow/home', secrets);

describe('airflowEnvironment', () => {
  it('keeps auth on with SimpleAuthManager and the known users', () => {
    expect(env['AIRFLOW__CORE__AUTH_MANAGER']).toMatch(/SimpleAuthManager$/);
    expect(env['AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS']).toBe('admin:admin,viewer:viewer');
    expect(JSON.parse(simpleAuthManagerPasswords(config))).toEqual({ admin: 'dataplat-local-admin', viewer: 'dataplat-local-viewer' });
  });

  it('shares one JWT secret and points tasks at this API server', () => {
    expect(env['AIRFLOW__API_AUTH__JWT_SECRET']).toBe('jwt-secret');
    expect(env['AIRFLOW__API__HOST']).toBe('127.0.0.1');
    expect(env['AIRFLOW__API__PORT']).toBe('28082');
    expect(env['AIRFLOW__CORE__EXECUTION_API_SERVER_URL']).toBe('http://127.0.0.1:28082/execution/');
  });

  it('stores metadata in the stack PostgreSQL and reads DAGs from the configured folder', () => {
    expect(env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN']).toBe('postgresql+psycopg2://dataplat:dataplat-local-postgres@127.0.0.1:15432/airflow');
    expect(env['AIRFLOW__CORE__DAGS_FOLDER']).toBe('/repo/examples/dags');
    expect(env['AIRFLOW__CORE__LOAD_EXAMPLES']).toBe('False');
    // Sized for 20 concurrent trigger-and-waits on 2 cores (see airflow-config.ts).
    expect([env['AIRFLOW__CORE__PARALLELISM'], env['AIRFLOW__API__WORKERS'], env['AIRFLOW__WORKERS__EXECUTION_API_TIMEOUT']]).toEqual(['4', '2', '30']);
  });
});

describe('airflowComponentArguments (issue 14, finding 10)', () => {
  it('starts no log server on all interfaces: the scheduler and the triggerer skip serve-logs, nothing listens on 8793/8794', () => {
    expect(airflowComponents.map((component) => airflowComponentArguments(component))).toEqual([
      ['api-server'],
      ['scheduler', '--skip-serve-logs'],
      ['dag-processor'],
      ['triggerer', '--skip-serve-logs'],
    ]);
  });

  it('keeps every listener the stack does start on loopback', () => {
    expect(env['AIRFLOW__API__HOST']).toBe('127.0.0.1');
  });
});
