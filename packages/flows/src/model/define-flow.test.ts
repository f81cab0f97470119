import { describe, expect, it } from 'vitest';
import { defineFlow } from './define-flow.ts';

describe('defineFlow', () => {
  it('returns the flow with defaults filled in, like a YAML file', () => {
    const flow = defineFlow({
      name: 'orders',
      processors: { extract: { type: 'QueryDatabaseTableRecord' }, tag: { type: 'UpdateAttribute', autoTerminate: ['success'] } },
      connections: [{ from: 'extract', to: 'tag', relationships: ['success'] }],
    });
    expect(flow.processors['extract']).toMatchObject({ state: 'running', schedule: { strategy: 'timer', period: '0 sec', concurrency: 1 }, autoTerminate: [] });
    expect(flow.connections[0]).toMatchObject({ loadBalance: 'none', prioritizers: [] });
  });

  it('throws FLOWS_INVALID listing every problem by path', () => {
    expect(() =>
      defineFlow({
        name: 'broken',
        processors: { a: { type: 'GenerateFlowFile' } },
        connections: [{ from: 'a', to: 'missing', relationships: ['success'] }],
      }),
    ).toThrow(/connections\.0\.to: Connection destination "missing" is not a processor, port or funnel of this group/);
    expect(() => defineFlow({ name: 'bad/name' } as never)).toThrow(expect.objectContaining({ code: 'FLOWS_INVALID' }));
  });
});
