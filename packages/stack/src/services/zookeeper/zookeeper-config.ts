// What the cluster profile's ZooKeeper is told: zoo.cfg (standalone, loopback client port, AdminServer off), its logging, its JVM options.
import type { StackConfig } from '../../config/stack-config.ts';

/**
 * A standalone server: no `server.N` lines, so QuorumPeerMain runs ZooKeeperServerMain. The client port is
 * bound to 127.0.0.1 only, and the AdminServer (Jetty on 0.0.0.0:8080 by default) is off.
 */
export function renderZooConfig(config: StackConfig, dataDir: string): string {
  return [
    'tickTime=2000',
    `dataDir=${dataDir}`,
    `clientPort=${config.ports.zookeeper}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=60',
    'admin.enableServer=false',
    // `srvr` is the readiness probe; nothing else is needed.
    '4lw.commands.whitelist=srvr',
    // Keep the snapshot folder small on a long-lived test stack.
    'autopurge.snapRetainCount=3',
    'autopurge.purgeInterval=1',
    '',
  ].join('\n');
}

/** The connect string the NiFi nodes use. */
export function zookeeperConnectString(config: StackConfig): string {
  return `127.0.0.1:${config.ports.zookeeper}`;
}

/** Logs to standard output, which the stack writes to logs/zookeeper.log. */
export function renderZookeeperLogback(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<configuration scan="false">
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%date %level [%thread] %logger{40} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="CONSOLE"/></root>
</configuration>
`;
}

export function zookeeperJvmArguments(logbackFile: string): string[] {
  return ['-Xms64m', '-Xmx256m', '-XX:+UseSerialGC', '-Djava.awt.headless=true', `-Dlogback.configurationFile=${logbackFile}`, '-Dzookeeper.admin.enableServer=false'];
}
