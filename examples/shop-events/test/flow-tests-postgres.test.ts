// Flow tests of flows/shop-events.yaml with the real PostgreSQL: an event batch fed where the ListenHTTP would hand it
// on is upserted into a scratch database of its own (a re-sent event updates its row), and a batch the table refuses
// waits in the held funnel with NiFi's ERROR bulletin. The examples database is never written.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineFlowTest, testFlow } from '@dataplat/flows';
import { loadExampleContexts, loadExampleFlow, openFlowTestTarget, type FlowTestTarget } from '@dataplat-examples/shared';

let target: FlowTestTarget;
beforeAll(async () => void (target = await openFlowTestTarget(inject('stackEndpoints'), 'shop', join(import.meta.dirname, '..', 'src', 'schema.sql'))));
afterAll(async () => target?.close());

describe('flows test of shop-events with the real PostgreSQL', () => {
  it('upserts an event batch, and holds a batch the table refuses with NiFi\'s error', async () => {
    const shopEvents = await loadExampleFlow('shop-events.yaml');
    // The case's copy gets what the flow inherits (examples-db: the JDBC URL the case overrides, the driver asset) as its own.
    const parameterContexts = await loadExampleContexts();
    const caseOf = (input: Parameters<typeof defineFlowTest>[1]) => defineFlowTest(shopEvents, input, { parameterContexts });
    const parameters = { jdbc_url: target.scratch.jdbcUrl };
    const event = { event_id: 'e-1', event_type: 'order_placed', session_id: 's-1', customer_id: 7, product_id: 3, amount: 42.5, occurred_at_ms: 1767250000000 };
    const cases = [
      caseOf({
        name: 'a batch is upserted, a re-sent event updates its row',
        parameters,
        inputs: [{ before: 'store', json: [event, { ...event, event_id: 'e-2', event_type: 'page_view', customer_id: null, product_id: null, amount: null }, { ...event, amount: 45 }], attributes: { batch: 'b-1' } }],
        expect: [{ at: 'store.success', count: 1, attributes: { batch: 'b-1' } }],
      }),
      caseOf({
        name: 'an event the table refuses is held with the error',
        parameters,
        // session_id is NOT NULL in events.shop_events.
        inputs: [{ before: 'store', json: [{ ...event, event_id: 'e-3', session_id: null }] }],
        expect: [{ at: 'held', count: 1 }],
        bulletins: { expect: [{ level: 'ERROR', source: 'store', matches: 'session_id' }] },
      }),
    ];
    const run = await testFlow(target.nifi, cases, { parentGroupId: target.parentGroupId, env: { SHOP_DB_PASSWORD: target.scratch.password } });
    expect(run.results.map((result) => [result.name, result.status, result.failures, result.error])).toEqual([
      ['a batch is upserted, a re-sent event updates its row', 'passed', [], undefined],
      ['an event the table refuses is held with the error', 'passed', [], undefined],
    ]);
    console.info(`shop-events flow tests with PostgreSQL: ${run.results.map((result) => `${result.name} ${(result.durationMs / 1000).toFixed(1)} s`).join(', ')}`);
    const rows = await target.scratch.client.query('SELECT event_id, event_type, amount FROM events.shop_events ORDER BY event_id');
    expect(rows.rows).toEqual([
      { event_id: 'e-1', event_type: 'order_placed', amount: '45.00' },
      { event_id: 'e-2', event_type: 'page_view', amount: null },
    ]);
    expect(run.coverage[0]!.processors).toEqual({ exercised: ['store'], stubbed: [], missed: ['receive'] });
  });
});
