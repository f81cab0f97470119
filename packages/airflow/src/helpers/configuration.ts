// Variables, connections and pools. Connection passwords are write-only here: they are scrubbed from
// any error a request raises (Airflow's 422 answers echo the input), and Airflow redacts them on read.
import { callOptions, type AirflowContext, type AirflowSchemas, type CallOptions } from '../client/airflow-context.ts';
import { HttpError } from '@dataplat/core';
import { listAll } from './pagination.ts';

/** Whether a read succeeded (true) or answered 404 (false); other failures are rethrown. */
async function found(read: Promise<unknown>): Promise<boolean> {
  try {
    await read;
    return true;
  } catch (error) {
    if (HttpError.isInstance(error) && error.status === 404) return false;
    throw error;
  }
}

export type Variable = AirflowSchemas['VariableResponse'];
export type Connection = AirflowSchemas['ConnectionResponse'];
export type ConnectionFields = AirflowSchemas['ConnectionBody'];
export type Pool = AirflowSchemas['PoolResponse'];

export function getVariable(context: AirflowContext, key: string, options?: CallOptions): Promise<Variable> {
  return context.api.get('/api/v2/variables/{variable_key}', { ...callOptions(options), path: { variable_key: key } });
}

/** Creates or replaces a variable. Non-string values are stored as JSON. */
export async function setVariable(context: AirflowContext, key: string, value: unknown, options: CallOptions & { description?: string } = {}): Promise<Variable> {
  const body = { key, value: typeof value === 'string' ? value : JSON.stringify(value), ...(options.description !== undefined ? { description: options.description } : {}) };
  const exists = await found(getVariable(context, key, options));
  return exists
    ? context.api.patch('/api/v2/variables/{variable_key}', { ...callOptions(options), path: { variable_key: key }, body })
    : context.api.post('/api/v2/variables', { ...callOptions(options), body });
}

export async function deleteVariable(context: AirflowContext, key: string, options?: CallOptions): Promise<void> {
  await context.api.delete('/api/v2/variables/{variable_key}', { ...callOptions(options), path: { variable_key: key } });
}

export function listVariables(context: AirflowContext, options?: CallOptions): Promise<Variable[]> {
  return listAll(context, '/api/v2/variables', callOptions(options));
}

export function getConnection(context: AirflowContext, connectionId: string, options?: CallOptions): Promise<Connection> {
  return context.api.get('/api/v2/connections/{connection_id}', { ...callOptions(options), path: { connection_id: connectionId } });
}

/** Creates or replaces a connection (the password never appears in an error). */
export async function setConnection(context: AirflowContext, connection: ConnectionFields, options: CallOptions = {}): Promise<Connection> {
  const secrets = [connection.password, connection.extra].filter((value): value is string => typeof value === 'string' && value.length > 0);
  const exists = await found(getConnection(context, connection.connection_id, options));
  return exists
    ? context.api.patch('/api/v2/connections/{connection_id}', { ...callOptions(options), secrets, path: { connection_id: connection.connection_id }, body: connection })
    : context.api.post('/api/v2/connections', { ...callOptions(options), secrets, body: connection });
}

export async function deleteConnection(context: AirflowContext, connectionId: string, options?: CallOptions): Promise<void> {
  await context.api.delete('/api/v2/connections/{connection_id}', { ...callOptions(options), path: { connection_id: connectionId } });
}

export function listConnections(context: AirflowContext, options?: CallOptions): Promise<Connection[]> {
  return listAll(context, '/api/v2/connections', callOptions(options));
}

export function getPool(context: AirflowContext, name: string, options?: CallOptions): Promise<Pool> {
  return context.api.get('/api/v2/pools/{pool_name}', { ...callOptions(options), path: { pool_name: name } });
}

/** Creates a pool or changes its slots/description (fields not given keep their values). */
export async function setPool(context: AirflowContext, pool: AirflowSchemas['PoolBody'], options: CallOptions = {}): Promise<Pool> {
  const existing = await getPool(context, pool.name, options).catch((error: unknown) => {
    if (HttpError.isInstance(error) && error.status === 404) return undefined;
    throw error;
  });
  if (!existing) return context.api.post('/api/v2/pools', { ...callOptions(options), body: pool });
  // Airflow 3.3 validates a pool PATCH as a whole pool (include_deferred is required even with an
  // update mask), so send the merged result.
  return context.api.patch('/api/v2/pools/{pool_name}', {
    ...callOptions(options),
    path: { pool_name: pool.name },
    body: {
      pool: pool.name,
      slots: pool.slots,
      description: pool.description !== undefined ? pool.description : (existing.description ?? null),
      include_deferred: pool.include_deferred ?? existing.include_deferred,
    },
  });
}

export async function deletePool(context: AirflowContext, name: string, options?: CallOptions): Promise<void> {
  await context.api.delete('/api/v2/pools/{pool_name}', { ...callOptions(options), path: { pool_name: name } });
}

export function listPools(context: AirflowContext, options?: CallOptions): Promise<Pool[]> {
  return listAll(context, '/api/v2/pools', callOptions(options));
}
