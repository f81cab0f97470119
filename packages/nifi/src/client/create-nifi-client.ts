// createNifiClient: NiFi's typed API and the helpers bound to one context, on core's shared client kit
// (options, credentials check, transport, middleware), with NiFi's login, error codes and client id.
import { randomUUID } from 'node:crypto';
import { bindHelpers, checkPasswordCredentials, createClientTransport, type ClientOptions, type HttpMethod } from '@dataplat/core';
import { createNifiApi, type NifiApi } from '../api/typed-api.ts';
import { componentResource, type ComponentResource } from '../helpers/components.ts';
import * as cluster from '../helpers/cluster.ts';
import * as extensions from '../helpers/extensions.ts';
import * as flowDefinitions from '../helpers/flow-definitions.ts';
import * as observability from '../helpers/observability.ts';
import * as assets from '../helpers/parameter-context-assets.ts';
import * as parameterContexts from '../helpers/parameter-contexts.ts';
import * as groupFlow from '../helpers/process-group-flow.ts';
import * as queueListing from '../helpers/queue-listing.ts';
import * as queues from '../helpers/queues.ts';
import { runProcessGroupOnce } from '../helpers/run-once.ts';
import { deleteProcessGroup } from '../helpers/safe-delete.ts';
import * as scheduling from '../helpers/scheduling.ts';
import * as status from '../helpers/status.ts';
import * as validation from '../helpers/validation.ts';
import { nifiAuthentication, type NifiAuth } from './nifi-authentication.ts';
import type { NifiContext } from './nifi-context.ts';
import { calledNodeOf, classifyNifiError } from './nifi-errors.ts';

export interface NifiClientOptions extends ClientOptions {
  /** The REST API root, e.g. `https://nifi.example.com:8443/nifi-api` (for HTTPS use the certificate's host name, not an IP). */
  baseUrl: string;
  /** Omit for an unsecured HTTP NiFi or when authenticating with a client certificate (`tls.cert`/`tls.key`). */
  auth?: NifiAuth | undefined;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Sent with every revision; default a random id per client. NiFi accepts revisions last modified by the same client id. */
  clientId?: string | undefined;
  /**
   * Called for every request sent (redacted URL), e.g. to count mutating requests. Shorthand for a
   * middleware with only `onRequest`; it runs before the other middleware.
   */
  onRequest?: ((event: { method: HttpMethod; url: string }) => void) | undefined;
}

export function createNifiClient(options: NifiClientOptions): NifiClient {
  const auth = options.auth;
  checkPasswordCredentials(auth);
  const onRequest = options.onRequest;
  const calledNode = calledNodeOf(options.baseUrl);
  const transport = createClientTransport(options, {
    baseUrl: options.baseUrl,
    serviceName: 'NiFi',
    defaultUserAgent: 'dataplat-nifi',
    classifyError: (answer) => classifyNifiError(answer, { calledNode }),
    authentication: auth ? (self) => nifiAuthentication(auth, self) : undefined,
    leadingMiddleware: onRequest ? [{ onRequest: ({ method, url }) => void onRequest({ method, url }) }] : [],
  });
  const context: NifiContext = { api: createNifiApi(transport), transport, clientId: options.clientId ?? `dataplat-${randomUUID()}` };
  return buildClient(context);
}

type NifiClientHelpers = ReturnType<typeof buildHelpers>;

/** The client: NiFi's typed API and the helpers, bound to one context. */
export interface NifiClient extends NifiClientHelpers {
  /**
   * The same client (same connection, login and client id) whose every helper write carries
   * `disconnectedNodeAcknowledged: true` — for changing the flow knowingly while a cluster node is disconnected.
   * The raw `api` still sends exactly what you give it.
   */
  acknowledgingDisconnectedNodes(): NifiClient;
}

function buildClient(context: NifiContext): NifiClient {
  return { ...buildHelpers(context), acknowledgingDisconnectedNodes: () => buildClient({ ...context, disconnectedNodeAcknowledged: true }) };
}

function buildHelpers(context: NifiContext) {
  const { delete: _unsafeGroupDelete, ...groupCrud } = componentResource(context, 'processGroup');
  const bound = bindHelpers(context);
  return {
    /** Every endpoint of the NiFi REST API, typed from NiFi's OpenAPI spec. */
    api: context.api as NifiApi,
    /** The REST API root this client talks to. */
    baseUrl: context.transport.baseUrl,
    clientId: context.clientId,
    /** Adds request/response middleware (sees every request, logins and retries included); returns its remover. */
    use: context.transport.use,
    /** Removes middleware added with `use` or the `middleware` option. */
    eject: context.transport.eject,
    processGroups: {
      ...groupCrud,
      /** Safe recursive delete: stop, wait for threads, empty queues, disable services, delete. */
      delete: bound(deleteProcessGroup),
      flow: bound(groupFlow.getGroupFlow),
      tree: bound(groupFlow.getGroupTree),
      findByName: bound(groupFlow.findProcessGroupByName),
      findAllByName: bound(groupFlow.findProcessGroupsByName),
      start: bound(scheduling.startProcessGroup),
      stop: bound(scheduling.stopProcessGroup),
      enableControllerServices: bound(scheduling.enableControllerServices),
      disableControllerServices: bound(scheduling.disableControllerServices),
      controllerServices: bound(scheduling.listControllerServices),
      status: bound(status.getGroupStatus),
      /** The group's status (recursive) as the cluster totals it and each node's own (NiFi's nodewise=true). */
      statusPerNode: bound(status.getGroupStatusPerNode),
      waitUntilIdle: bound(status.waitUntilIdle),
      emptyQueues: bound(queues.emptyGroupQueues),
      runOnce: bound(runProcessGroupOnce),
      /** The processors, services and nested ports NiFi would refuse to run, with NiFi's reasons (waits out VALIDATING). */
      invalidComponents: bound(validation.findInvalidComponents),
      download: bound(flowDefinitions.downloadFlowDefinition),
      upload: bound(flowDefinitions.uploadFlowDefinition),
      replace: bound(flowDefinitions.replaceFlowDefinition),
      bindParameterContext: bound(parameterContexts.bindParameterContext),
    },
    processors: {
      ...componentResource(context, 'processor'),
      setRunState: bound(scheduling.setProcessorRunState),
      descriptors: bound(extensions.getProcessorDescriptors),
      statusPerNode: bound(status.getProcessorStatusPerNode),
      state: bound(observability.getProcessorState),
      clearState: bound(observability.clearProcessorState),
    },
    connections: {
      ...componentResource(context, 'connection'),
      emptyQueue: bound(queues.emptyConnectionQueue),
      statusPerNode: bound(status.getConnectionStatusPerNode),
      /** The flowfiles waiting in the queue (NiFi lists at most 100 per node), with the node that holds each. */
      listQueue: bound(queueListing.listQueue),
      /** One queued flowfile's attributes (pass the listing's entry: a cluster needs the node that holds it). */
      queuedAttributes: bound(queueListing.getQueuedFlowFileAttributes),
      /** One queued flowfile's content as bytes (pass the listing's entry: its size and, on a cluster, its node). */
      queuedContent: bound(queueListing.getQueuedFlowFileContent),
    },
    controllerServices: {
      ...componentResource(context, 'controllerService'),
      enable: (id: string, options?: scheduling.WaitOptions) => scheduling.setControllerServiceState(context, id, 'ENABLED', options),
      disable: (id: string, options?: scheduling.WaitOptions) => scheduling.setControllerServiceState(context, id, 'DISABLED', options),
    },
    inputPorts: componentResource(context, 'inputPort') as ComponentResource<'inputPort'>,
    outputPorts: componentResource(context, 'outputPort') as ComponentResource<'outputPort'>,
    funnels: componentResource(context, 'funnel') as ComponentResource<'funnel'>,
    labels: componentResource(context, 'label') as ComponentResource<'label'>,
    parameterContexts: {
      create: bound(parameterContexts.createParameterContext),
      get: bound(parameterContexts.getParameterContext),
      list: bound(parameterContexts.listParameterContexts),
      findByName: bound(parameterContexts.findParameterContextByName),
      update: bound(parameterContexts.updateParameterContext),
      delete: bound(parameterContexts.deleteParameterContext),
      /** Files uploaded into a context (JDBC drivers, certificates) that its parameters reference (ParameterValue.assets). */
      assets: {
        list: bound(assets.listParameterContextAssets),
        upload: bound(assets.uploadParameterContextAsset),
        content: bound(assets.getParameterContextAssetContent),
        delete: bound(assets.deleteParameterContextAsset),
      },
    },
    extensions: {
      processorTypes: bound(extensions.listProcessorTypes),
      controllerServiceTypes: bound(extensions.listControllerServiceTypes),
      resolveType: bound(extensions.resolveExtensionType),
    },
    bulletins: bound(observability.listBulletins),
    provenance: { search: bound(observability.searchProvenance) },
    system: {
      about: bound(observability.getAbout),
      diagnostics: bound(observability.getSystemDiagnostics),
      clusterSummary: bound(observability.getClusterSummary),
    },
    /**
     * The cluster: its nodes (status, roles, heartbeat, threads, queued per node), the primary and the coordinator,
     * and taking a node out or back in, each waiting until NiFi got there. A standalone NiFi: `summary()` says
     * `clustered: false`, the others throw NIFI_NOT_CLUSTERED.
     */
    cluster: {
      nodes: bound(cluster.listClusterNodes),
      node: bound(cluster.getClusterNode),
      summary: bound(cluster.getClusterSummary),
      primary: bound(cluster.getPrimaryNode),
      coordinator: bound(cluster.getCoordinatorNode),
      disconnect: bound(cluster.disconnectNode),
      connect: bound(cluster.connectNode),
      offload: bound(cluster.offloadNode),
      remove: bound(cluster.removeNode),
    },
    /** Whether this client's writes carry `disconnectedNodeAcknowledged` (see acknowledgingDisconnectedNodes). */
    acknowledgesDisconnectedNodes: context.disconnectedNodeAcknowledged === true,
    /** Closes pooled connections. */
    close: () => context.transport.close(),
  };
}

