// The bench's runners measure the built package (dist/), what users run — not the TypeScript source, whose
// type stripping alone adds ~16 MB of RSS and the source condition's module graph ~30 MB more. This refuses a
// dist/ older than its sources (of @dataplat/trino and @dataplat/core), so a figure never belongs to stale code.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(import.meta.dirname, '..', '..');

function newestSource(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Throws when @dataplat/trino's or @dataplat/core's dist/index.mjs is missing or older than a source file. */
export function assertBuiltPackagesFresh() {
  for (const name of ['trino', 'core']) {
    const built = join(packagesDir, name, 'dist', 'index.mjs');
    let builtAt;
    try {
      builtAt = statSync(built).mtimeMs;
    } catch {
      builtAt = 0;
    }
    if (builtAt < newestSource(join(packagesDir, name, 'src'))) {
      throw new Error(`${built} is missing or older than packages/${name}/src: the bench measures the built package. Run: ./with-node pnpm --filter "@dataplat/trino..." build`);
    }
  }
}
