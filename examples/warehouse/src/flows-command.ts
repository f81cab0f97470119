import { join } from 'node:path';

/** How Airflow's workers run the flows CLI of this checkout (a deployment would use `flows` or npx). */
export function checkoutFlowsCommand(): string {
  const cli = join(import.meta.dirname, '..', '..', '..', 'packages', 'flows', 'src', 'cli', 'main.ts');
  return `${process.execPath} --conditions=@dataplat/source ${cli}`;
}
