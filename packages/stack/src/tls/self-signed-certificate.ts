import { mkdir, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ServiceName } from '../config/stack-config.ts';
import { restrictFile } from '../install/private-files.ts';
import { runInstallCommand } from '../install/run-command.ts';
import type { JavaInstallation } from '../java/find-java.ts';

export interface SelfSignedCertificate {
  service: ServiceName;
  alias: string;
  /** PKCS12 keystore with the key pair, for the server. */
  keystore: string;
  /** The certificate as PEM, for clients to trust (verification stays on). */
  pem: string;
  keystorePassword: string;
}

/**
 * A self-signed server certificate for localhost/127.0.0.1 made with the JDK's keytool, once: a
 * PKCS12 keystore for the server and a PEM file for clients. Passwords travel in the environment
 * (-storepass:env), never on a command line or in an error message.
 */
export async function ensureSelfSignedCertificate(java: JavaInstallation, certificate: SelfSignedCertificate): Promise<{ created: boolean }> {
  const { keystore, pem } = certificate;
  const present = await Promise.all([keystore, pem].map((file) => stat(file).then(() => true, () => false)));
  // The keystore holds the private key: 0600 also when an older stack made it 0644 (the PEM is public).
  if (present.every(Boolean)) {
    await restrictFile(keystore);
    return { created: false };
  }
  await Promise.all([keystore, pem].map((file) => rm(file, { force: true })));
  await Promise.all([dirname(keystore), dirname(pem)].map((directory) => mkdir(directory, { recursive: true })));
  const keytool = join(java.home, 'bin', 'keytool');
  const env = { ...process.env, DATAPLAT_KEYSTORE_PASSWORD: certificate.keystorePassword };
  await runInstallCommand(certificate.service, keytool, [
    '-genkeypair', '-alias', certificate.alias, '-keyalg', 'RSA', '-keysize', '2048', '-validity', '825',
    '-dname', 'CN=localhost, OU=dataplat stack', '-ext', 'san=dns:localhost,ip:127.0.0.1',
    '-ext', 'eku=serverAuth,clientAuth', '-keystore', keystore, '-storetype', 'PKCS12',
    '-storepass:env', 'DATAPLAT_KEYSTORE_PASSWORD', '-keypass:env', 'DATAPLAT_KEYSTORE_PASSWORD',
  ], { env });
  await restrictFile(keystore);
  await runInstallCommand(certificate.service, keytool, ['-exportcert', '-rfc', '-alias', certificate.alias, '-keystore', keystore, '-storepass:env', 'DATAPLAT_KEYSTORE_PASSWORD', '-file', pem], { env });
  return { created: true };
}
