// Who a lock names as its holder: the CI run from each system's documented variables, and nothing else
// of the environment.
import { describe, expect, it } from 'vitest';
import { ciRun, currentHolder, describeHolder } from './lock-holder.ts';

describe('the holder an apply lock records', () => {
  it('names the GitHub Actions run with the URL of its attempt', () => {
    const env = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/flows', GITHUB_ACTOR: 'octo', GITHUB_TOKEN: 'secret-token' };
    const holder = currentHolder('apply', env);
    expect(holder).toMatchObject({ user: 'octo', pid: process.pid, operation: 'apply', ci: { system: 'GitHub Actions', runId: '42', url: 'https://github.com/acme/flows/actions/runs/42/attempts/2' } });
    expect(JSON.stringify(holder)).not.toContain('secret-token');
    expect(describeHolder(holder)).toMatch(/^octo@.+ \(pid \d+, apply, GitHub Actions run 42 https:\/\/github\.com\/acme\/flows\/actions\/runs\/42\/attempts\/2\)$/);
  });

  it('names GitLab, Jenkins and Azure runs, a bare CI, and no CI at all', () => {
    expect(ciRun({ GITLAB_CI: 'true', CI_JOB_ID: '7', CI_JOB_URL: 'https://gitlab.example/acme/flows/-/jobs/7' })).toEqual({ system: 'GitLab CI', runId: '7', url: 'https://gitlab.example/acme/flows/-/jobs/7' });
    expect(ciRun({ JENKINS_URL: 'https://ci/', BUILD_URL: 'https://ci/job/flows/9/', BUILD_TAG: 'jenkins-flows-9' })).toEqual({ system: 'Jenkins', runId: 'jenkins-flows-9', url: 'https://ci/job/flows/9/' });
    expect(ciRun({ TF_BUILD: 'True', BUILD_BUILDID: '5', SYSTEM_COLLECTIONURI: 'https://dev.azure.com/acme/', SYSTEM_TEAMPROJECT: 'data' })).toEqual({ system: 'Azure Pipelines', runId: '5', url: 'https://dev.azure.com/acme/data/_build/results?buildId=5' });
    expect(ciRun({ CI: 'true' })).toEqual({ system: 'CI' });
    expect(ciRun({})).toBeUndefined();
    expect(currentHolder('destroy', { USER: 'alice' })).toMatchObject({ user: 'alice', operation: 'destroy' });
  });
});
