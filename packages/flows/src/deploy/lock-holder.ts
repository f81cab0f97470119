// Who takes an apply lock, as the lock records it for the people who find it held: user, host, pid,
// the operation, and the CI run when the environment says there is one (its id and the URL of its log).
// Only these names are read from the environment; no other value of it ever goes into a lock.
import { hostname, userInfo } from 'node:os';

export interface CiRun {
  /** The CI system, e.g. "GitHub Actions". */
  system: string;
  runId?: string | undefined;
  url?: string | undefined;
}

export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  /** What the lock is taken for: `apply`, `destroy`, `plan --out`, … */
  operation: string;
  ci?: CiRun | undefined;
}

/** The holder this process is, for `operation`. */
export function currentHolder(operation: string, env: NodeJS.ProcessEnv = process.env): LockHolder {
  const ci = ciRun(env);
  return { user: currentUser(env), host: hostname(), pid: process.pid, operation, ...(ci ? { ci } : {}) };
}

function currentUser(env: NodeJS.ProcessEnv): string {
  const fromEnvironment = env['GITHUB_ACTOR'] ?? env['GITLAB_USER_LOGIN'] ?? env['USER'] ?? env['USERNAME'];
  if (fromEnvironment) return fromEnvironment;
  try {
    return userInfo().username;
  } catch {
    // A container user without a passwd entry has no name.
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * The CI run this process belongs to, from the variables each CI system documents. Why not a library:
 * ci-info names the system but not the run or its URL; env-ci has both but runs git for local builds —
 * we need three fields, read from a handful of documented variables.
 */
export function ciRun(env: NodeJS.ProcessEnv): CiRun | undefined {
  if (env['GITHUB_ACTIONS'] === 'true') {
    const runId = env['GITHUB_RUN_ID'];
    const attempt = env['GITHUB_RUN_ATTEMPT'];
    const url = runId && env['GITHUB_SERVER_URL'] && env['GITHUB_REPOSITORY'] ? `${env['GITHUB_SERVER_URL']}/${env['GITHUB_REPOSITORY']}/actions/runs/${runId}${attempt ? `/attempts/${attempt}` : ''}` : undefined;
    return { system: 'GitHub Actions', runId, url };
  }
  if (env['GITLAB_CI'] === 'true') return { system: 'GitLab CI', runId: env['CI_JOB_ID'] ?? env['CI_PIPELINE_ID'], url: env['CI_JOB_URL'] ?? env['CI_PIPELINE_URL'] };
  if (env['BUILDKITE'] === 'true') return { system: 'Buildkite', runId: env['BUILDKITE_BUILD_ID'], url: env['BUILDKITE_BUILD_URL'] };
  if (env['CIRCLECI'] === 'true') return { system: 'CircleCI', runId: env['CIRCLE_WORKFLOW_ID'] ?? env['CIRCLE_BUILD_NUM'], url: env['CIRCLE_BUILD_URL'] };
  if (env['TF_BUILD'] === 'True') {
    const buildId = env['BUILD_BUILDID'];
    const url = buildId && env['SYSTEM_COLLECTIONURI'] && env['SYSTEM_TEAMPROJECT'] ? `${env['SYSTEM_COLLECTIONURI']}${env['SYSTEM_TEAMPROJECT']}/_build/results?buildId=${buildId}` : undefined;
    return { system: 'Azure Pipelines', runId: buildId, url };
  }
  if (env['JENKINS_URL'] && env['BUILD_URL']) return { system: 'Jenkins', runId: env['BUILD_TAG'] ?? env['BUILD_ID'], url: env['BUILD_URL'] };
  if (env['CI'] === 'true' || env['CI'] === '1') return { system: 'CI' };
  return undefined;
}

/** One line for people: `alice@build-7 (pid 4242, apply, GitHub Actions run 123 https://…)`. */
export function describeHolder(holder: LockHolder): string {
  const ci = holder.ci ? `, ${holder.ci.system}${holder.ci.runId ? ` run ${holder.ci.runId}` : ''}${holder.ci.url ? ` ${holder.ci.url}` : ''}` : '';
  return `${holder.user}@${holder.host} (pid ${holder.pid}, ${holder.operation}${ci})`;
}
