import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFile, renderAirflowTypes, typeUntypedPathParameters } from './generate-types.ts';

describe('generated Airflow API types', () => {
  // CI's staleness check: regenerating from the pinned wheel must reproduce the committed file exactly.
  it('are up to date with the pinned apache-airflow-core wheel', async () => {
    const committed = await readFile(generatedFile, 'utf8');
    const rendered = await renderAirflowTypes();
    expect(rendered === committed, 'src/generated/airflow-api.ts is stale: run `pnpm --filter @dataplat/airflow generate` and commit it').toBe(true);
    expect(committed.match(/^ {4}"\/api\/v2\/[^"]*": \{$/gm)?.length).toBe(88);
  }, 60_000);

  it('types untyped path parameters as strings and leaves typed ones alone', () => {
    const spec = typeUntypedPathParameters({
      paths: { '/x/{id}': { get: { parameters: [{ in: 'path', schema: { title: 'Id' } }, { in: 'path', schema: { type: 'integer' } }, { in: 'query', schema: {} }] } } },
    });
    expect(spec.paths['/x/{id}']!['get']!.parameters).toEqual([{ in: 'path', schema: { title: 'Id', type: 'string' } }, { in: 'path', schema: { type: 'integer' } }, { in: 'query', schema: {} }]);
  });
});
