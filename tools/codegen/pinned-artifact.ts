// Shared by the OpenAPI type generators: fetch a published artifact (a war from Maven Central, a wheel
// from PyPI) pinned by SHA-256 through the stack's verified download, and read one file out of it (both are zip archives).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { downloadVerified, resolveStackConfig } from '@dataplat/stack';

/** The artifact's bytes, from the stack's download cache when it holds the pinned SHA-256, else downloaded and verified. */
export async function pinnedArtifact(artifact: { url: string; sha256: string; fileName: string }): Promise<Buffer> {
  const destination = join(resolveStackConfig().cacheDir, 'downloads', artifact.fileName);
  await downloadVerified({ url: artifact.url, sha256: artifact.sha256, destination });
  return readFile(destination);
}

/** Reads one entry of a zip archive (stored or deflated) through its central directory. */
export function readZipEntry(archive: Buffer, entryName: string): Buffer {
  const endOfCentralDirectory = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfCentralDirectory < 0) throw new Error('not a zip archive');
  const entries = archive.readUInt16LE(endOfCentralDirectory + 10);
  let offset = archive.readUInt32LE(endOfCentralDirectory + 16);
  for (let index = 0; index < entries; index++) {
    const method = archive.readUInt16LE(offset + 10);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localHeader = archive.readUInt32LE(offset + 42);
    const name = archive.toString('utf8', offset + 46, offset + 46 + nameLength);
    if (name === entryName) {
      const dataStart = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
      const data = archive.subarray(dataStart, dataStart + compressedSize);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return inflateRawSync(data);
      throw new Error(`${entryName} uses unsupported zip compression method ${method}`);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${entryName} is not in the archive`);
}

/** `node generate-types.ts` writes the file; `--check` exits 1 when the committed file differs (stale). */
export async function writeOrCheck(file: string, rendered: string, regenerateCommand: string): Promise<void> {
  if (process.argv.includes('--check')) {
    const committed = await readFile(file, 'utf8').catch(() => '');
    if (committed !== rendered) {
      console.error(`${file} is stale: run \`${regenerateCommand}\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${file} is up to date.`);
    return;
  }
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, rendered);
  console.log(`wrote ${file}`);
}
