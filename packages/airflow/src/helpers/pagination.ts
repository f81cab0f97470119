// Auto-pagination over every list endpoint of /api/v2. Airflow caps pages at 100 entries (whatever
// `limit` asks for), so the loop follows what was actually returned; endpoints with keyset cursors
// (DAG runs, task instances) are paged by cursor, which doesn't skip or repeat rows inserted meanwhile.
import type { PathsWith, TypedRequestOptions, TypedResponse } from '@dataplat/core';
import type { paths } from '../generated/airflow-api.ts';
import type { AirflowContext } from '../client/airflow-context.ts';

type GetPath = PathsWith<paths, 'get'>;

/** GET endpoints that answer `{ <items>: [...], total_entries }`. */
export type ListPath = {
  [Path in GetPath]: 'total_entries' extends keyof TypedResponse<paths, Path, 'get'> ? Path : never;
}[GetPath];

type ItemsOf<Response> = {
  [Key in Exclude<keyof Response, 'total_entries'>]: Response[Key] extends ReadonlyArray<infer Item> ? Item : never;
}[Exclude<keyof Response, 'total_entries'>];

/** The item type of a list endpoint, e.g. `ListItem<'/api/v2/dags'>` is a DAGResponse. */
export type ListItem<Path extends ListPath> = ItemsOf<TypedResponse<paths, Path, 'get'>>;

export type PaginateOptions<Path extends ListPath> = TypedRequestOptions<paths, Path, 'get'> & {
  /** Entries per request; Airflow caps it at 100 (`[api] maximum_page_limit`). */
  pageSize?: number | undefined;
};

const cursorPaths = new Set<string>(['/api/v2/dags/{dag_id}/dagRuns', '/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances']);

export async function* paginate<Path extends ListPath>(context: AirflowContext, path: Path, options?: PaginateOptions<Path>): AsyncGenerator<ListItem<Path>> {
  const { pageSize = 100, ...requestOptions } = (options ?? {}) as PaginateOptions<Path> & { query?: Record<string, unknown> };
  const baseQuery = requestOptions.query ?? {};
  const useCursor = cursorPaths.has(path);
  let offset = 0;
  let cursor: string | undefined = useCursor ? '' : undefined;
  for (;;) {
    const query = { ...baseQuery, limit: pageSize, ...(useCursor ? { cursor } : { offset }) };
    const get = context.api.get as (path: string, options: object) => Promise<Record<string, unknown>>;
    const page = await get(path, { ...requestOptions, query });
    const items = (Object.entries(page).find(([key, value]) => key !== 'total_entries' && Array.isArray(value))?.[1] ?? []) as ListItem<Path>[];
    yield* items;
    if (items.length === 0) return;
    if (useCursor) {
      const next = page['next_cursor'];
      if (typeof next !== 'string' || next === '') return;
      cursor = next;
    } else {
      offset += items.length;
      if (offset >= Number(page['total_entries'] ?? 0)) return;
    }
  }
}

/** Collects a whole list (use `paginate` to stream long ones). */
export async function listAll<Path extends ListPath>(context: AirflowContext, path: Path, options?: PaginateOptions<Path>): Promise<ListItem<Path>[]> {
  const items: ListItem<Path>[] = [];
  for await (const item of paginate(context, path, options)) items.push(item);
  return items;
}
