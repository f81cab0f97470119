// The command with which the stack's Airflow workers run this checkout's flows CLI (it goes into the
// generated extract DAG with flows dag --flows-command; a deployment would use `flows` or npx).
import { join } from 'node:path';

/** How Airflow's workers run the flows CLI of this checkout, quoted for Python's shlex.split. */
export function checkoutFlowsCommand(): string {
  const cli = join(import.meta.dirname, '..', '..', '..', 'packages', 'flows', 'src', 'cli', 'main.ts');
  return [process.execPath, '--conditions=@dataplat/source', cli].map(shellWord).join(' ');
}

/** One word for a POSIX shell (and shlex): bare when it is plainly safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}
