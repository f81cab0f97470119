import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { generatedFile, renderNifiTypes, unwrapParameterSchemas } from './generate-types.ts';

describe('generated NiFi API types', () => {
  // CI's staleness check: regenerating from the pinned war must reproduce the committed file exactly.
  it('are up to date with the pinned nifi-web-api war', async () => {
    const committed = await readFile(generatedFile, 'utf8');
    const rendered = await renderNifiTypes();
    expect(rendered === committed, 'src/generated/nifi-api.ts is stale: run `pnpm --filter @dataplat/nifi generate` and commit it').toBe(true);
    expect(committed.match(/^ {4}"\/[^"]*": \{$/gm)?.length).toBe(221);
  }, 60_000);

  it('types wrapper-class parameters as the plain values NiFi reads', () => {
    const spec = unwrapParameterSchemas({
      paths: { '/x/{id}': { delete: { parameters: [{ schema: { $ref: '#/components/schemas/LongParameter' } }, { schema: { $ref: '#/components/schemas/Other' } }] } } },
    });
    expect(spec.paths['/x/{id}']!['delete']!.parameters).toEqual([{ schema: { type: 'integer', format: 'int64' } }, { schema: { $ref: '#/components/schemas/Other' } }]);
  });
});
