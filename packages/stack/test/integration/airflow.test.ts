import { request } from 'undici';
import { describe, expect, inject, it } from 'vitest';

const endpoint = inject('stackEndpoints').airflow!;

async function accessToken(username: string, password: string) {
  const response = await request(`${endpoint.url}/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.body.json()) as { access_token?: string; detail?: string };
  return { status: response.statusCode, body };
}

async function getJson(path: string, token: string) {
  const response = await request(`${endpoint.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

describe('Airflow 3.3 with SimpleAuthManager', () => {
  it('runs the pinned Airflow version', async () => {
    const response = await request(`${endpoint.url}/api/v2/version`);
    expect(await response.body.json()).toMatchObject({ version: '3.3.2' });
  });

  it('issues a JWT to the admin and lists DAGs with it', async () => {
    const token = await accessToken(endpoint.admin.username, endpoint.admin.password);
    expect(token.status).toBe(201);
    const dags = await getJson('/api/v2/dags', token.body.access_token!);
    expect(dags.status).toBe(200);
    expect(dags.body).toHaveProperty('total_entries');
  });

  it('keeps authentication on: wrong passwords and missing tokens are refused', async () => {
    expect((await accessToken(endpoint.admin.username, 'not-the-password')).status).toBe(401);
    expect((await request(`${endpoint.url}/api/v2/dags`)).statusCode).toBe(401);
  });

  it('lets the viewer read but not change', async () => {
    const token = (await accessToken(endpoint.viewer.username, endpoint.viewer.password)).body.access_token!;
    expect((await getJson('/api/v2/dags', token)).status).toBe(200);
    const patch = await request(`${endpoint.url}/api/v2/dags/dataplat_smoke?update_mask=is_paused`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ is_paused: false }),
    });
    await patch.body.dump();
    expect(patch.statusCode).toBe(403);
  });

  it('parses the DAGs of examples/dags', async () => {
    const token = (await accessToken(endpoint.admin.username, endpoint.admin.password)).body.access_token!;
    // New DAG files are listed within the 5 s refresh interval the stack configures, then parsed.
    const deadline = Date.now() + 90_000;
    let dag: { status: number; body: Record<string, unknown> } | undefined;
    while (Date.now() < deadline) {
      dag = await getJson('/api/v2/dags/dataplat_smoke', token);
      if (dag.status === 200) break;
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 1000));
    }
    expect(dag?.status).toBe(200);
    expect(dag?.body).toMatchObject({ dag_id: 'dataplat_smoke', has_import_errors: false });
  });
});
