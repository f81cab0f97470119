// planSharedContexts on NiFi's answers as data: ownership (a hand-made or another project's context of the
// declared name is refused), secrets compared through the marker's HMAC, values from the environment
// masked, and what a context the code no longer declares becomes (kept and why, or deleted with --prune).
import { describe, expect, it } from 'vitest';
import type { ParameterContextEntity } from '@dataplat/nifi';
import type { SharedContextDeclaration } from '../model/flow-schema.ts';
import { formatPlan } from '../cli/views/plan.ts';
import { planSharedContexts, readSharedContextMarker, renderContextDescription } from './shared-contexts.ts';

const key = 'unit-test-secrets-key-0123456789abcdef';
const db: SharedContextDeclaration = {
  name: 'db',
  description: 'The database',
  inherits: [],
  environments: {},
  parameters: { jdbc_url: { value: 'jdbc:postgresql://db/shop' }, user: { fromEnv: 'DB_USER' }, password: { fromEnv: 'DB_PASSWORD', sensitive: true } },
};
const env = { DB_USER: 'shop', DB_PASSWORD: 'secret-one' };

function liveContext(name: string, description: string | undefined, parameters: Array<{ name: string; value: string | null; sensitive?: boolean }>, extra: Partial<ParameterContextEntity['component']> = {}): ParameterContextEntity {
  return {
    id: `id-${name}`,
    revision: { version: 1 },
    component: { name, description, parameters: parameters.map((parameter) => ({ parameter: { ...parameter, value: parameter.value ?? undefined } })), ...extra },
  } as ParameterContextEntity;
}

/** NiFi's copy of `db` as the first apply left it (the marker from a first plan, values as declared). */
function appliedDb(): ParameterContextEntity {
  const first = planSharedContexts([db], [], { project: 'shop', env, secretsKey: key });
  return liveContext('db', first.planned.get('db')!.description, [
    { name: 'jdbc_url', value: 'jdbc:postgresql://db/shop' },
    { name: 'user', value: 'shop' },
    { name: 'password', value: '********', sensitive: true },
  ]);
}

describe('planSharedContexts', () => {
  it('creates a new context with a marker naming it shared and its project, without the secret in the plan', () => {
    const { plans, planned } = planSharedContexts([db], [], { project: 'shop', env, secretsKey: key });
    expect(plans).toEqual([{ context: 'db', action: 'create', changes: [] }]);
    expect(readSharedContextMarker(planned.get('db')!.description)).toMatchObject({ formatVersion: 1, sharedContext: 'db', project: 'shop', sensitiveHash: expect.stringMatching(/^hmac-sha256:/) });
    expect(JSON.stringify(plans)).not.toContain('secret-one');
  });

  it('is a no-op when NiFi holds what the code says, and sees a changed secret through the HMAC, masked', () => {
    expect(planSharedContexts([db], [appliedDb()], { project: 'shop', env, secretsKey: key }).plans).toEqual([{ context: 'db', action: 'no-op', contextId: 'id-db', changes: [] }]);
    const changed = planSharedContexts([db], [appliedDb()], { project: 'shop', env: { ...env, DB_PASSWORD: 'secret-two', DB_USER: 'other' }, secretsKey: key });
    expect(changed.plans[0]!.changes).toEqual([
      { field: 'parameters.user', before: '(masked: from the environment)', after: '(masked: from the environment)' },
      { field: 'parameters.password', before: '(sensitive)', after: '(sensitive)' },
    ]);
    expect(JSON.stringify(changed.plans)).not.toMatch(/secret-two|other/);
  });

  it('refuses a context of that name that flows did not create, and one of another project', () => {
    expect(() => planSharedContexts([db], [liveContext('db', 'made by hand', [])], { project: 'shop', env, secretsKey: key })).toThrow(expect.objectContaining({ code: 'FLOWS_UNMANAGED_CONTEXT' }));
    const foreign = renderContextDescription(undefined, { formatVersion: 1, sharedContext: 'db', project: 'billing', sensitiveHash: 'none' });
    expect(() => planSharedContexts([db], [liveContext('db', foreign, [])], { project: 'shop', env, secretsKey: key })).toThrow(expect.objectContaining({ code: 'FLOWS_OTHER_PROJECT' }));
  });

  it('keeps a context the code no longer declares without --prune, keeps it while used, and deletes it with --prune when unused', () => {
    const description = renderContextDescription(undefined, { formatVersion: 1, sharedContext: 'old', project: 'shop', sensitiveHash: 'none' });
    const old = liveContext('old', description, []);
    const inheritor = liveContext('orders', 'managed-by: dataplat-flows', [], { inheritedParameterContexts: [{ id: 'id-old', component: { id: 'id-old', name: 'old' } }] });
    expect(planSharedContexts([], [old], { project: 'shop', secretsKey: key }).plans).toEqual([
      { context: 'old', action: 'keep', contextId: 'id-old', changes: [], reason: 'no longer in the code (use --prune to delete it when nothing uses it)' },
    ]);
    expect(planSharedContexts([], [old, inheritor], { project: 'shop', prune: true, secretsKey: key }).plans).toEqual([
      { context: 'old', action: 'keep', contextId: 'id-old', changes: [], reason: 'still used', usedBy: ['parameter context "orders"'] },
    ]);
    // The inheriting context is a pruned flow's, deleted first in the same apply: nothing else uses it.
    expect(planSharedContexts([], [old, inheritor], { project: 'shop', prune: true, secretsKey: key, deletedFirst: new Set(['id-orders']) }).plans).toEqual([
      { context: 'old', action: 'delete', contextId: 'id-old', changes: [] },
    ]);
    // Another project's contexts are not this project's to keep or prune.
    expect(planSharedContexts([], [old], { project: 'billing', prune: true, secretsKey: key }).plans).toEqual([]);
  });

  it('takes over a blank context of the declared name (what NiFi creates for an inherited name an upload lists): it holds nothing to lose', () => {
    const { plans, planned } = planSharedContexts([db], [liveContext('db', undefined, [])], { project: 'shop', env, secretsKey: key });
    expect(plans).toMatchObject([{ context: 'db', action: 'update', contextId: 'id-db' }]);
    expect(plans[0]!.changes.map((change) => change.field)).toEqual(['parameters.jdbc_url', 'parameters.user', 'parameters.password', 'description']);
    expect(readSharedContextMarker(planned.get('db')!.description)).toMatchObject({ sharedContext: 'db', project: 'shop' });
  });

  it('records in the marker which values came from the environment, and masks NiFi\'s value once the code makes it literal or drops it', () => {
    const applied = appliedDb();
    expect(readSharedContextMarker(applied.component.description)?.secretEnvironment).toEqual({ user: 'DB_USER', password: 'DB_PASSWORD' });
    const literal: SharedContextDeclaration = { ...db, parameters: { jdbc_url: db.parameters['jdbc_url']!, user: { value: 'reporting' }, password: db.parameters['password']! } };
    const dropped: SharedContextDeclaration = { ...db, parameters: { jdbc_url: db.parameters['jdbc_url']!, password: db.parameters['password']! } };
    const madeLiteral = planSharedContexts([literal], [applied], { project: 'shop', env, secretsKey: key });
    expect(madeLiteral.plans[0]!.changes).toEqual([{ field: 'parameters.user', before: '(masked: from the environment)', after: 'reporting' }]);
    const removed = planSharedContexts([dropped], [applied], { project: 'shop', env, secretsKey: key });
    expect(removed.plans[0]!.changes).toEqual([{ field: 'parameters.user', before: '(masked: from the environment)', after: '(removed)' }]);
    // Its value ('shop', from DB_USER) is neither in the text nor in the JSON of either plan.
    for (const plans of [madeLiteral.plans, removed.plans]) {
      const plan = { formatVersion: '1' as const, target: { nifi: 'https://nifi.example', parentGroupId: 'root', environment: undefined }, fingerprint: 'f', parameterContexts: plans, flows: [], orphans: [] };
      expect(formatPlan(plan)).toContain('~ parameters.user: "(masked: from the environment)" → ');
      expect(`${formatPlan(plan)}\n${JSON.stringify(plan)}`).not.toMatch(/"shop"/);
    }
  });

  it('shows NiFi\'s value of a parameter no longer read from the environment when the marker predates the record (as before)', () => {
    const older = renderContextDescription(db.description, { formatVersion: 1, sharedContext: 'db', project: 'shop', sensitiveHash: readSharedContextMarker(appliedDb().component.description)!.sensitiveHash });
    const applied = { ...appliedDb(), component: { ...appliedDb().component, description: older } } as ParameterContextEntity;
    const literal: SharedContextDeclaration = { ...db, parameters: { jdbc_url: db.parameters['jdbc_url']!, user: { value: 'reporting' }, password: db.parameters['password']! } };
    expect(planSharedContexts([literal], [applied], { project: 'shop', env, secretsKey: key }).plans[0]!.changes).toEqual([{ field: 'parameters.user', before: 'shop', after: 'reporting' }]);
  });
});
