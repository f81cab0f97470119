// The warm-up the stack runs when Trino is ready (issue 19): every statement must answer on the real server,
// or the readiness wait would hang until its timeout; and it must only read.
import { describe, expect, inject, it } from 'vitest';
import { runTrinoStatement, trinoWarmUpStatements, warmUpTrino } from '../../src/services/trino/trino-service.ts';

const endpoints = inject('stackEndpoints');

describe('the Trino warm-up at boot', () => {
  it('answers on the real Trino, touching the postgresql, iceberg and tpch catalogs', async () => {
    const server = endpoints.trino!.url;
    expect(await warmUpTrino(server)).toBe(true);
    const catalogs = trinoWarmUpStatements.map((statement) => /\b(postgresql|iceberg|tpch)\./.exec(statement)?.[1]);
    expect(new Set(catalogs)).toEqual(new Set(['postgresql', 'iceberg', 'tpch']));
    // The JDBC read path really ran: the pass-through query's row came back.
    expect(await runTrinoStatement(server, trinoWarmUpStatements[1])).toEqual([[1]]);
  });

  it('only reads', () => {
    for (const statement of trinoWarmUpStatements) expect(statement.trimStart()).toMatch(/^SELECT\b/);
  });
});
