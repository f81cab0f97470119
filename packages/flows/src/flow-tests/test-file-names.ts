// Which files are flow tests: `<anything>.test.yaml` (or .yml) beside the flows. Flow commands (validate,
// plan, apply) skip them when they read a folder; `flows test` reads only them.
import { basename } from 'node:path';

export const flowTestFileSuffixes = ['.test.yaml', '.test.yml'] as const;

export function isFlowTestFile(path: string): boolean {
  const name = basename(path);
  return flowTestFileSuffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
}
