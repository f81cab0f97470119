import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findJava, parseJavaMajor } from './find-java.ts';

async function fakeJavaHome(version: string, withJavac: boolean): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), `jdk-${version}-`));
  await mkdir(join(home, 'bin'));
  await writeFile(join(home, 'release'), `JAVA_VERSION="${version}"\n`);
  await writeFile(join(home, 'bin', 'java'), '');
  if (withJavac) await writeFile(join(home, 'bin', 'javac'), '');
  return home;
}

describe('findJava', () => {
  it('parses Java versions of every era', () => {
    expect(parseJavaMajor('25.0.3')).toBe(25);
    expect(parseJavaMajor('17.0.15')).toBe(17);
    expect(parseJavaMajor('1.8.0_402')).toBe(8);
    expect(parseJavaMajor('26-ea')).toBe(26);
  });

  it('accepts an explicit JDK that is new enough', async () => {
    const home = await fakeJavaHome('25.0.3', true);
    const java = await findJava([{ minimumMajor: 24, neededBy: 'Trino 476' }], home, {});
    expect(java).toMatchObject({ home, major: 25, javac: join(home, 'bin', 'javac') });
  });

  it('names what is missing when the Java is too old or lacks javac', async () => {
    const old = await fakeJavaHome('17.0.15', true);
    await expect(findJava([{ minimumMajor: 24, neededBy: 'Trino 476' }], old, {})).rejects.toMatchObject({
      code: 'STACK_JAVA_NOT_FOUND',
      message: expect.stringMatching(/Trino 476 needs Java 24\+[\s\S]*too old, need 24\+[\s\S]*DATAPLAT_JAVA_HOME/),
    });
    const jre = await fakeJavaHome('25.0.3', false);
    await expect(findJava([{ minimumMajor: 21, neededBy: 'NiFi 2', needsCompiler: true }], jre, {})).rejects.toMatchObject({
      message: expect.stringContaining('a JRE without javac, need a JDK'),
    });
  });
});
