// Files and folders only the stack's user may read: secrets, keystores, configuration with passwords,
// the services' data and logs. `writeFile(…, { mode })` sets a mode only when it creates the file, so an
// existing file kept its old 0644 (issue 14, finding 10): the mode is always set explicitly here.
import { chmod, mkdir, writeFile } from 'node:fs/promises';

export const privateFileMode = 0o600;
export const privateDirectoryMode = 0o700;

/** Writes the file and makes it 0600, whatever mode an existing file had. */
export async function writePrivateFile(file: string, content: string | Uint8Array): Promise<void> {
  await writeFile(file, content, { mode: privateFileMode });
  await chmod(file, privateFileMode);
}

/** Makes an existing file 0600 (a keystore made by keytool, a truststore). */
export async function restrictFile(file: string): Promise<void> {
  await chmod(file, privateFileMode);
}

/**
 * Creates the folder if needed and makes it 0700, so what the service writes inside — NiFi's repositories,
 * logs and state, with the 0644 files its umask gives them — cannot be read by other users.
 */
export async function privateDirectory(directory: string): Promise<void> {
  await mkdir(directory, { recursive: true, mode: privateDirectoryMode });
  await chmod(directory, privateDirectoryMode);
}
