// Runs flow test cases against a real NiFi, each in its own temporary copy of the flow: compiled by the
// flow compiler (same processors, properties and services as production), uploaded as a new group with
// its own parameter context, services enabled, everything fed by a connection started (sources such as
// a ListenHTTP stay stopped), each input's GenerateFlowFile run once; then, once nothing moves any more,
// what waits at the captures is read back through NiFi's queue listing and content endpoints and checked.
// The copy is deleted afterwards whatever happened (also on SIGINT/SIGTERM through the CLI's handler);
// leftovers of runs that died are swept at the start of the next run. The deployment is never touched.
import { pollUntil } from '@dataplat/core';
import { DataplatError } from '@dataplat/core/errors';
import type { GroupTree, NifiClient } from '@dataplat/nifi';
import { flattenTree } from '@dataplat/nifi';
import { compileFlow, type TypeCatalog } from '../compile/compile-flow.ts';
import { registerHeldLock } from '../deploy/held-locks.ts';
import { resolveParameterAssets } from '../deploy/assets.ts';
import { boundContext } from '../deploy/inventory.ts';
import { uploadAssets } from '../deploy/shared-contexts.ts';
import { newTestRun, sweepLeftovers, testCopyNames, type SweptLeftovers, type TestRun } from './isolation.ts';
import { knownRelationships, type FlowTestCase } from './load-test-file.ts';
import { describeFlowFiles, matchBulletins, matchExpectation, type ExpectationFailure, type ObservedFlowFile } from './match-expectations.ts';
import { buildTestCopy, captureName, pointKey, type TestCopy } from './transform-flow.ts';

export interface FlowTestRunOptions {
  /** Where the copies are made (default root): the same parent as the deployment is fine, nothing of it is touched. */
  parentGroupId?: string | undefined;
  /** Where `fromEnv` parameters are read. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
  /** How many cases run at once, each in its own copy (default 1). */
  parallelism?: number | undefined;
  /** Leftovers of runs on other hosts are swept once this old (default 1 hour). */
  sweepAgeMs?: number | undefined;
  onProgress?: ((text: string) => void) | undefined;
  onCaseDone?: ((result: FlowTestCaseResult) => void) | undefined;
}

export interface FlowTestCaseResult {
  file: string;
  line: number | undefined;
  name: string;
  flow: string;
  /** passed; failed (an expectation failed, or it timed out); error (it could not run: NiFi refused the copy, say). */
  status: 'passed' | 'failed' | 'error';
  durationMs: number;
  failures: ExpectationFailure[];
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
  /** What came out where (flowfile counts at each expectation's point). */
  outputs: Array<{ at: string; count: number }>;
  /** What the case exercised of its flow: processors that processed a flowfile, relationships a flowfile went through (connected ones: NiFi counts no auto-terminated ones). */
  coverage: CaseCoverage;
  notes: string[];
}

/** Per flow, what all its cases together exercised, of what the flow has. */
export interface FlowCoverage {
  flow: string;
  cases: number;
  /** `stubbed`: replaced by a capture in the cases that reached them (their own work is not tested). */
  processors: { exercised: string[]; stubbed: string[]; missed: string[] };
  /**
   * Relationships as processor.relationship. `unobservable`: auto-terminated ones no case expected (NiFi counts nothing
   * there); `stubbed`: of processors stubbed in every case.
   */
  relationships: { exercised: string[]; missed: string[]; unobservable: string[]; stubbed: string[] };
}

export interface FlowTestRunResult {
  runId: string;
  results: FlowTestCaseResult[];
  coverage: FlowCoverage[];
  swept: SweptLeftovers;
  durationMs: number;
}

/** Settled = nothing moved for this long (two status reads in a row that agree). */
const settleIntervalMs = 400;

export async function runFlowTests(nifi: NifiClient, cases: readonly FlowTestCase[], options: FlowTestRunOptions = {}): Promise<FlowTestRunResult> {
  const started = Date.now();
  const run = newTestRun();
  const parentGroupId = options.parentGroupId ?? 'root';
  options.onProgress?.('sweeping leftovers of earlier runs');
  const swept = await sweepLeftovers(nifi, parentGroupId, run, options.sweepAgeMs);
  const catalog: TypeCatalog = { processorTypes: await nifi.extensions.processorTypes(), controllerServiceTypes: await nifi.extensions.controllerServiceTypes() };
  // Cases run in a bounded pool: each has its own copy, so they share nothing but NiFi's threads.
  const results: FlowTestCaseResult[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < cases.length; index = next++) {
      options.signal?.throwIfAborted();
      const testCase = cases[index]!;
      options.onProgress?.(`${testCase.name}: running`);
      const result = await runCase(nifi, testCase, index, { run, catalog, parentGroupId, env: options.env ?? process.env, signal: options.signal });
      results[index] = result;
      options.onCaseDone?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallelism ?? 1, cases.length)) }, worker));
  return { runId: run.runId, results, coverage: flowCoverage(cases, results), swept, durationMs: Date.now() - started };
}

/** Each tested flow's coverage over the cases that ran without error. */
export function flowCoverage(cases: readonly FlowTestCase[], results: readonly FlowTestCaseResult[]): FlowCoverage[] {
  const flows = [...new Map(cases.map((testCase) => [testCase.flow.name, testCase.flow])).values()];
  return flows.map((flow) => {
    const ran = results.filter((result) => result.flow === flow.name);
    const processorsSeen = new Set(ran.flatMap((result) => result.coverage.processors));
    const relationshipsSeen = new Set(ran.flatMap((result) => result.coverage.relationships.flatMap((entry) => (entry.includes('|') ? [] : [entry]))));
    const processors = Object.keys(flow.processors);
    const stubbedSeen = new Set(ran.flatMap((result) => result.coverage.stubbed).filter((processor) => !processorsSeen.has(processor)));
    const alwaysStubbed = new Set(processors.filter((processor) => ran.length > 0 && ran.every((result) => cases.find((testCase) => testCase.file === result.file && testCase.name === result.name)?.stubs[processor])));
    const relationships = processors.flatMap((processor) => knownRelationships(flow, processor).map((relationship) => `${processor}.${relationship}`));
    const autoTerminated = new Set(processors.flatMap((processor) => flow.processors[processor]!.autoTerminate.map((relationship) => `${processor}.${relationship}`)));
    const ofStub = (relationship: string) => alwaysStubbed.has(relationship.slice(0, relationship.lastIndexOf('.')));
    const missed = relationships.filter((relationship) => !relationshipsSeen.has(relationship) && !ofStub(relationship));
    return {
      flow: flow.name,
      cases: ran.length,
      processors: { exercised: processors.filter((processor) => processorsSeen.has(processor)), stubbed: processors.filter((processor) => stubbedSeen.has(processor)), missed: processors.filter((processor) => !processorsSeen.has(processor) && !stubbedSeen.has(processor)) },
      relationships: {
        exercised: relationships.filter((relationship) => relationshipsSeen.has(relationship)),
        missed: missed.filter((relationship) => !autoTerminated.has(relationship)),
        unobservable: missed.filter((relationship) => autoTerminated.has(relationship)),
        stubbed: relationships.filter((relationship) => ofStub(relationship) && !relationshipsSeen.has(relationship)),
      },
    };
  });
}

export interface CaseCoverage {
  processors: string[];
  /** Stubbed processors whose capture received flowfiles. */
  stubbed: string[];
  relationships: string[];
}

const noCoverage: CaseCoverage = { processors: [], stubbed: [], relationships: [] };

interface CaseContext {
  run: TestRun;
  catalog: TypeCatalog;
  parentGroupId: string;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal | undefined;
}

async function runCase(nifi: NifiClient, testCase: FlowTestCase, index: number, context: CaseContext): Promise<FlowTestCaseResult> {
  const started = Date.now();
  const base = { file: testCase.file, line: testCase.line, name: testCase.name, flow: testCase.flow.name };
  const names = testCopyNames(context.run, index, { flow: testCase.flow.name, case: testCase.name, file: testCase.file });
  const copy = buildTestCopy(testCase, names, context.env);
  const notes = copy.unsetParameters.length ? [`parameters without a value in the copy (their environment variable is not set): ${copy.unsetParameters.join(', ')}`] : [];
  const created: { groupId: string | undefined; contextId: string | undefined } = { groupId: undefined, contextId: undefined };
  const cleanUp = async () => {
    if (created.groupId) await nifi.processGroups.delete(created.groupId).catch(() => undefined);
    if (created.contextId) await nifi.parameterContexts.delete(created.contextId).catch(() => undefined);
    created.groupId = undefined;
    created.contextId = undefined;
  };
  // Registered like an apply lock: the CLI's signal handler runs it before the process exits.
  const unregister = registerHeldLock(cleanUp);
  try {
    if (copy.flow.inherits.length > 0) {
      throw new DataplatError({
        code: 'FLOWS_TEST_INHERITS',
        message: `Flow "${testCase.flow.name}" inherits the shared parameter contexts ${copy.flow.inherits.join(', ')}: a test copy must not bind them.`,
        hint: 'Give the case its flow with the inherited parameters made its own: defineFlowTest(flow, case, { parameterContexts }) (flows test does it from the flow files).',
      });
    }
    const compiled = compileFlow(copy.flow, context.catalog, { env: context.env });
    const contextDefinition = compiled.definition.parameterContexts?.[names.contextName];
    if (contextDefinition) contextDefinition.description = names.marker;
    const group = await nifi.processGroups.upload(context.parentGroupId, compiled.definition, { name: names.groupName });
    created.groupId = group.id;
    created.contextId = boundContext(group)?.id;
    // Secrets and asset parameters (each asset uploaded into the copy's own context, deleted with it) in one update.
    // Only the assets something in the copy refers to (a stubbed database needs no driver).
    const contents = JSON.stringify(compiled.definition.flowContents);
    const referenced = Object.fromEntries(Object.entries(copy.flow.parameters).filter(([name, parameter]) => parameter.asset && (contents.includes(`#{${name}}`) || contents.includes(`#{'${name}'}`))));
    const assets = await resolveParameterAssets(referenced, { env: context.env });
    if ((Object.keys(compiled.sensitiveParameters).length > 0 || assets.size > 0) && created.contextId) {
      const assetIds = await uploadAssets(nifi, created.contextId, { assets, set: [...assets.keys()] }, () => undefined);
      await nifi.parameterContexts.update(
        created.contextId,
        {
          set: [
            ...Object.entries(compiled.sensitiveParameters).map(([name, value]) => ({ name, value, sensitive: true })),
            ...[...assetIds].map(([name, id]) => ({ name, value: null, sensitive: false, assets: [{ id }] })),
          ],
        },
        { signal: context.signal },
      );
    }
    await nifi.processGroups.enableControllerServices(group.id, { signal: context.signal });
    const tree = await nifi.processGroups.tree(group.id);
    const live = describeCopy(tree, compiled.funnelNames);
    const toStart = tree.contents.processors.filter((processor) => copy.started.includes(processor.component?.name ?? ''));
    const childComponents = tree.children.flatMap((child) => flattenTree(child)).flatMap((child) => [...child.contents.processors, ...child.contents.inputPorts, ...child.contents.outputPorts]);
    const components = [...toStart, ...childComponents];
    if (components.length > 0) await nifi.processGroups.start(group.id, { components: components.map((entity) => ({ id: entity.id, revision: entity.revision })), servicesJustEnabled: true, signal: context.signal });
    const generatorIds = [...copy.generators, ...copy.triggered].map((name) => live.processorIds.get(name)!);
    for (const id of generatorIds) await nifi.processors.setRunState(id, 'RUN_ONCE', { signal: context.signal });

    // Everything started may still move data: the flow's processors and those of nested groups (a trigger's, say).
    const settled = await waitUntilSettled(nifi, group.id, live, generatorIds, new Set(components.map((component) => component.id)), testCase.timeoutMs, context.signal);
    if (!settled.ok) {
      return { ...base, status: 'failed', durationMs: Date.now() - started, failures: [{ at: '(timeout)', message: `Still moving after ${testCase.timeoutMs / 1000} s. ${settled.where}` }], outputs: [], coverage: noCoverage, notes };
    }

    const failures: ExpectationFailure[] = [];
    const outputs: FlowTestCaseResult['outputs'] = [];
    const read = new Set<string>();
    for (const expectation of testCase.expectations) {
      const capture = copy.captures.get(pointKey(expectation.point))!;
      const connections = live.connections.filter((connection) => connection.destinationName === capture);
      const observed = await readQueues(nifi, connections.map((connection) => connection.id));
      for (const connection of connections) read.add(connection.id);
      outputs.push({ at: expectation.at, count: observed.flowFiles.length });
      failures.push(...matchExpectation(expectation, observed.flowFiles, observed.truncated));
    }
    if (testCase.nothingElse) failures.push(...(await unexpectedOutputs(nifi, live, settled.queued, read, testCase, copy)));
    const bulletins = (await nifi.bulletins({ groupId: group.id })).map(({ bulletin }) => ({ level: bulletin?.level ?? '', source: bulletin?.sourceName ?? '', message: bulletin?.message ?? '' }));
    failures.push(...matchBulletins(testCase.bulletins.expect, testCase.bulletins.forbid, bulletins));
    const coverage = caseCoverage(flattenStatus(await nifi.processGroups.status(group.id)), live, testCase);
    return { ...base, status: failures.length ? 'failed' : 'passed', durationMs: Date.now() - started, failures, outputs, coverage, notes };
  } catch (error) {
    if (context.signal?.aborted) throw error;
    const known = DataplatError.isInstance(error);
    return {
      ...base,
      status: 'error',
      durationMs: Date.now() - started,
      failures: [],
      outputs: [],
      coverage: noCoverage,
      notes,
      error: { code: known ? error.code : 'UNEXPECTED', message: known ? error.message : String((error as Error).stack ?? error), ...(known && error.hint ? { hint: error.hint } : {}) },
    };
  } finally {
    await cleanUp();
    unregister();
  }
}

/** The flow's own processors that ran in the copy, and the relationships flowfiles went through. */
function caseCoverage(status: ReturnType<typeof flattenStatus>, live: LiveCopy, testCase: FlowTestCase): CaseCoverage {
  const own = (name: string) => name in testCase.flow.processors;
  // A processor counts once it processed a flowfile, or ran at all (a triggered source takes none).
  const ran = (id: string) => (status.processors.get(id)?.flowFilesIn ?? 0) > 0 || (status.processors.get(id)?.taskCount ?? 0) > 0;
  const processors = [...live.processorIds].filter(([name, id]) => own(name) && ran(id)).map(([name]) => name);
  const through = new Map(status.connections.map((connection) => [connection.id, connection.flowFilesIn]));
  const relationships = live.connections
    .filter((connection) => own(connection.sourceName) && (through.get(connection.id) ?? 0) > 0)
    // A connection of several relationships doesn't say which one a flowfile took: `store.failure|retry`.
    .map((connection) => `${connection.sourceName}.${connection.relationships.join('|')}`);
  const stubbed = Object.keys(testCase.stubs).filter((stub) => live.connections.some((connection) => connection.destinationName === captureName(stub) && (through.get(connection.id) ?? 0) > 0));
  return { processors: [...new Set(processors)].sort(), stubbed: stubbed.sort(), relationships: [...new Set(relationships)].sort() };
}

interface LiveConnection {
  id: string;
  /** `validate.invalid → explain`, `flag.failure → held`. */
  label: string;
  sourceName: string;
  relationships: string[];
  destinationId: string;
  /** The destination's name: a funnel's from the compiled flow (NiFi keeps none), a port's or processor's own. */
  destinationName: string | undefined;
}

interface LiveCopy {
  /** The copy's top-level processors by name. */
  processorIds: Map<string, string>;
  connections: LiveConnection[];
  /** Funnels with no connection out: data stays in the queues into them. */
  sinkFunnelIds: Set<string>;
}

function describeCopy(tree: GroupTree, funnelNames: Record<string, string>): LiveCopy {
  const groups = flattenTree(tree);
  const funnelName = new Map(groups.flatMap((group) => group.contents.funnels).map((funnel) => [funnel.id, funnelNames[funnel.component?.versionedComponentId ?? ''] ?? 'funnel']));
  const connectionEntities = groups.flatMap((group) => group.contents.connections);
  const withOutgoing = new Set(connectionEntities.map((connection) => connection.component?.source?.id));
  const name = (connectable: { id?: string; name?: string; type?: string } | undefined) => (connectable?.type === 'FUNNEL' ? (funnelName.get(connectable.id ?? '') ?? 'funnel') : (connectable?.name ?? '?'));
  return {
    // The flow's own level: where inputs, stubs and coverage are named (names repeat across nested groups).
    processorIds: new Map(tree.contents.processors.map((processor) => [processor.component?.name ?? '', processor.id])),
    connections: connectionEntities.map((connection) => {
      const component = connection.component!;
      const relationships = [...(component.selectedRelationships ?? [])].sort();
      const sourceName = name(component.source);
      return {
        id: connection.id,
        label: `${sourceName}${relationships.length ? `.${relationships.join('|')}` : ''} → ${name(component.destination)}`,
        sourceName,
        relationships,
        destinationId: component.destination?.id ?? '',
        destinationName: component.destination?.type === 'FUNNEL' ? funnelName.get(component.destination.id ?? '') : component.destination?.name,
      };
    }),
    sinkFunnelIds: new Set([...funnelName.keys()].filter((id) => !withOutgoing.has(id))),
  };
}

type Settled = { ok: true; queued: Map<string, number> } | { ok: false; where: string };

/**
 * Waits until the generators have run, no thread is active, and every flowfile waits where nothing takes it any
 * further (a funnel with no way out, or a processor that isn't running), unchanged over two reads.
 */
async function waitUntilSettled(nifi: NifiClient, groupId: string, live: LiveCopy, generatorIds: string[], running: Set<string>, timeoutMs: number, signal: AbortSignal | undefined): Promise<Settled> {
  let previous = '';
  let last: Map<string, number> = new Map();
  try {
    const queued = await pollUntil(
      async (pollSignal) => {
        const status = await nifi.processGroups.status(groupId, { signal: pollSignal });
        const snapshots = flattenStatus(status);
        last = new Map(snapshots.connections.map((connection) => [connection.id, connection.queued]));
        // Each input's generator and each triggered source has run its one task (a source may emit nothing).
        const generated = generatorIds.every((id) => (snapshots.processors.get(id)?.taskCount ?? 0) >= 1);
        const moving = live.connections.filter((connection) => (last.get(connection.id) ?? 0) > 0 && !live.sinkFunnelIds.has(connection.destinationId) && running.has(connection.destinationId));
        const signature = JSON.stringify([...last].sort());
        const settled = generated && snapshots.activeThreads === 0 && moving.length === 0 && signature === previous;
        previous = generated && snapshots.activeThreads === 0 && moving.length === 0 ? signature : '';
        return settled ? { done: true, value: last } : { done: false, progress: `${snapshots.activeThreads} active thread(s), ${moving.length} queue(s) still feeding a running processor` };
      },
      { description: 'the test copy to settle', timeoutMs, signal, initialIntervalMs: settleIntervalMs, maxIntervalMs: settleIntervalMs },
    );
    return { ok: true, queued };
  } catch (error) {
    if (signal?.aborted || !DataplatError.isInstance(error) || error.code !== 'TIMEOUT') throw error;
    const queuedAt = (connection: LiveConnection) => `${connection.label}: ${last.get(connection.id)} queued`;
    const holding = live.connections.filter((connection) => (last.get(connection.id) ?? 0) > 0);
    const stuck = holding.filter((connection) => !live.sinkFunnelIds.has(connection.destinationId) && running.has(connection.destinationId));
    const resting = holding.filter((connection) => !stuck.includes(connection));
    const where = stuck.length ? `Data stopped before running processors at: ${stuck.map(queuedAt).join('; ')}.` : 'No queue into a running processor holds data: a processor is still working (active threads), or an input was never generated.';
    return { ok: false, where: `${where}${resting.length ? ` Arrived so far: ${resting.map(queuedAt).join('; ')}.` : ''}` };
  }
}

interface StatusSnapshot {
  connectionStatusSnapshots?: Array<{ connectionStatusSnapshot?: { id?: string; flowFilesQueued?: number; flowFilesIn?: number } }>;
  processorStatusSnapshots?: Array<{ processorStatusSnapshot?: { id?: string; flowFilesIn?: number; flowFilesOut?: number; taskCount?: number; activeThreadCount?: number } }>;
  processGroupStatusSnapshots?: Array<{ processGroupStatusSnapshot?: StatusSnapshot }>;
  activeThreadCount?: number;
}

function flattenStatus(status: StatusSnapshot): { connections: Array<{ id: string; queued: number; flowFilesIn: number }>; processors: Map<string, { flowFilesIn: number; flowFilesOut: number; taskCount: number }>; activeThreads: number } {
  const connections = (status.connectionStatusSnapshots ?? []).map(({ connectionStatusSnapshot: snapshot }) => ({ id: snapshot?.id ?? '', queued: snapshot?.flowFilesQueued ?? 0, flowFilesIn: snapshot?.flowFilesIn ?? 0 }));
  const processors = new Map((status.processorStatusSnapshots ?? []).map(({ processorStatusSnapshot: snapshot }) => [snapshot?.id ?? '', { flowFilesIn: snapshot?.flowFilesIn ?? 0, flowFilesOut: snapshot?.flowFilesOut ?? 0, taskCount: snapshot?.taskCount ?? 0 }]));
  const nested = (status.processGroupStatusSnapshots ?? []).map(({ processGroupStatusSnapshot }) => flattenStatus(processGroupStatusSnapshot ?? {}));
  return {
    connections: [...connections, ...nested.flatMap((child) => child.connections)],
    processors: new Map([...processors, ...nested.flatMap((child) => [...child.processors])]),
    activeThreads: status.activeThreadCount ?? 0,
  };
}

/** The flowfiles waiting in these queues: attributes and content of each (NiFi lists at most 100 per queue). */
async function readQueues(nifi: NifiClient, connectionIds: readonly string[], limit = Number.POSITIVE_INFINITY): Promise<{ flowFiles: ObservedFlowFile[]; truncated: boolean }> {
  const flowFiles: ObservedFlowFile[] = [];
  let truncated = false;
  for (const connectionId of connectionIds) {
    const listing = await nifi.connections.listQueue(connectionId);
    truncated ||= listing.truncated;
    for (const entry of listing.flowFiles.slice(0, Math.max(0, limit - flowFiles.length))) {
      const [attributes, content] = await Promise.all([nifi.connections.queuedAttributes(connectionId, entry), nifi.connections.queuedContent(connectionId, entry)]);
      flowFiles.push({ uuid: entry.uuid, size: entry.size, attributes, content: Buffer.from(content).toString('utf8') });
    }
  }
  return { flowFiles, truncated };
}

/**
 * Flowfiles waiting where no expectation looks: a stub's capture or a funnel nothing expects, a queue into a stopped
 * processor. A queue that carries only relationships the case expects (a clone of what its capture holds) is fine.
 */
async function unexpectedOutputs(nifi: NifiClient, live: LiveCopy, queued: Map<string, number>, read: Set<string>, testCase: FlowTestCase, copy: TestCopy): Promise<ExpectationFailure[]> {
  const expected = new Set(testCase.expectations.map((expectation) => pointKey(expectation.point)));
  const failures: ExpectationFailure[] = [];
  for (const connection of live.connections) {
    const count = queued.get(connection.id) ?? 0;
    if (count === 0 || read.has(connection.id)) continue;
    if (connection.relationships.length > 0 && connection.relationships.every((relationship) => expected.has(`${connection.sourceName}.${relationship}`))) continue;
    const sample = await readQueues(nifi, [connection.id], 3);
    const stub = [...copy.captures].find(([key, funnel]) => funnel === connection.destinationName && key in testCase.stubs)?.[0];
    failures.push({
      at: connection.label,
      message: `${count} flowfile(s) came out at ${connection.label}${stub ? ` (the capture of stub ${stub})` : ''}, which no expectation names (nothingElse).`,
      diff: describeFlowFiles(sample.flowFiles),
    });
  }
  return failures;
}
