import { randomUUID } from 'node:crypto';
import { createHttpTransport, DataplatError, type RetryEvent, type RetryOptions, type TlsOptions } from '@dataplat/core';
import type { Dispatcher } from 'undici';
import { createNifiApi, type NifiApi } from '../api/typed-api.ts';
import { componentResource, type ComponentResource } from '../helpers/components.ts';
import * as extensions from '../helpers/extensions.ts';
import * as flowDefinitions from '../helpers/flow-definitions.ts';
import * as observability from '../helpers/observability.ts';
import * as parameterContexts from '../helpers/parameter-contexts.ts';
import * as groupFlow from '../helpers/process-group-flow.ts';
import * as queues from '../helpers/queues.ts';
import { runProcessGroupOnce } from '../helpers/run-once.ts';
import { deleteProcessGroup } from '../helpers/safe-delete.ts';
import * as scheduling from '../helpers/scheduling.ts';
import * as status from '../helpers/status.ts';
import { nifiAuthentication, type NifiAuth } from './nifi-authentication.ts';
import type { NifiContext } from './nifi-context.ts';
import { classifyNifiError } from './nifi-errors.ts';

export interface NifiClientOptions {
  /** The REST API root, e.g. `https://nifi.example.com:8443/nifi-api` (for HTTPS use the certificate's host name, not an IP). */
  baseUrl: string;
  /** Omit for an unsecured HTTP NiFi or when authenticating with a client certificate (`tls.cert`/`tls.key`). */
  auth?: NifiAuth | undefined;
  /** CA to trust, client certificate for mutual TLS; certificate verification is on unless you turn it off here. */
  tls?: TlsOptions | undefined;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries of idempotent requests on connection errors, 502/503/504 and 429. `false` disables. */
  retry?: RetryOptions | false | undefined;
  /** An undici dispatcher (MockAgent in tests, or your own Agent/ProxyAgent). */
  dispatcher?: Dispatcher | undefined;
  userAgent?: string | undefined;
  /** Sent with every revision; default a random id per client. NiFi accepts revisions last modified by the same client id. */
  clientId?: string | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** Called for every request sent (redacted URL), e.g. to count mutating requests. */
  onRequest?: ((event: { method: string; url: string }) => void) | undefined;
}

export function createNifiClient(options: NifiClientOptions) {
  const auth = options.auth;
  if (auth && 'username' in auth && (!auth.username || !auth.password)) {
    throw new DataplatError({ code: 'INVALID_OPTIONS', message: 'auth.username and auth.password must both be set.', hint: 'Pass both, or omit auth.' });
  }
  const transport = createHttpTransport({
    baseUrl: options.baseUrl,
    serviceName: 'NiFi',
    dispatcher: options.dispatcher,
    tls: options.tls,
    timeoutMs: options.timeoutMs,
    retry: options.retry,
    userAgent: options.userAgent ?? 'dataplat-nifi',
    classifyError: classifyNifiError,
    onRetry: options.onRetry,
    onRequest: options.onRequest,
    authentication: auth ? (self) => nifiAuthentication(auth, self) : undefined,
  });

  const api = createNifiApi(transport);
  const context: NifiContext = {
    api,
    transport,
    clientId: options.clientId ?? `dataplat-${randomUUID()}`,
    async call(method, path, callOptions = {}) {
      const { body } = callOptions;
      const response = await transport.request({
        method,
        path,
        query: callOptions.query,
        signal: callOptions.signal,
        timeoutMs: callOptions.timeoutMs,
        body: body === undefined ? undefined : body instanceof FormData ? { multipart: body } : { json: body },
      });
      return response.body as never;
    },
  };
  return buildClient(context);
}

type Rest<Function_> = Function_ extends (context: NifiContext, ...rest: infer Parameters_) => infer Result ? (...rest: Parameters_) => Result : never;
function bound<Function_ extends (context: NifiContext, ...rest: never[]) => unknown>(context: NifiContext, helper: Function_): Rest<Function_> {
  return ((...rest: never[]) => helper(context, ...rest)) as Rest<Function_>;
}

function buildClient(context: NifiContext) {
  const { delete: _unsafeGroupDelete, ...groupCrud } = componentResource(context, 'processGroup');
  return {
    /** Every endpoint of the NiFi REST API, typed from NiFi's OpenAPI spec. */
    api: context.api as NifiApi,
    /** The REST API root this client talks to. */
    baseUrl: context.transport.baseUrl,
    clientId: context.clientId,
    processGroups: {
      ...groupCrud,
      /** Safe recursive delete: stop, wait for threads, empty queues, disable services, delete. */
      delete: bound(context, deleteProcessGroup),
      flow: bound(context, groupFlow.getGroupFlow),
      tree: bound(context, groupFlow.getGroupTree),
      findByName: bound(context, groupFlow.findProcessGroupByName),
      findAllByName: bound(context, groupFlow.findProcessGroupsByName),
      start: bound(context, scheduling.startProcessGroup),
      stop: bound(context, scheduling.stopProcessGroup),
      enableControllerServices: bound(context, scheduling.enableControllerServices),
      disableControllerServices: bound(context, scheduling.disableControllerServices),
      controllerServices: bound(context, scheduling.listControllerServices),
      status: bound(context, status.getGroupStatus),
      waitUntilIdle: bound(context, status.waitUntilIdle),
      emptyQueues: bound(context, queues.emptyGroupQueues),
      runOnce: bound(context, runProcessGroupOnce),
      download: bound(context, flowDefinitions.downloadFlowDefinition),
      upload: bound(context, flowDefinitions.uploadFlowDefinition),
      replace: bound(context, flowDefinitions.replaceFlowDefinition),
      bindParameterContext: bound(context, parameterContexts.bindParameterContext),
    },
    processors: {
      ...componentResource(context, 'processor'),
      setRunState: bound(context, scheduling.setProcessorRunState),
      descriptors: bound(context, extensions.getProcessorDescriptors),
      state: bound(context, observability.getProcessorState),
      clearState: bound(context, observability.clearProcessorState),
    },
    connections: { ...componentResource(context, 'connection'), emptyQueue: bound(context, queues.emptyConnectionQueue) },
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
      create: bound(context, parameterContexts.createParameterContext),
      get: bound(context, parameterContexts.getParameterContext),
      list: bound(context, parameterContexts.listParameterContexts),
      findByName: bound(context, parameterContexts.findParameterContextByName),
      update: bound(context, parameterContexts.updateParameterContext),
      delete: bound(context, parameterContexts.deleteParameterContext),
    },
    extensions: {
      processorTypes: bound(context, extensions.listProcessorTypes),
      controllerServiceTypes: bound(context, extensions.listControllerServiceTypes),
      resolveType: bound(context, extensions.resolveExtensionType),
    },
    bulletins: bound(context, observability.listBulletins),
    provenance: { search: bound(context, observability.searchProvenance) },
    system: {
      about: bound(context, observability.getAbout),
      diagnostics: bound(context, observability.getSystemDiagnostics),
      clusterSummary: bound(context, observability.getClusterSummary),
    },
    /** Closes pooled connections. */
    close: () => context.transport.close(),
  };
}

export type NifiClient = ReturnType<typeof createNifiClient>;
