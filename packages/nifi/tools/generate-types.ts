// Regenerates src/generated/nifi-api.ts from the OpenAPI spec that ships inside NiFi's own
// `nifi-web-api` war on Maven Central (docs/rest-api/swagger.json), pinned by version and SHA-256.
//   node tools/generate-types.ts           write the file
//   node tools/generate-types.ts --check   exit 1 when the committed file is stale (CI)
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import openapiTS, { astToString } from 'openapi-typescript';

/** The NiFi version the client is generated from; keep it equal to the stack's pinned NiFi. */
export const nifiApiVersion = '2.3.0';
const warSha256 = '6e3e83fb783da2c8081c86d0a9d2bea3cec2780c8fdbc341971238da55f561bd';
const specEntry = 'docs/rest-api/swagger.json';

export const generatedFile = join(import.meta.dirname, '..', 'src', 'generated', 'nifi-api.ts');

function mavenRepository(): string {
  return (process.env['DATAPLAT_MAVEN_REPOSITORY'] ?? 'https://repo1.maven.org/maven2').replace(/\/+$/, '');
}

function cacheDir(): string {
  return process.env['DATAPLAT_CACHE_DIR'] ?? join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'dataplat');
}

async function downloadWar(): Promise<Buffer> {
  const file = join(cacheDir(), 'downloads', `nifi-web-api-${nifiApiVersion}.war`);
  const cached = await readFile(file).catch(() => undefined);
  if (cached && sha256(cached) === warSha256) return cached;
  const url = `${mavenRepository()}/org/apache/nifi/nifi-web-api/${nifiApiVersion}/nifi-web-api-${nifiApiVersion}.war`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}`);
  const war = Buffer.from(await response.arrayBuffer());
  if (sha256(war) !== warSha256) throw new Error(`${url} does not have the pinned SHA-256 ${warSha256}`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.part`, war);
  await rename(`${file}.part`, file);
  return war;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
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

// NiFi's spec describes some query/path parameters by their Java wrapper classes (an object with one
// field), but on the wire they are plain values: `?version=3&clientId=abc`. Describe them as such.
const parameterWrappers: Record<string, { type: string; format?: string }> = {
  '#/components/schemas/LongParameter': { type: 'integer', format: 'int64' },
  '#/components/schemas/IntegerParameter': { type: 'integer', format: 'int32' },
  '#/components/schemas/ClientIdParameter': { type: 'string' },
  '#/components/schemas/DateTimeParameter': { type: 'string' },
  '#/components/schemas/BulletinBoardPatternParameter': { type: 'string' },
};

interface SpecParameter {
  schema?: { $ref?: string };
}
type Spec = { paths: Record<string, Record<string, { parameters?: SpecParameter[] }>> };

export function unwrapParameterSchemas(spec: Spec): Spec {
  for (const pathItem of Object.values(spec.paths)) {
    for (const operation of Object.values(pathItem)) {
      for (const parameter of operation.parameters ?? []) {
        const replacement = parameter.schema?.$ref ? parameterWrappers[parameter.schema.$ref] : undefined;
        if (replacement) parameter.schema = { ...replacement };
      }
    }
  }
  return spec;
}

export async function renderNifiTypes(): Promise<string> {
  const spec = unwrapParameterSchemas(JSON.parse(readZipEntry(await downloadWar(), specEntry).toString('utf8')) as Spec);
  const ast = await openapiTS(spec as unknown as Parameters<typeof openapiTS>[0], { alphabetize: true });
  const header = [
    '// Generated by packages/nifi/tools/generate-types.ts from the OpenAPI spec inside',
    `// org.apache.nifi:nifi-web-api:${nifiApiVersion}:war (${specEntry}), with query/path parameters that the spec`,
    '// describes as Java wrapper objects (LongParameter, ClientIdParameter, …) typed as the plain values NiFi reads.',
    '// Do not edit: run `pnpm --filter @dataplat/nifi generate`.',
    '',
  ].join('\n');
  return `${header}${astToString(ast)}`;
}

async function main(): Promise<void> {
  const rendered = await renderNifiTypes();
  if (process.argv.includes('--check')) {
    const committed = await readFile(generatedFile, 'utf8').catch(() => '');
    if (committed !== rendered) {
      console.error(`${generatedFile} is stale: run \`pnpm --filter @dataplat/nifi generate\` and commit the result.`);
      process.exit(1);
    }
    console.log(`${generatedFile} is up to date (NiFi ${nifiApiVersion}).`);
    return;
  }
  await mkdir(dirname(generatedFile), { recursive: true });
  await writeFile(generatedFile, rendered);
  console.log(`wrote ${generatedFile} (NiFi ${nifiApiVersion})`);
}

if (import.meta.main) await main();
