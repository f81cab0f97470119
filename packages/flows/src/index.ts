// The public API of @dataplat/flows: the DSL and its schema, diagnostics, compile, plan/apply, the
// inventory of managed flows (destroy, lookup), the apply lock, run once, export and the Airflow DAG generator.
export {
  flowFileSchema,
  flowJsonSchema,
  flowSchema,
  type ConnectionModel,
  type Flow,
  type FlowInput,
  type GroupModel,
  type ProcessorModel,
  type SharedContextDeclaration,
  type SharedContextInput,
  type TriggerModel,
} from './model/flow-schema.ts';
export { withInheritedParameters } from './model/inherited-parameters.ts';
export { defineFlow, defineFlows } from './model/define-flow.ts';
export { hasErrors, type Diagnostic, type Position } from './diagnostics/diagnostic.ts';
export { formatGithub, formatHuman, formatJson } from './cli/views/diagnostics.ts';
export { loadFlowFile, maxFlowFileBytes, type LoadedFlowFile, type Locator } from './parse/load-flow-file.ts';
export { compileFlow, type CompiledFlow, type CompileOptions, type TypeCatalog } from './compile/compile-flow.ts';
export { deterministicId } from './compile/deterministic-id.ts';
export { applyFlows, type ApplyOptions, type ApplyResult } from './deploy/apply.ts';
export type { ComponentChange, FieldChange } from './deploy/diff.ts';
export { hasChanges, planFlows, type FlowAction, type FlowPlan, type Plan, type PlanOptions, type PlanResult } from './deploy/plan.ts';
export {
  destroyFlows,
  destroyManagedFlow,
  findManagedFlow,
  listManagedFlows,
  readInventory,
  readMarker,
  type ContextReference,
  type DestroyedFlow,
  type Inventory,
  type ManagedFlow,
  type OwnershipMarker,
} from './deploy/inventory.ts';
export {
  acquireFlowsLock,
  defaultLockTimeoutMs,
  defaultLockTtlMs,
  FlowsLockError,
  forceUnlock,
  listFlowsLocks,
  withFlowsLock,
  type HeldLock,
  type LockErrorCode,
  type LockEvent,
  type LockInfo,
  type LockOptions,
} from './deploy/lock.ts';
export type { CiRun, LockHolder } from './deploy/lock-holder.ts';
export { runFlow, type FlowRunResult, type RunFlowOptions } from './run/run-flow.ts';
export { defaultDagId, generateAirflowDag, type DagOptions } from './airflow-dag/generate-dag.ts';
export { expandTriggers, triggerGroupName } from './compile/expand-triggers.ts';
export { exportFlow, type ExportOptions, type ExportResult } from './export/export-flow.ts';
export { defineFlowTest, testFlow } from './flow-tests/define-flow-test.ts';
export { flowTestFileSchema, flowTestJsonSchema, type FlowTestCaseInput, type FlowTestFile } from './flow-tests/test-schema.ts';
export { loadFlowTestFile, type FlowTestCase, type FlowTestExpectation, type LoadedFlowTestFile, type TestPoint } from './flow-tests/load-test-file.ts';
export { runFlowTests, type CaseCoverage, type FlowCoverage, type FlowTestCaseResult, type FlowTestRunOptions, type FlowTestRunResult } from './flow-tests/run-flow-tests.ts';
export type { ExpectationFailure, ObservedFlowFile } from './flow-tests/match-expectations.ts';
export { formatCaseResult, formatGithubAnnotations, formatSummary, renderJunit } from './cli/views/flow-tests.ts';
