// What a running NiFi tells about itself: bulletins, component state, provenance, diagnostics, cluster.
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { runAsyncRequest, type AsyncRequestOptions } from './async-request.ts';

export type Bulletin = NifiSchemas['BulletinEntity'];

export interface BulletinQuery extends CallOptions {
  /** Only bulletins of this group (NiFi matches the id as a regular expression, so pass an exact id). */
  groupId?: string | undefined;
  sourceId?: string | undefined;
  /** Only bulletins with a larger id (for incremental polling). */
  after?: number | undefined;
  limit?: number | undefined;
}

export async function listBulletins(context: NifiContext, query: BulletinQuery = {}): Promise<Bulletin[]> {
  const answer = await context.api.get('/flow/bulletin-board', {
    ...callOptions(query),
    query: {
      ...(query.groupId ? { groupId: query.groupId } : {}),
      ...(query.sourceId ? { sourceId: query.sourceId } : {}),
      ...(query.after !== undefined ? { after: query.after } : {}),
      limit: query.limit ?? 1000,
    },
  });
  return answer.bulletinBoard?.bulletins ?? [];
}

export type ComponentState = NifiSchemas['ComponentStateDTO'];

/** The state a processor stores (e.g. a ListFile's last listing time), local and cluster scope. */
export async function getProcessorState(context: NifiContext, processorId: string, options?: CallOptions): Promise<ComponentState> {
  const answer = await context.api.get('/processors/{id}/state', { ...callOptions(options), path: { id: processorId } });
  return answer.componentState ?? {};
}

/** Clears a stopped processor's state (NIFI_CONFLICT while it runs). */
export async function clearProcessorState(context: NifiContext, processorId: string, options?: CallOptions): Promise<void> {
  await context.api.post('/processors/{id}/state/clear-requests', { ...callOptions(options), path: { id: processorId } });
}

export type ProvenanceEvent = NifiSchemas['ProvenanceEventDTO'];

export interface ProvenanceSearch extends AsyncRequestOptions {
  /** Events of this component (processor, port, …). */
  componentId?: string | undefined;
  flowFileUuid?: string | undefined;
  /** Any other indexed search term, e.g. `{ EventType: 'RECEIVE' }`. */
  searchTerms?: Record<string, string> | undefined;
  startDate?: Date | undefined;
  endDate?: Date | undefined;
  /** Default 1000. */
  maxResults?: number | undefined;
}

/** Searches provenance: submits the query, waits for it to finish, returns the events, deletes the query. */
export async function searchProvenance(context: NifiContext, search: ProvenanceSearch = {}): Promise<ProvenanceEvent[]> {
  const call = callOptions(search);
  const terms: Record<string, { value: string; inverse: boolean }> = {};
  if (search.componentId) terms['ProcessorID'] = { value: search.componentId, inverse: false };
  if (search.flowFileUuid) terms['FlowFileUUID'] = { value: search.flowFileUuid, inverse: false };
  for (const [name, value] of Object.entries(search.searchTerms ?? {})) terms[name] = { value, inverse: false };
  type Provenance = NifiSchemas['ProvenanceEntity'];
  const finished = await runAsyncRequest(
    {
      description: 'a provenance query',
      submit: () =>
        context.api.post('/provenance', {
          ...call,
          body: {
            provenance: {
              request: {
                maxResults: search.maxResults ?? 1000,
                summarize: false,
                incrementalResults: false,
                searchTerms: terms,
                ...(search.startDate ? { startDate: formatNifiDate(search.startDate) } : {}),
                ...(search.endDate ? { endDate: formatNifiDate(search.endDate) } : {}),
              },
            },
          },
        }),
      poll: (submitted: Provenance, signal) => context.api.get('/provenance/{id}', { ...call, signal, path: { id: submitted.provenance!.id! }, query: { summarize: false } }),
      remove: (submitted) => context.api.delete('/provenance/{id}', { ...call, path: { id: submitted.provenance!.id! } }),
      isComplete: (status) => status.provenance?.finished === true,
      failureOf: (status) => (status.provenance?.results?.errors ?? []).join('; ') || undefined,
      progressOf: (status) => `${status.provenance?.percentCompleted ?? 0}%`,
    },
    search,
  );
  return finished.provenance?.results?.provenanceEvents ?? [];
}

// NiFi parses provenance dates as "MM/dd/yyyy HH:mm:ss z" in UTC.
function formatNifiDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
}

export async function getSystemDiagnostics(context: NifiContext, options?: CallOptions): Promise<NifiSchemas['SystemDiagnosticsDTO']> {
  const answer = await context.api.get('/system-diagnostics', callOptions(options));
  return answer.systemDiagnostics ?? {};
}

/** Cluster summary; a standalone NiFi reports `clustered: false`. */
export async function getClusterSummary(context: NifiContext, options?: CallOptions): Promise<NifiSchemas['ClusterSummaryDTO']> {
  const answer = await context.api.get('/flow/cluster/summary', callOptions(options));
  return answer.clusterSummary ?? {};
}

export async function getAbout(context: NifiContext, options?: CallOptions): Promise<NifiSchemas['AboutDTO']> {
  const answer = await context.api.get('/flow/about', callOptions(options));
  return answer.about ?? {};
}
