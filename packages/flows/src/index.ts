export { flowFileSchema, flowJsonSchema, flowSchema, type ConnectionModel, type Flow, type FlowInput, type GroupModel, type ProcessorModel, type TriggerModel } from './model/flow-schema.ts';
export { defineFlow } from './model/define-flow.ts';
export { hasErrors, type Diagnostic, type Position } from './diagnostics/diagnostic.ts';
export { formatGithub, formatHuman, formatJson } from './diagnostics/format.ts';
export { loadFlowFile, maxFlowFileBytes, type LoadedFlowFile, type Locator } from './parse/load-flow-file.ts';
export { compileFlow, type CompiledFlow, type CompileOptions, type TypeCatalog } from './compile/compile-flow.ts';
export { deterministicId } from './compile/deterministic-id.ts';
