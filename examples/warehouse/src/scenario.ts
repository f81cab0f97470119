// Scenario 2, the nightly warehouse load, on real servers: the shop's operational tables in PostgreSQL,
// the NiFi extract flow applied from flows/, one run of the Airflow DAG dataplat_nightly_warehouse
// (Airflow runs the NiFi flow once, then Trino builds the Iceberg star schema and checks the counts), and
// the dashboard queries through @dataplat/trino.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { applyExampleFlow, askTwice, flowsDir, registerTrinoInAirflow, waitForDag, type DashboardQuestion, type StackClients } from '@dataplat-examples/shared';
import { checkoutFlowsCommand } from './flows-command.ts';
import type { DagRun } from '@dataplat/airflow';
import { generateAirflowDag, listManagedFlows, loadFlowFile } from '@dataplat/flows';
import type pg from 'pg';
import { generateShop, type ShopData, type ShopOptions } from './generate-shop.ts';

export const flowFile = join(flowsDir, 'warehouse-extract.yaml');
export const nightlyDag = 'dataplat_nightly_warehouse';
export const extractDag = 'nifi_flow_warehouse_extract';

export interface WarehouseScenarioOptions {
  stack: StackClients;
  /** How Airflow's workers run the flows CLI. Default: this checkout's (checkoutFlowsCommand). */
  flowsCommand?: string | undefined;
  data?: ShopOptions | undefined;
  onProgress?: ((step: string) => void) | undefined;
}

/** A dashboard question with its rows and its cold (first) and warm (second) latency. */
export type DashboardQuery = DashboardQuestion;

export interface WarehouseScenarioReport {
  generated: ShopData;
  dagRun: DagRun;
  /** What check_counts found (its XCom). */
  counts: Record<string, number>;
  dashboard: DashboardQuery[];
}

export async function runWarehouseScenario(options: WarehouseScenarioOptions): Promise<WarehouseScenarioReport> {
  const progress = options.onProgress ?? (() => undefined);
  const { nifi, airflow, trino, postgres, secrets, endpoints } = options.stack;
  const generated = generateShop(options.data);

  progress(`PostgreSQL: the shop database (${generated.customers.length} customers, ${generated.products.length} products, ${generated.orders.length} orders), staging emptied`);
  await postgres.query(await readFile(join(import.meta.dirname, 'schema.sql'), 'utf8'));
  await postgres.query('TRUNCATE shop.orders, shop.customers, shop.products CASCADE; TRUNCATE staging.orders, staging.customers, staging.products');
  await insertShop(postgres, generated);

  progress('NiFi: flows apply flows/warehouse-extract.yaml');
  await applyExampleFlow(nifi, basename(flowFile), { env: secrets });
  // A clean run starts from the beginning: forget the max updated_at each extract remembers.
  const managed = (await listManagedFlows(nifi)).find((entry) => entry.flow === 'warehouse-extract')!;
  for (const processor of (await nifi.processGroups.tree(managed.groupId)).contents.processors) {
    if (processor.component?.type?.endsWith('QueryDatabaseTableRecord')) await nifi.processors.clearState(processor.id!);
  }

  progress('Airflow: connections nifi_default and trino_default, the extract DAG with this checkout\'s flows command, DAGs unpaused');
  // Airflow runs on the same machine as the stack: it reaches NiFi and Trino where we do.
  await airflow.connections.set({ connection_id: 'nifi_default', conn_type: 'http', host: endpoints.nifi!.apiUrl });
  await registerTrinoInAirflow(options.stack);
  // The extract DAG carries the command that runs the flows CLI (no Airflow Variable can change it): the
  // committed file runs `flows` from PATH; here the workers run this checkout's CLI, so the stack's copy of
  // the DAG is regenerated with that command (same tasks; the workers read the file when the task runs).
  const extractFlow = loadFlowFile(basename(flowFile), await readFile(flowFile, 'utf8')).flows[0]!;
  const extractSource = generateAirflowDag(extractFlow.name, { description: extractFlow.description, flowsCommand: options.flowsCommand ?? checkoutFlowsCommand() });
  await writeFile(join(endpoints.airflow!.dagsFolder, `${extractDag}.py`), extractSource);
  await waitForDag(airflow, extractDag);
  await waitForDag(airflow, nightlyDag);
  await airflow.setDagPaused(extractDag, false);

  progress(`Airflow: running ${nightlyDag} (extract with NiFi → star schema with Trino → count checks)`);
  const dagRun = await airflow.runDag(nightlyDag, { unpause: true, waitTimeoutMs: 600_000, pollIntervalMs: 1000 });
  const counts = (await airflow.getXCom(nightlyDag, dagRun.dag_run_id, 'check_counts')) as Record<string, number>;

  progress('Trino: the dashboard, each question asked twice (cold, then warm)');
  const dashboard: DashboardQuery[] = [];
  for (const [name, sql] of dashboardQueries) dashboard.push(await askTwice(trino, name, sql));
  return { generated, dagRun, counts, dashboard };
}

/** The dashboard's questions, over the star schema. */
export const dashboardQueries: Array<[string, string]> = [
  [
    'revenue by month',
    `SELECT d.year, d.month, sum(f.revenue) AS revenue, count(*) AS orders
     FROM iceberg.warehouse.fact_orders f JOIN iceberg.warehouse.dim_date d ON d.date_key = f.date_key
     WHERE f.status <> 'cancelled' GROUP BY d.year, d.month ORDER BY d.year, d.month`,
  ],
  [
    'top products',
    `SELECT p.name, p.category, sum(f.revenue) AS revenue
     FROM iceberg.warehouse.fact_orders f JOIN iceberg.warehouse.dim_product p ON p.product_key = f.product_key
     WHERE f.status <> 'cancelled' GROUP BY p.name, p.category ORDER BY revenue DESC, p.name LIMIT 5`,
  ],
  [
    'revenue by country and segment',
    `SELECT c.country, c.segment, sum(f.revenue) AS revenue, count(DISTINCT c.customer_key) AS customers
     FROM iceberg.warehouse.fact_orders f JOIN iceberg.warehouse.dim_customer c ON c.customer_key = f.customer_key
     WHERE f.status <> 'cancelled' GROUP BY c.country, c.segment ORDER BY revenue DESC`,
  ],
  ['order status', `SELECT status, count(*) AS orders, round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS share FROM iceberg.warehouse.fact_orders GROUP BY status ORDER BY orders DESC`],
];

async function insertShop(postgres: pg.Client, data: ShopData): Promise<void> {
  // Bulk inserts through unnest: one statement per table, whatever the size.
  await postgres.query(
    'INSERT INTO shop.customers SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])',
    columns(data.customers, ['customer_id', 'name', 'email', 'country', 'segment', 'updated_at']),
  );
  await postgres.query(
    'INSERT INTO shop.products SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::numeric[], $5::timestamptz[])',
    columns(data.products, ['product_id', 'name', 'category', 'unit_price', 'updated_at']),
  );
  await postgres.query(
    'INSERT INTO shop.orders SELECT * FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::numeric[], $6::text[], $7::timestamptz[], $8::timestamptz[])',
    columns(data.orders, ['order_id', 'customer_id', 'product_id', 'quantity', 'unit_price', 'status', 'ordered_at', 'updated_at']),
  );
}

function columns<Row>(rows: Row[], names: Array<keyof Row>): unknown[][] {
  return names.map((name) => rows.map((row) => row[name]));
}
