// The unit tests of error paths a real server can't easily produce (expired tokens, 5xx, resets, vetoes) share one
// fixture: a fresh undici MockAgent per test, with no real network, checked for unused interceptors and closed after.
import { MockAgent } from 'undici';
import { afterEach, beforeEach } from 'vitest';

/** Registers the fixture for the calling test file; the returned function gives the running test's agent. */
export function useMockAgent(): () => MockAgent {
  let agent: MockAgent | undefined;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(async () => {
    const finished = agent!;
    agent = undefined;
    finished.assertNoPendingInterceptors();
    await finished.close();
  });
  return () => {
    if (!agent) throw new Error('useMockAgent(): the agent exists only while a test of the file runs.');
    return agent;
  };
}
