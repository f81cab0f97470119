// A parameter whose value the last apply read from the environment and that the code now gives literally: the plan
// (text and --json) shows NiFi's current value masked, from the marker's record of what came from the environment;
// with a marker from before that record existed, NiFi's value is shown as it always was.
import { describe, expect, it } from 'vitest';
import type { ParameterContextEntity } from '@dataplat/nifi';
import { formatPlan } from '../cli/views/plan.ts';
import { compileFlow } from '../compile/compile-flow.ts';
import { defineFlow } from '../model/define-flow.ts';
import type { Plan } from './plan.ts';
import { maskedValue, parameterChanges } from './plan-parameters.ts';

const environmentValue = 'https://deploy-only.internal:8443/token-abc123';
const flow = defineFlow({ name: 'orders', parameters: { endpoint: { value: 'https://orders.example' }, batch: { value: '100' } } });
const compiled = compileFlow(flow, { processorTypes: [], controllerServiceTypes: [] });
/** NiFi's copy of the flow's context, as an apply that read `endpoint` from the environment left it. */
const live = {
  id: 'context-orders',
  component: { name: 'orders', parameters: [{ parameter: { name: 'endpoint', value: environmentValue, sensitive: false } }, { parameter: { name: 'batch', value: '50', sensitive: false } }] },
} as ParameterContextEntity;

function planWith(parameters: Plan['flows'][number]['parameters']): Plan {
  return {
    formatVersion: '1',
    target: { nifi: 'https://nifi.example', parentGroupId: 'root', environment: undefined },
    fingerprint: 'f',
    flows: [{ flow: 'orders', action: 'update', groupId: 'group-orders', components: [], parameters, runState: [], markerChanged: true }],
    orphans: [],
  };
}

const changesWith = (appliedFromEnvironment: ReadonlySet<string>) => parameterChanges(flow, compiled.definition, { masked: compiled.maskedParameters, appliedFromEnvironment }, [], { push: false }, live, new Map());

describe('parameterChanges: values the last apply read from the environment', () => {
  it('masks NiFi\'s value of a parameter the marker says came from the environment, in the text and the JSON plan', () => {
    const changes = changesWith(new Set(['endpoint']));
    expect(changes).toEqual([
      { field: 'parameters.endpoint', before: maskedValue, after: 'https://orders.example' },
      { field: 'parameters.batch', before: '50', after: '100' },
    ]);
    const plan = planWith(changes);
    const text = formatPlan(plan);
    expect(text).toContain('~ parameters.endpoint: "(masked: from the environment)" → "https://orders.example"');
    expect(text).toContain('~ parameters.batch: "50" → "100"');
    expect(text).not.toContain(environmentValue);
    expect(JSON.stringify(plan)).not.toContain(environmentValue);
  });

  it('shows NiFi\'s value when the marker records nothing of the environment (written before it did): as before', () => {
    expect(changesWith(new Set())).toContainEqual({ field: 'parameters.endpoint', before: environmentValue, after: 'https://orders.example' });
  });

  it('masks both sides of a value the code still reads from the environment, and the marker records its variable', () => {
    const fromEnvironment = defineFlow({ name: 'orders', parameters: { endpoint: { fromEnv: 'ORDERS_ENDPOINT' }, batch: { value: '50' } } });
    const again = compileFlow(fromEnvironment, { processorTypes: [], controllerServiceTypes: [] }, { env: { ORDERS_ENDPOINT: 'https://moved.internal' } });
    expect(again.secretEnvironment).toEqual({ endpoint: 'ORDERS_ENDPOINT' });
    const changes = parameterChanges(fromEnvironment, again.definition, { masked: again.maskedParameters, appliedFromEnvironment: new Set() }, [], { push: false }, live, new Map());
    expect(changes).toEqual([{ field: 'parameters.endpoint', before: maskedValue, after: maskedValue }]);
  });
});
