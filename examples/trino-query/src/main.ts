// Usage: pnpm --filter @dataplat-examples/trino-query start [segment]
// Talks to TRINO_URL (TRINO_USER), or else to the Trino of a running local stack (`./with-node pnpm stack up trino`).
import { resolve } from 'node:path';
import { readStackEndpoints } from '@dataplat/stack';
import { createTrinoClient } from '@dataplat/trino';
import { topCustomers } from './top-customers.ts';

async function serverFromEnvironment() {
  if (process.env['TRINO_URL']) return { url: process.env['TRINO_URL'], user: process.env['TRINO_USER'] ?? process.env['USER'] ?? 'dataplat' };
  // pnpm runs this in the example's folder; the stack lives where the command was typed (the repo root).
  const stateDir = resolve(process.env['INIT_CWD'] ?? process.cwd(), process.env['DATAPLAT_STACK_DIR'] ?? '.dataplat/stack');
  const endpoints = await readStackEndpoints({ stateDir });
  if (!endpoints.trino) throw new Error('Set TRINO_URL, or start the local stack: ./with-node pnpm stack up trino');
  return endpoints.trino;
}

const server = await serverFromEnvironment();
const trino = createTrinoClient({ server: server.url, user: server.user });
try {
  for (const customer of await topCustomers(trino, process.argv[2] ?? 'BUILDING', 5)) {
    console.log(`${customer.name}\t${customer.orders} orders\t${customer.revenue}`);
  }
} finally {
  await trino.close();
}
