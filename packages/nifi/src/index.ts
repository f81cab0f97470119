// The public API of @dataplat/nifi: the client, its option and error types, and the types of its helpers.
export { createNifiClient, type NifiClient, type NifiClientOptions } from './client/create-nifi-client.ts';
export type { NifiAuth } from './client/nifi-authentication.ts';
export { NifiError, type NifiErrorCode } from './client/nifi-errors.ts';
export type { AcknowledgeOption } from './client/nifi-context.ts';
export type { ClusterNode, ClusterSummary, NodeStatus, NodeWaitOptions } from './helpers/cluster.ts';
export type { NifiSchemas } from './client/nifi-context.ts';
export type { NifiApi, NifiMethod, NifiPath, NifiPaths, NifiRequestOptions, NifiResponse } from './api/typed-api.ts';
export type { CheckedEntity, ComponentFields, ComponentKind, ComponentResource, Entity, WriteOptions } from './helpers/components.ts';
export type { ComponentValidation, InvalidComponent, RunnableOptions } from './helpers/validation.ts';
export { explainValidationErrors, propertyKeyMeaning } from './helpers/validation.ts';
export { matchExtensionType, type ExtensionType, type PropertyDescriptor } from './helpers/extensions.ts';
export type { DownloadOptions, FlowDefinition, UploadOptions } from './helpers/flow-definitions.ts';
export type { Bulletin, BulletinQuery, ComponentState, ProvenanceEvent, ProvenanceSearch } from './helpers/observability.ts';
export type { ParameterContextChanges, ParameterContextDefinition, ParameterContextEntity, ParameterValue } from './helpers/parameter-contexts.ts';
export { assetNameProblem, maxAssetBytes, type AssetUpload, type ParameterContextAsset } from './helpers/parameter-context-assets.ts';
export { flattenTree, type FlowContents, type GroupFlow, type GroupTree } from './helpers/process-group-flow.ts';
export type { DropResult } from './helpers/queues.ts';
export type { QueuedFlowFile, QueueListing } from './helpers/queue-listing.ts';
export type { NodeRunReport, ProcessorRunReport, RunOnceOptions, RunOnceReport } from './helpers/run-once.ts';
export type { DeleteGroupResult } from './helpers/safe-delete.ts';
export type { ProcessorRunState, StartOptions, WaitOptions } from './helpers/scheduling.ts';
export type { ConnectionStatusSnapshot, GroupStatusSnapshot, IdleOptions, NodeStatusSnapshot, PerNodeStatus, ProcessorStatusSnapshot } from './helpers/status.ts';
export type { AsyncRequestOptions } from './helpers/async-request.ts';
// Errors of the shared transport, re-exported so users can match them without another import.
export { HttpError, RequestFailedError } from '@dataplat/core';
