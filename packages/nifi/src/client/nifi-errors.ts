// NiFi's own error codes, and the mapping of NiFi's plain-text error answers onto them.
import { DataplatError, type ErrorClassification, type HttpMethod } from '@dataplat/core';
import type { InvalidComponent } from '../helpers/validation.ts';

/**
 * Codes specific to NiFi (on top of the transport's NOT_FOUND, UNAUTHORIZED, TIMEOUT, NETWORK, …):
 * - NIFI_STALE_REVISION: 400 — the component changed since its revision was read (a concurrent edit).
 * - NIFI_CONFLICT: 409 — NiFi refused because of a component's state (running, queued data, enabled service).
 * - NIFI_LOGIN_FAILED / NIFI_LOGIN_UNAVAILABLE: username/password refused, or NiFi issues no tokens (plain HTTP).
 * - NIFI_NOT_UNIQUE: an exact-name lookup matched more than one component.
 * - NIFI_ASYNC_REQUEST_FAILED: a replace, update, drop or provenance request finished with a failure.
 * - NIFI_INVALID_COMPONENT: a processor or group was asked to run but is invalid (NiFi would silently leave it stopped);
 *   `invalidComponents` names each with NiFi's reasons.
 * - NIFI_SERVICES_NOT_ENABLED: controller services stayed invalid or did not reach the wanted state.
 * - NIFI_GROUP_CONNECTED: a group to delete has connections from outside it.
 * - NIFI_RUN_FAILED: a run-once did not drain in time.
 * - NIFI_UNKNOWN_COMPONENT: an id given to a helper names no component where it must be (e.g. a run-once source outside the group).
 * - NIFI_NODE_DISCONNECTED: a cluster node is not connected, and NiFi refused because of it: the node you called is itself
 *   disconnected (400, pass `disconnectedNodeAcknowledged` to change its flow anyway), or a component delete while some
 *   node is not connected (409, reconnect or remove the node first). `detail.nodes` names the node(s) (address:port or id).
 * - NIFI_CLUSTER_UNSTABLE: the cluster could not serve the request now — a node is connecting, no coordinator is elected
 *   yet, the flow is still loading, or a node dropped out between NiFi's checks. Retryable; where NiFi's answer proves it
 *   did nothing, the transport repeats the request itself (any method).
 * - NIFI_NOT_CLUSTERED: a cluster operation on a standalone NiFi.
 * - NIFI_NODE_STATE: a node operation the node's state forbids (offload or remove a connected node, disconnect the last
 *   connected one); nothing was changed.
 * - NIFI_ASSET_IN_USE: 409 — a parameter context asset to delete is still referenced by parameters; `detail.parameters`
 *   names them. (An asset upload while a node is not connected is NIFI_NODE_DISCONNECTED.)
 */
export type NifiErrorCode =
  | 'NIFI_STALE_REVISION'
  | 'NIFI_CONFLICT'
  | 'NIFI_LOGIN_FAILED'
  | 'NIFI_LOGIN_UNAVAILABLE'
  | 'NIFI_NOT_UNIQUE'
  | 'NIFI_ASYNC_REQUEST_FAILED'
  | 'NIFI_INVALID_COMPONENT'
  | 'NIFI_SERVICES_NOT_ENABLED'
  | 'NIFI_GROUP_CONNECTED'
  | 'NIFI_RUN_FAILED'
  | 'NIFI_UNKNOWN_COMPONENT'
  | 'NIFI_NODE_DISCONNECTED'
  | 'NIFI_CLUSTER_UNSTABLE'
  | 'NIFI_NOT_CLUSTERED'
  | 'NIFI_NODE_STATE'
  | 'NIFI_ASSET_IN_USE';

const nifiErrorBrand = Symbol.for('dataplat.nifi-error');

/** Errors raised by the NiFi helpers themselves (HTTP failures are core's HttpError/RequestFailedError). */
export class NifiError extends DataplatError {
  readonly [nifiErrorBrand] = true;
  override name = 'NifiError';
  declare readonly code: NifiErrorCode;
  /** For NIFI_INVALID_COMPONENT: each component NiFi won't run, with its validation errors. */
  readonly invalidComponents: InvalidComponent[] | undefined;
  /** For the cluster codes: the node(s) concerned, as address:port (or NiFi's node id when that is all NiFi said). */
  readonly nodes: string[] | undefined;

  constructor(options: {
    code: NifiErrorCode;
    message: string;
    hint?: string | undefined;
    cause?: unknown;
    invalidComponents?: InvalidComponent[] | undefined;
    nodes?: string[] | undefined;
  }) {
    super(options);
    this.invalidComponents = options.invalidComponents;
    this.nodes = options.nodes;
  }

  static override isInstance(error: unknown): error is NifiError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[nifiErrorBrand] === true;
  }
}

/** How errors name the node a client calls: host:port of its base URL. */
export function calledNodeOf(baseUrl: string): string {
  const url = new URL(baseUrl);
  return url.port ? `${url.hostname}:${url.port}` : url.host;
}

/** What the classifier knows besides the answer: the node the client talks to (NiFi's 400 for a disconnected node doesn't name it). */
export interface NifiClassificationContext {
  /** host:port of the client's base URL. */
  calledNode: string;
}

// NiFi's cluster answers (text/plain), from its request replicator and exception mappers (2.x).
const disconnectedCalledNode = /This node is disconnected from its configured cluster/i;
const deleteWithNodesNotConnected = /Cannot delete component because the following Nodes are not connected: \[(.*)\]/is;
/** An asset upload on a cluster with a node out (NiFi copies assets to every node; no acknowledgement overrides it). */
const assetUploadWithNodesNotConnected = /Cannot create an Asset because the following \d+ nodes are not currently connected: \[(.*)\]/is;
/** NiFi 2.3.0's words (sic: "references by"): "Unable to delete Asset [<id>] because it is currently references by Parameters [a, b]". */
const assetStillReferenced = /Unable to delete Asset \[([^\]]*)\] because it is currently referenc\w* by Parameters \[(.*)\]/is;
/** NiFi refused before doing anything and says (or means) "try again once the cluster settles". */
const refusedUntilStable = [
  /at least one node is connecting/i,
  /(is|are) currently connecting/i,
  /while a node is trying to connect/i,
  /No node has yet been elected Cluster Coordinator/i,
  /The Flow Controller is initializing the Data Flow/i,
  /Cannot replicate request to Node .* because the node is not connected/i,
  /Cluster Coordinator is currently unknown/i,
];
/**
 * Whether NiFi's text says the cluster refused before doing anything, until it settles — in an HTTP answer, or as
 * the failure of an update or replace request ("Cluster is unable to service request to change flow: Node … is
 * currently connecting").
 */
export function isRefusedUntilStable(text: string): boolean {
  return refusedUntilStable.some((pattern) => pattern.test(text));
}

/**
 * An update request found a component that references a changed parameter running (or a service not disabled)
 * when it came to apply the change: something started it after the request had stopped what it saw running —
 * NiFi's own restart of the components using an asset just replaced, or another client. NiFi changed nothing;
 * the same declarative request, submitted again, stops what runs then.
 */
export function isReferencingComponentRestarted(text: string): boolean {
  return /Cannot (update|remove) parameter '[^']*' because it is referenced by .+, which (is currently running|currently has a state of)/s.test(text);
}

/** A node did not answer a request the coordinator replicated to it (killed, restarting, unreachable): 500 naming its URI. */
const nodeDidNotAnswer = /Request execution failed HTTP Method \[\w+\] URI \[https?:\/\/([^/\]\s]+)/i;
/** Phase one of NiFi's two-phase commit: a node vetoed, so the change was not made anywhere. */
const nodeVeto = /^Node (.+?) is unable to fulfill this request due to: ([\s\S]*)$/;
/** A veto that is no verdict: the node failed to answer phase one (killed, not yet disconnected by the coordinator). */
const vetoWithoutAnswer = /Unexpected Response Code 5\d\d|timed out|Connection refused|No route to host|Request execution failed/i;

/**
 * Maps NiFi's plain-text error answers to precise codes (NiFi answers a stale revision with 400, not 409;
 * in a cluster a node's veto of a change arrives as 409 "Node … is unable to fulfill this request due to: …",
 * classified by the node's reason).
 */
export function classifyNifiError(
  { status, body }: { status: number; body: string; method: HttpMethod; path: string },
  context?: NifiClassificationContext,
): ErrorClassification | undefined {
  const calledNode = context?.calledNode ?? 'the node this client calls';
  // A node's veto first: its reason may read like an answer of the called node ("This node is disconnected…").
  const veto = nodeVeto.exec(body.trim());
  if (veto && status === 409) {
    const [, vetoingNode, reasonText] = veto as unknown as [string, string, string];
    if (vetoWithoutAnswer.test(reasonText)) {
      return {
        code: 'NIFI_CLUSTER_UNSTABLE',
        hint: `NiFi node ${vetoingNode} did not answer the first phase of a replicated change (down, restarting or unreachable), so no node made it; the client repeated it. Once the coordinator disconnects that node the others serve alone.`,
        notPerformed: true,
        detail: { nodes: [vetoingNode] },
      };
    }
    // The node's own reason decides the code (named after the node that vetoed); nothing was changed on any node.
    const reason = classifyNifiError({ status: /revision/i.test(reasonText) ? 400 : 409, body: reasonText, method: 'PUT', path: '' }, { ...context, calledNode: vetoingNode });
    // The reason's own detail (an asset's referencing parameters, say) stays beside the vetoing node.
    return reason ? { ...reason, detail: { ...(reason.detail as object | undefined), nodes: [vetoingNode] } } : undefined;
  }
  if (disconnectedCalledNode.test(body)) {
    return {
      code: 'NIFI_NODE_DISCONNECTED',
      hint: `NiFi node ${calledNode} (the one this client calls) is disconnected from its cluster. Reconnect it (cluster.connect), call a connected node instead, or — to change this node's own flow anyway — pass disconnectedNodeAcknowledged: true.`,
      detail: { nodes: [calledNode] },
    };
  }
  const notConnected = deleteWithNodesNotConnected.exec(body);
  if (notConnected) {
    const nodes = notConnected[1]!.split(/,\s*/).filter(Boolean);
    return {
      code: 'NIFI_NODE_DISCONNECTED',
      hint: `NiFi deletes components only while every node is connected; not connected: ${nodes.join(', ')}. Reconnect the node(s) (cluster.connect) or remove them from the cluster (cluster.remove), then delete again.`,
      detail: { nodes },
    };
  }
  const uploadRefused = assetUploadWithNodesNotConnected.exec(body);
  if (uploadRefused) {
    const nodes = uploadRefused[1]!.split(/,\s*/).filter(Boolean);
    return {
      code: 'NIFI_NODE_DISCONNECTED',
      hint: `NiFi takes an asset only while every node is connected (it copies the file to each; disconnectedNodeAcknowledged does not apply); not connected: ${nodes.join(', ')}. Reconnect the node(s) (cluster.connect) or remove them (cluster.remove), then upload again.`,
      detail: { nodes },
    };
  }
  const referenced = assetStillReferenced.exec(body);
  if (referenced && status === 409) {
    const [, assetId, names] = referenced as unknown as [string, string, string];
    const parameters = names.split(/,\s*/).filter(Boolean);
    return {
      code: 'NIFI_ASSET_IN_USE',
      hint: `Asset ${assetId} is still referenced by parameter(s) ${parameters.map((name) => `"${name}"`).join(', ')}, so NiFi kept it. Unbind them first — parameterContexts.update(contextId, { set: [{ name, value: null }] }) or remove them — then delete the asset again.`,
      detail: { parameters },
    };
  }
  if (isRefusedUntilStable(body)) {
    return {
      code: 'NIFI_CLUSTER_UNSTABLE',
      hint: 'The cluster is settling (a node connecting, a coordinator election, the flow loading) and refused before doing anything; the client retried. Try again in a few seconds, or wait until every node is CONNECTED (cluster.nodes()).',
      notPerformed: true,
    };
  }
  const silent = status >= 500 ? nodeDidNotAnswer.exec(body) : null;
  if (silent) {
    // Until the coordinator notices and disconnects the node, requests that reach it fail; waits ride this out.
    // A change may have been made on the nodes that answered: never repeated by the transport.
    return {
      code: 'NIFI_CLUSTER_UNSTABLE',
      hint: `NiFi node ${silent[1]} did not answer a request replicated to it (down, restarting or unreachable). Once the coordinator disconnects it the others serve alone; restart the node or look at its nifi-app.log.`,
      isRetryable: true,
      detail: { nodes: [silent[1]!] },
    };
  }
  if (status === 400 && /revision/i.test(body)) {
    return {
      code: 'NIFI_STALE_REVISION',
      hint: 'The component was changed by someone else since its revision was read. Read it again and re-apply your change.',
    };
  }
  if (status === 409) {
    return {
      code: 'NIFI_CONFLICT',
      hint: 'NiFi refused because of a component\'s current state: stop it, empty its queues or disable its services first (deleteProcessGroup does all of that safely).',
    };
  }
  return undefined;
}
