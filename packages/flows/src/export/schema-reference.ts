// Where an exported flow file's `# yaml-language-server: $schema=` comment points: the flow-file.schema.json
// shipped with the @dataplat/flows that wrote it, as a path relative to the file. That works before the
// package is published (no unpkg URL for a 0.0.0 that is not on npm) and matches the repository's own
// flows/*.yaml (`../packages/flows/flow-file.schema.json`); an installed package is referred to through
// node_modules/@dataplat/flows, the path that stays valid when the package is reinstalled.
import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const schemaFileName = 'flow-file.schema.json';

/** The schema file of this @dataplat/flows: found by walking up from this module (src/ in the workspace, dist/ when installed). */
export function shippedSchemaFile(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, schemaFileName)) || !existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`@dataplat/flows: cannot find the package folder with ${schemaFileName}`);
    directory = parent;
  }
  return join(directory, schemaFileName);
}

/**
 * The `$schema` reference for a flow file in `fileDirectory`: relative to it, with "/" separators. When the
 * package runs from a node_modules folder, the nearest node_modules/@dataplat/flows above the file is used
 * (pnpm's store path behind that link changes with every install).
 */
export function schemaReference(fileDirectory: string, schemaFile: string = shippedSchemaFile()): string {
  if (schemaFile.split(sep).includes('node_modules')) {
    for (let directory = fileDirectory; ; directory = dirname(directory)) {
      const installed = join(directory, 'node_modules', '@dataplat', 'flows', schemaFileName);
      if (existsSync(installed)) return relative(fileDirectory, installed).split(sep).join('/');
      if (dirname(directory) === directory) break;
    }
  }
  return relative(fileDirectory, schemaFile).split(sep).join('/');
}
