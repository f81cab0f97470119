// Which processors the code wants running, stopped or disabled, and which state they are in, keyed by
// their path in the flow (`receive`, `enrich/lookup` for a processor of child group `enrich`).
import type { GroupTree } from '@dataplat/nifi';
import type { GroupModel } from '../model/flow-schema.ts';
import { runStates } from '../model/nifi-vocabulary.ts';

export type RunState = (typeof runStates)[keyof typeof runStates];

export function wantedRunStates(group: GroupModel, prefix = ''): Map<string, RunState> {
  const states = new Map<string, RunState>();
  for (const [name, processor] of Object.entries(group.processors)) {
    states.set(`${prefix}${name}`, runStates[processor.state]);
  }
  for (const child of group.groups) for (const [path, state] of wantedRunStates(child, `${prefix}${child.name}/`)) states.set(path, state);
  return states;
}

export interface LiveRunState {
  id: string;
  state: string;
  entity: GroupTree['contents']['processors'][number];
}

export function liveRunStates(tree: GroupTree, prefix = ''): Map<string, LiveRunState> {
  const states = new Map<string, LiveRunState>();
  for (const processor of tree.contents.processors) states.set(`${prefix}${processor.component?.name}`, { id: processor.id!, state: processor.component?.state ?? '', entity: processor });
  for (const child of tree.children) for (const [path, state] of liveRunStates(child, `${prefix}${child.name}/`)) states.set(path, state);
  return states;
}
