import { createHash } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downloadVerified } from './verified-download.ts';

const origin = 'https://maven.test';
const content = Buffer.from('a jar, as far as this test cares');
const sha256 = createHash('sha256').update(content).digest('hex');

describe('downloadVerified (error paths, with undici MockAgent)', () => {
  let agent: MockAgent;
  let directory: string;

  beforeEach(async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    directory = await mkdtemp(join(tmpdir(), 'dataplat-download-'));
  });
  afterEach(() => agent.close());

  it('retries a 503 and then stores the verified file', async () => {
    const pool = agent.get(origin);
    pool.intercept({ path: '/a.jar' }).reply(503, 'busy');
    pool.intercept({ path: '/a.jar' }).reply(200, content);
    const destination = join(directory, 'a.jar');
    expect(await downloadVerified({ url: `${origin}/a.jar`, sha256, destination, dispatcher: agent, retryDelayMs: 1 })).toEqual({ downloaded: true });
    expect(await readFile(destination)).toEqual(content);
    // A second call finds the verified file and downloads nothing (no interceptor is left).
    expect(await downloadVerified({ url: `${origin}/a.jar`, sha256, destination, dispatcher: agent })).toEqual({ downloaded: false });
  });

  it('refuses a file whose hash differs and leaves nothing behind', async () => {
    agent.get(origin).intercept({ path: '/b.jar' }).reply(200, 'tampered');
    const destination = join(directory, 'b.jar');
    await expect(downloadVerified({ url: `${origin}/b.jar`, sha256, destination, dispatcher: agent })).rejects.toMatchObject({ code: 'STACK_CHECKSUM_MISMATCH' });
    await expect(stat(destination)).rejects.toThrow();
    await expect(stat(`${destination}.part`)).rejects.toThrow();
  });

  it('says which artifact is missing on a 404, without retrying', async () => {
    agent.get(origin).intercept({ path: '/c.jar' }).reply(404, 'not here');
    await expect(downloadVerified({ url: `${origin}/c.jar`, sha256, destination: join(directory, 'c.jar'), dispatcher: agent })).rejects.toMatchObject({
      code: 'STACK_DOWNLOAD_FAILED',
      message: expect.stringContaining(`${origin}/c.jar does not exist`),
    });
  });

  it('gives up after the configured attempts on connection errors', async () => {
    const pool = agent.get(origin);
    pool.intercept({ path: '/d.jar' }).replyWithError(new Error('socket hang up')).times(2);
    await expect(
      downloadVerified({ url: `${origin}/d.jar`, sha256, destination: join(directory, 'd.jar'), dispatcher: agent, attempts: 2, retryDelayMs: 1 }),
    ).rejects.toMatchObject({ code: 'STACK_DOWNLOAD_FAILED' });
  });
});
