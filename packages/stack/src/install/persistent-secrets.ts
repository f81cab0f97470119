import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { restrictFile, writePrivateFile } from './private-files.ts';

/**
 * Secrets a service generates once and must keep (JWT signing keys, keystore passwords, the key that
 * encrypts NiFi's sensitive properties): read from a 0600 JSON file, or generated and written there.
 * Secrets added in a newer version are generated and added to an existing file; existing ones are kept.
 */
export async function loadOrCreateSecrets<T extends object>(file: string, generate: () => T): Promise<T> {
  let existing: Partial<T> = {};
  try {
    existing = JSON.parse(await readFile(file, 'utf8')) as Partial<T>;
  } catch {
    // first start: nothing kept yet
  }
  const generated = generate();
  if (Object.keys(generated).every((key) => key in existing)) {
    // Kept as it is, but never readable by others (a file from an older stack may be 0644).
    await restrictFile(file);
    return existing as T;
  }
  const secrets = { ...generated, ...existing };
  await mkdir(dirname(file), { recursive: true });
  await writePrivateFile(file, `${JSON.stringify(secrets, null, 2)}\n`);
  return secrets;
}
