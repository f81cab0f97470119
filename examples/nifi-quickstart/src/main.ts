// Usage: pnpm --filter @dataplat-examples/nifi-quickstart start
// Talks to NIFI_URL (with NIFI_USERNAME/NIFI_PASSWORD and NIFI_CA_FILE for HTTPS), or else to the
// NiFi of a running local stack (`./with-node pnpm stack up nifi`).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createNifiClient } from '@dataplat/nifi';
import { readStackEndpoints } from '@dataplat/stack';
import { quickstart } from './quickstart.ts';

async function clientFromEnvironment() {
  const url = process.env['NIFI_URL'];
  if (url) {
    const username = process.env['NIFI_USERNAME'];
    const password = process.env['NIFI_PASSWORD'];
    const caFile = process.env['NIFI_CA_FILE'];
    return createNifiClient({
      baseUrl: url,
      ...(username && password ? { auth: { username, password } } : {}),
      ...(caFile ? { tls: { ca: await readFile(caFile, 'utf8') } } : {}),
    });
  }
  // pnpm runs this in the example's folder; the stack lives where the command was typed (the repo root).
  const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? '.dataplat/stack');
  const endpoints = await readStackEndpoints({ stateDir });
  if (!endpoints.nifi) throw new Error('Set NIFI_URL, or start the local stack: ./with-node pnpm stack up nifi');
  return createNifiClient({ baseUrl: endpoints.nifi.apiUrl });
}

const nifi = await clientFromEnvironment();
try {
  const report = await quickstart(nifi);
  console.log(`ran ${report.sources.join(', ')} once: ${report.flowFilesIn} flowfiles (${report.bytesIn} bytes) in ${report.durationMs} ms`);
  for (const processor of report.processors) {
    console.log(`  ${processor.name}: in ${processor.flowFilesIn}, out ${processor.flowFilesOut}, tasks ${processor.tasks}`);
  }
  console.log(`bulletins: ${report.bulletins.length}`);
} finally {
  await nifi.close();
}
