import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allServiceNames, assertServiceName, parseProfile, resolveStackConfig, serviceNames, clusterServiceNames, type ServiceName, type StackOptions } from '../config/stack-config.ts';
import { maskEndpointSecrets } from '../endpoint-secrets.ts';
import { StackError } from '../errors.ts';
import { getStackStatus, readStackEndpoints, startStack, stopStack } from '../stack.ts';
import type { StackEvent } from '../stack-events.ts';
import { environmentOf, formatDuration, formatEndpointsForHumans, formatEnvironment, formatEvent } from './format.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

export const usage = `Usage: dataplat-stack <command> [service…] [options]

Commands:
  up       install (cached) and start services, wait until ready, print endpoints
  down     stop services (data is kept)
  status   show which services run and are ready
  logs     print the log files of services
  env      print the running stack's addresses and logins as shell exports: eval "$(dataplat-stack env)"

Services: ${serviceNames.join(', ')} (default: all of these)
  cluster profile adds: ${clusterServiceNames.join(', ')}

Options:
  --dir <path>     stack state folder (default ./.dataplat/stack, env DATAPLAT_STACK_DIR)
  --cache <path>   download cache (default ~/.cache/dataplat, env DATAPLAT_CACHE_DIR)
  --dags <path>    Airflow DAG folder (default <dir>/airflow/dags, env DATAPLAT_AIRFLOW_DAGS)
  --load-dags <folder>
                   up: copy the folder's DAG files into the DAG folder and wait until Airflow lists
                   their DAGs (repeatable), e.g. --load-dags examples/dags for the examples' DAGs
  --profile <name> default, or cluster: also ZooKeeper, a 3-node NiFi cluster and a Trino coordinator
                   with one worker, beside the default services (up, status; down stops every profile)
  --json           machine-readable output only
  -h, --help       show this help

Exit codes: 0 success, 1 failure, 2 usage error.`;

/** Exit codes: 0 success, 1 a service failed, 2 usage error. */
export async function runStackCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        cache: { type: 'string' },
        dags: { type: 'string' },
        'load-dags': { type: 'string', multiple: true },
        profile: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`${(error as Error).message}\n\n${usage}\n`);
    return 2;
  }
  const [command, ...serviceArguments] = parsed.positionals;
  if (parsed.values.help || !command) {
    (parsed.values.help ? io.stdout : io.stderr).write(`${usage}\n`);
    return parsed.values.help ? 0 : 2;
  }
  const json = parsed.values.json;
  const loadDags = parsed.values['load-dags'] ?? [];
  if (loadDags.length > 0 && command !== 'up') {
    io.stderr.write(`--load-dags is an option of up, not of ${command}.\n\n${usage}\n`);
    return 2;
  }
  try {
    const services: ServiceName[] | undefined =
      serviceArguments.length > 0 ? serviceArguments.map((name) => assertServiceName(name, 'the command line')) : undefined;
    const options: StackOptions = {
      services,
      stateDir: parsed.values.dir,
      cacheDir: parsed.values.cache,
      dagsFolder: parsed.values.dags,
      profile: parseProfile(parsed.values.profile, '--profile'),
    };
    const onEvent = json ? undefined : (event: StackEvent) => {
      const line = formatEvent(event, io.isTTY);
      if (line) io.stderr.write(`${line}\n`);
    };
    switch (command) {
      case 'up': {
        const stack = await startStack({ ...options, loadDags, onEvent });
        if (json) {
          io.stdout.write(`${JSON.stringify({ stateDir: stack.config.stateDir, timings: stack.timings, loadedDags: stack.loadedDags, endpoints: maskEndpointSecrets(stack.endpoints) }, null, 2)}\n`);
        } else {
          const total = Math.max(...stack.timings.map((timing) => timing.totalMs));
          io.stdout.write(`\nStack ready in ${formatDuration(total)} (state in ${stack.config.stateDir}):\n${formatEndpointsForHumans(stack.endpoints)}\n`);
        }
        return 0;
      }
      case 'down': {
        await stopStack({ ...options, onEvent });
        if (json) io.stdout.write(`${JSON.stringify({ stopped: services ?? allServiceNames })}\n`);
        return 0;
      }
      case 'status': {
        const statuses = await getStackStatus(options);
        if (json) io.stdout.write(`${JSON.stringify(statuses, null, 2)}\n`);
        else for (const status of statuses) io.stdout.write(`${status.service.padEnd(13)} ${status.state}\n`);
        return statuses.every((status) => status.state !== 'starting-or-unhealthy') ? 0 : 1;
      }
      case 'logs': {
        const config = resolveStackConfig(options);
        for (const service of config.services) {
          const logsDir = join(config.stateDir, service, 'logs');
          const files = (await readdir(logsDir).catch(() => [] as string[])).filter((name) => name.endsWith('.log')).sort();
          for (const name of files) {
            const file = join(logsDir, name);
            io.stdout.write(`==> ${file} <==\n`);
            await new Promise<void>((resolvePromise, reject) => {
              const stream = createReadStream(file);
              stream.on('end', resolvePromise).on('error', reject);
              stream.pipe(io.stdout, { end: false });
            });
          }
        }
        return 0;
      }
      case 'env': {
        const endpoints = await readStackEndpoints(options);
        io.stdout.write(json ? `${JSON.stringify(Object.fromEntries(environmentOf(endpoints)), null, 2)}\n` : formatEnvironment(endpoints));
        return 0;
      }
      default:
        io.stderr.write(`Unknown command "${command}".\n\n${usage}\n`);
        return 2;
    }
  } catch (error) {
    if (json) {
      const payload = StackError.isInstance(error)
        ? { error: { code: error.code, message: error.message, service: error.service } }
        : { error: { code: 'UNEXPECTED', message: String(error) } };
      io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
    } else {
      io.stderr.write(`\nerror${StackError.isInstance(error) ? ` [${error.code}]` : ''}: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return StackError.isInstance(error) && error.code === 'STACK_CONFIG_INVALID' ? 2 : 1;
  }
}
