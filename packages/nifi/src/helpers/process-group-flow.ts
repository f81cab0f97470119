// Reading what is on the canvas: one group's contents, the whole tree below a group, and exact-name lookups.
import { callOptions, type CallOptions, type NifiContext, type NifiSchemas } from '../client/nifi-context.ts';
import { NifiError } from '../client/nifi-errors.ts';
import type { Entity } from './components.ts';

export interface FlowContents {
  processGroups: Entity<'processGroup'>[];
  processors: Entity<'processor'>[];
  connections: Entity<'connection'>[];
  inputPorts: Entity<'inputPort'>[];
  outputPorts: Entity<'outputPort'>[];
  funnels: Entity<'funnel'>[];
  labels: Entity<'label'>[];
  remoteProcessGroups: NifiSchemas['RemoteProcessGroupEntity'][];
}

export interface GroupFlow {
  id: string;
  name: string;
  parentGroupId: string | undefined;
  contents: FlowContents;
}

export interface GroupTree extends GroupFlow {
  /** The child groups, each with its own contents and children. */
  children: GroupTree[];
}

/** One group's direct contents, as full entities with revisions (`GET /flow/process-groups/{id}`). */
export async function getGroupFlow(context: NifiContext, groupId: string, options?: CallOptions): Promise<GroupFlow> {
  const answer = await context.api.get('/flow/process-groups/{id}', { ...callOptions(options), path: { id: groupId } });
  const groupFlow = answer.processGroupFlow!;
  const flow = groupFlow.flow ?? {};
  return {
    id: groupFlow.id!,
    name: groupFlow.breadcrumb?.breadcrumb?.name ?? '',
    parentGroupId: groupFlow.parentGroupId,
    contents: {
      processGroups: (flow.processGroups ?? []) as Entity<'processGroup'>[],
      processors: (flow.processors ?? []) as Entity<'processor'>[],
      connections: (flow.connections ?? []) as Entity<'connection'>[],
      inputPorts: (flow.inputPorts ?? []) as Entity<'inputPort'>[],
      outputPorts: (flow.outputPorts ?? []) as Entity<'outputPort'>[],
      funnels: (flow.funnels ?? []) as Entity<'funnel'>[],
      labels: (flow.labels ?? []) as Entity<'label'>[],
      remoteProcessGroups: flow.remoteProcessGroups ?? [],
    },
  };
}

/** The group and everything below it, recursively (one request per group, siblings fetched in parallel). */
export async function getGroupTree(context: NifiContext, groupId: string, options?: CallOptions): Promise<GroupTree> {
  const flow = await getGroupFlow(context, groupId, options);
  const children = await Promise.all(flow.contents.processGroups.map((child) => getGroupTree(context, child.id, options)));
  return { ...flow, children };
}

/** Every group of a tree, depth first, the root first. */
export function flattenTree(tree: GroupTree): GroupTree[] {
  return [tree, ...tree.children.flatMap(flattenTree)];
}

/**
 * Process groups whose name is exactly `name` (case-sensitive), directly under `parentGroupId`
 * (default: anywhere). Never partial matches.
 */
export async function findProcessGroupsByName(
  context: NifiContext,
  name: string,
  options: CallOptions & { parentGroupId?: string | undefined } = {},
): Promise<Entity<'processGroup'>[]> {
  if (options.parentGroupId) {
    const flow = await getGroupFlow(context, options.parentGroupId, options);
    return flow.contents.processGroups.filter((group) => group.component.name === name);
  }
  // The search endpoint matches substrings of many fields; keep only exact name matches.
  const answer = await context.api.get('/flow/search-results', { ...callOptions(options), query: { q: name } });
  const ids = (answer.searchResultsDTO?.processGroupResults ?? []).filter((result) => result.name === name).map((result) => result.id!);
  const groups = await Promise.all(ids.map(async (id) => (await context.api.get('/process-groups/{id}', { ...callOptions(options), path: { id } })) as Entity<'processGroup'>));
  return groups.filter((group) => group.component.name === name);
}

/** The one group named exactly `name` (under `parentGroupId` if given), undefined if none; NIFI_NOT_UNIQUE if several. */
export async function findProcessGroupByName(
  context: NifiContext,
  name: string,
  options: CallOptions & { parentGroupId?: string | undefined } = {},
): Promise<Entity<'processGroup'> | undefined> {
  const groups = await findProcessGroupsByName(context, name, options);
  if (groups.length > 1) {
    throw new NifiError({
      code: 'NIFI_NOT_UNIQUE',
      message: `${groups.length} process groups are named "${name}"${options.parentGroupId ? ` in group ${options.parentGroupId}` : ''}: ${groups.map((group) => group.id).join(', ')}.`,
      hint: 'Narrow the lookup with parentGroupId, or address the group by id.',
    });
  }
  return groups[0];
}
