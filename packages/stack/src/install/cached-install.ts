import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const markerFileName = '.dataplat-install.json';

/**
 * Builds an installation folder once: `build` fills a private staging folder, which is renamed into
 * place only when complete and stamped with `fingerprint` (what was installed, e.g. version + hashes).
 * An interrupted build never looks installed, and a changed fingerprint triggers a rebuild.
 */
export async function cachedInstall(
  installDir: string,
  fingerprint: Record<string, unknown>,
  build: (targetDir: string) => Promise<void>,
  options: { buildInPlace?: boolean } = {},
): Promise<{ built: boolean }> {
  const expected = JSON.stringify(fingerprint);
  if ((await readMarker(installDir)) === expected) return { built: false };

  if (options.buildInPlace) {
    // For trees that record their own absolute path (Python virtualenvs): build where they will live;
    // the marker is written last, so an interrupted build is still redone.
    await rm(installDir, { recursive: true, force: true });
    await mkdir(installDir, { recursive: true });
    await build(installDir);
    await writeFile(join(installDir, markerFileName), expected);
    return { built: true };
  }

  await mkdir(dirname(installDir), { recursive: true });
  const stagingDir = `${installDir}.staging-${process.pid}-${Date.now()}`;
  await rm(stagingDir, { recursive: true, force: true });
  await mkdir(stagingDir, { recursive: true });
  try {
    await build(stagingDir);
    await writeFile(join(stagingDir, markerFileName), expected);
    // Another process may have finished the same install meanwhile: then keep theirs.
    if ((await readMarker(installDir)) === expected) {
      await rm(stagingDir, { recursive: true, force: true });
      return { built: false };
    }
    await rm(installDir, { recursive: true, force: true });
    await rename(stagingDir, installDir);
    return { built: true };
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true });
    throw error;
  }
}

async function readMarker(installDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(installDir, markerFileName), 'utf8');
  } catch {
    return undefined;
  }
}
