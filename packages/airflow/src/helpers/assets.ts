// Asset events by URI: the API only takes numeric asset ids, so the URI (or name) is resolved first,
// with an exact match — `uri_pattern` is an SQL LIKE pattern where `_` and `%` match anything.
import { callOptions, type AirflowContext, type AirflowSchemas, type CallOptions } from '../client/airflow-context.ts';
import { AirflowError } from '../client/airflow-errors.ts';
import { listAll, paginate } from './pagination.ts';

export type Asset = AirflowSchemas['AssetResponse'];
export type AssetEvent = AirflowSchemas['AssetEventResponse'];

export type AssetReference = { uri: string } | { name: string } | { id: number };

/** The asset with exactly this URI or name (assets exist once a DAG declaring them was parsed). */
export async function resolveAsset(context: AirflowContext, reference: AssetReference, options?: CallOptions): Promise<Asset> {
  if ('id' in reference) {
    return context.api.get('/api/v2/assets/{asset_id}', { ...callOptions(options), path: { asset_id: reference.id } });
  }
  const query = 'uri' in reference ? { uri_pattern: reference.uri } : { name_pattern: reference.name };
  const candidates = await listAll(context, '/api/v2/assets', { ...callOptions(options), query: { ...query, only_active: true } });
  const matches = candidates.filter((asset) => ('uri' in reference ? asset.uri === reference.uri : asset.name === reference.name));
  const described = 'uri' in reference ? `URI "${reference.uri}"` : `name "${reference.name}"`;
  if (matches.length === 0) {
    throw new AirflowError({
      code: 'AIRFLOW_ASSET_NOT_FOUND',
      message: `No active asset has the ${described}.`,
      hint: 'Assets are registered when a DAG that declares them is parsed: check the URI and that the DAG file loaded (importErrors).',
    });
  }
  if (matches.length > 1) {
    throw new AirflowError({ code: 'AIRFLOW_ASSET_NOT_FOUND', message: `${matches.length} assets have the ${described}: ids ${matches.map((asset) => asset.id).join(', ')}.`, hint: 'Refer to it by id.' });
  }
  return matches[0]!;
}

export interface EmitOptions extends CallOptions {
  extra?: Record<string, unknown> | undefined;
  partitionKey?: string | undefined;
}

/** Records an asset event (as if a task had updated the asset); asset-scheduled DAGs get queued. Needs OP or ADMIN. */
export async function emitAssetEvent(context: AirflowContext, reference: AssetReference, options: EmitOptions = {}): Promise<AssetEvent> {
  const asset = await resolveAsset(context, reference, options);
  return context.api.post('/api/v2/assets/events', {
    ...callOptions(options),
    body: {
      asset_id: asset.id,
      ...(options.extra !== undefined ? { extra: options.extra } : {}),
      ...(options.partitionKey !== undefined ? { partition_key: options.partitionKey } : {}),
    },
  });
}

/** Events of one asset, newest first. */
export function assetEvents(context: AirflowContext, asset: Asset, options?: CallOptions): AsyncGenerator<AssetEvent> {
  return paginate(context, '/api/v2/assets/events', { ...callOptions(options), query: { asset_id: asset.id, order_by: ['-timestamp'] } });
}
