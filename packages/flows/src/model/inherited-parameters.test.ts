// withInheritedParameters: NiFi's precedence (own, then inherits: in order, depth first), cycles, unknown contexts.
import { describe, expect, it } from 'vitest';
import { flowSchema, type SharedContextDeclaration } from './flow-schema.ts';
import { withInheritedParameters } from './inherited-parameters.ts';

const context = (name: string, parameters: Record<string, string>, inherits: string[] = []): SharedContextDeclaration => ({
  name,
  inherits,
  environments: {},
  parameters: Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, { value }])),
});

describe('withInheritedParameters', () => {
  it("makes inherited parameters the flow's own, the flow's own winning, then each context in order, depth first", () => {
    const flow = flowSchema.parse({ name: 'orders', inherits: ['db', 'defaults'], parameters: { table: { value: 'orders' }, fetch_size: { value: '10' } } });
    const contexts = [
      context('db', { jdbc_url: 'jdbc:db', fetch_size: '500', timeout: 'from base' }, ['base']),
      context('base', { timeout: 'from base (ignored: db has it)', charset: 'utf-8', retries: 'from base' }),
      context('defaults', { retries: 'from defaults (ignored: base came first)', region: 'eu' }),
    ];
    const flattened = withInheritedParameters(flow, contexts);
    expect(flattened.inherits).toEqual([]);
    expect(Object.fromEntries(Object.entries(flattened.parameters).map(([name, parameter]) => [name, parameter.value]))).toEqual({
      table: 'orders',
      fetch_size: '10',
      jdbc_url: 'jdbc:db',
      timeout: 'from base',
      charset: 'utf-8',
      retries: 'from base',
      region: 'eu',
    });
    expect(flow.inherits).toEqual(['db', 'defaults']);
  });

  it('visits a context once (a cycle or a diamond ends), and refuses a context nobody declares', () => {
    const flow = flowSchema.parse({ name: 'orders', inherits: ['a'] });
    expect(Object.keys(withInheritedParameters(flow, [context('a', { x: '1' }, ['b']), context('b', { y: '2' }, ['a'])]).parameters)).toEqual(['x', 'y']);
    expect(() => withInheritedParameters(flow, [context('b', {})])).toThrow(expect.objectContaining({ code: 'FLOWS_UNKNOWN_CONTEXT', message: expect.stringContaining('"a"') }));
  });
});
