import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Secrets a service generates once and must keep (JWT signing keys, keystore passwords, the key that
 * encrypts NiFi's sensitive properties): read from a 0600 JSON file, or generated and written there.
 */
export async function loadOrCreateSecrets<T extends object>(file: string, generate: () => T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    const secrets = generate();
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    return secrets;
  }
}
