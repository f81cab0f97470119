import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sleep } from '@dataplat/core';
import { request, type Dispatcher } from 'undici';
import { StackError } from '../errors.ts';

export interface VerifiedDownload {
  url: string;
  /** Expected SHA-256 of the file, lowercase hex. */
  sha256: string;
  destination: string;
  /** For tests: an undici MockAgent. */
  dispatcher?: Dispatcher | undefined;
  attempts?: number | undefined;
  retryDelayMs?: number | undefined;
}

/**
 * Downloads a file unless it is already present with the right SHA-256, verifying the hash while streaming.
 * The file appears at its destination only once verified (written to `.part`, then renamed), so a
 * half-finished or corrupted download is never mistaken for a cached one.
 */
export async function downloadVerified(download: VerifiedDownload): Promise<{ downloaded: boolean }> {
  const { url, sha256, destination } = download;
  if (await fileHasSha256(destination, sha256)) return { downloaded: false };
  await mkdir(dirname(destination), { recursive: true });

  const attempts = download.attempts ?? 4;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await downloadOnce(download);
      return { downloaded: true };
    } catch (error) {
      lastError = error;
      const retryable = !(StackError.isInstance(error) && error.code === 'STACK_CHECKSUM_MISMATCH') && isRetryable(error);
      if (!retryable || attempt === attempts) break;
      await sleep((download.retryDelayMs ?? 1000) * 2 ** (attempt - 1));
    }
  }
  if (StackError.isInstance(lastError)) throw lastError;
  throw new StackError({
    code: 'STACK_DOWNLOAD_FAILED',
    message: `Could not download ${url}: ${describe(lastError)}`,
    hint: 'Check that the machine reaches the registry, or point DATAPLAT_MAVEN_REPOSITORY at a mirror.',
    cause: lastError,
  });
}

class HttpStatusError extends Error {
  readonly status: number;
  constructor(status: number, url: string) {
    super(`HTTP ${status} for ${url}`);
    this.status = status;
  }
}

async function downloadOnce({ url, sha256, destination, dispatcher }: VerifiedDownload): Promise<void> {
  const partFile = `${destination}.part`;
  const response = await request(url, { method: 'GET', ...(dispatcher ? { dispatcher } : {}) });
  if (response.statusCode !== 200) {
    await response.body.dump();
    const error = new HttpStatusError(response.statusCode, url);
    if (response.statusCode === 404) {
      throw new StackError({
        code: 'STACK_DOWNLOAD_FAILED',
        message: `${url} does not exist (HTTP 404).`,
        hint: 'The pinned artifact is missing from this repository; point DATAPLAT_MAVEN_REPOSITORY at one that has it.',
        cause: error,
      });
    }
    throw error;
  }
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response.body, hashing, createWriteStream(partFile));
  } catch (error) {
    await rm(partFile, { force: true });
    throw error;
  }
  const actual = hash.digest('hex');
  if (actual !== sha256.toLowerCase()) {
    await rm(partFile, { force: true });
    throw new StackError({
      code: 'STACK_CHECKSUM_MISMATCH',
      message: `SHA-256 of ${url} is ${actual}, expected ${sha256}.`,
      hint: 'The repository served a different file than the one pinned in the lock; do not use this mirror.',
    });
  }
  await rename(partFile, destination);
}

export async function fileHasSha256(path: string, sha256: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
  } catch {
    return false;
  }
  return (await sha256OfFile(path)) === sha256.toLowerCase();
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

function isRetryable(error: unknown): boolean {
  if (StackError.isInstance(error)) return false;
  if (error instanceof HttpStatusError) return error.status === 429 || error.status >= 500;
  return true; // connection resets, timeouts, DNS hiccups
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
