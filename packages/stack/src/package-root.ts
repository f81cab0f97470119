import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The @dataplat/stack package folder, which holds locks/ and java/. Found by walking up from this
 * module, so it works from src/ (tests, workspace) and from the bundled dist/ (published package).
 */
export function stackPackageRoot(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(directory, 'locks')) || !existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error('@dataplat/stack: cannot find the package folder with locks/');
    directory = parent;
  }
  return directory;
}
