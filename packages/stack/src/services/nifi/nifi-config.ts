import type { StackConfig } from '../../config/stack-config.ts';

export type NifiMode = 'http' | 'https';

export interface NifiInstanceLayout {
  installDir: string;
  instanceDir: string;
  confDir: string;
  logsDir: string;
}

export interface NifiInstanceSecrets {
  /** Encrypts sensitive properties in flow.json.gz; fixed per instance so the flow survives restarts. */
  sensitivePropertiesKey: string;
  keystorePassword: string;
  truststorePassword: string;
}

export interface NifiPorts {
  web: number;
  management: number;
}

export function nifiPorts(config: StackConfig, mode: NifiMode): NifiPorts {
  return mode === 'http'
    ? { web: config.ports.nifi, management: config.ports.nifiManagement }
    : { web: config.ports.nifiHttps, management: config.ports.nifiHttpsManagement };
}

/**
 * nifi.properties for one standalone node. Plain HTTP means no authentication at all (NiFi grants
 * everyone everything over HTTP); HTTPS uses the stack's single-user login provider and authorizer.
 */
export function renderNifiProperties(mode: NifiMode, ports: NifiPorts, layout: NifiInstanceLayout, secrets: NifiInstanceSecrets): string {
  return serializeProperties(nifiProperties(mode, ports, layout, secrets));
}

/** `key=value` lines, in the record's order. */
export function serializeProperties(properties: Record<string, string>): string {
  return `${Object.entries(properties)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/** The entries of renderNifiProperties, for configurations that change a few of them (the cluster's nodes). */
export function nifiProperties(mode: NifiMode, ports: NifiPorts, layout: NifiInstanceLayout, secrets: NifiInstanceSecrets): Record<string, string> {
  const at = (relative: string) => `${layout.instanceDir}/${relative}`;
  return {
    'nifi.flow.configuration.file': `${layout.confDir}/flow.json.gz`,
    'nifi.flow.configuration.archive.enabled': 'false',
    'nifi.flow.configuration.archive.dir': `${layout.confDir}/archive/`,
    'nifi.flowcontroller.autoResumeState': 'true',
    'nifi.flowcontroller.graceful.shutdown.period': '10 sec',
    'nifi.flowservice.writedelay.interval': '500 ms',
    'nifi.administrative.yield.duration': '30 sec',
    'nifi.bored.yield.duration': '10 millis',
    'nifi.queue.backpressure.count': '10000',
    'nifi.queue.backpressure.size': '1 GB',
    'nifi.authorizer.configuration.file': `${layout.confDir}/authorizers.xml`,
    'nifi.login.identity.provider.configuration.file': `${layout.confDir}/login-identity-providers.xml`,
    'nifi.nar.library.directory': `${layout.installDir}/lib`,
    'nifi.nar.library.autoload.directory': at('extensions'),
    'nifi.nar.working.directory': at('work/nar/'),
    'nifi.nar.unpack.uber.jar': 'false',
    'nifi.upload.working.directory': at('work/uploads'),
    // Python processors stay off: no nifi.python.command.
    'nifi.python.framework.source.directory': at('python/framework'),
    'nifi.python.extensions.source.directory.default': at('python/extensions'),
    'nifi.python.working.directory': at('work/python'),
    'nifi.state.management.configuration.file': `${layout.confDir}/state-management.xml`,
    'nifi.state.management.provider.local': 'local-provider',
    'nifi.state.management.embedded.zookeeper.start': 'false',
    'nifi.database.directory': at('database_repository'),
    'nifi.flowfile.repository.implementation': 'org.apache.nifi.controller.repository.WriteAheadFlowFileRepository',
    'nifi.flowfile.repository.wal.implementation': 'org.apache.nifi.wali.SequentialAccessWriteAheadLog',
    'nifi.flowfile.repository.directory': at('flowfile_repository'),
    'nifi.flowfile.repository.checkpoint.interval': '20 secs',
    'nifi.flowfile.repository.always.sync': 'false',
    'nifi.flowfile.repository.retain.orphaned.flowfiles': 'true',
    'nifi.swap.manager.implementation': 'org.apache.nifi.controller.FileSystemSwapManager',
    'nifi.queue.swap.threshold': '20000',
    'nifi.content.repository.implementation': 'org.apache.nifi.controller.repository.FileSystemRepository',
    'nifi.content.claim.max.appendable.size': '50 KB',
    'nifi.content.repository.directory.default': at('content_repository'),
    'nifi.content.repository.archive.max.retention.period': '1 hour',
    'nifi.content.repository.archive.max.usage.percentage': '90%',
    'nifi.content.repository.archive.enabled': 'true',
    'nifi.content.repository.always.sync': 'false',
    'nifi.provenance.repository.implementation': 'org.apache.nifi.provenance.WriteAheadProvenanceRepository',
    'nifi.provenance.repository.directory.default': at('provenance_repository'),
    'nifi.provenance.repository.max.storage.time': '1 day',
    'nifi.provenance.repository.max.storage.size': '1 GB',
    'nifi.provenance.repository.rollover.time': '30 secs',
    'nifi.provenance.repository.rollover.size': '100 MB',
    'nifi.provenance.repository.query.threads': '2',
    'nifi.provenance.repository.index.threads': '1',
    'nifi.provenance.repository.compress.on.rollover': 'true',
    'nifi.provenance.repository.indexed.fields': 'EventType, FlowFileUUID, Filename, ProcessorID, Relationship',
    'nifi.provenance.repository.index.shard.size': '500 MB',
    'nifi.provenance.repository.always.sync': 'false',
    'nifi.provenance.repository.max.attribute.length': '65536',
    'nifi.provenance.repository.concurrent.merge.threads': '1',
    'nifi.provenance.repository.buffer.size': '100000',
    'nifi.components.status.repository.implementation': 'org.apache.nifi.controller.status.history.VolatileComponentStatusRepository',
    'nifi.components.status.repository.buffer.size': '1440',
    'nifi.components.status.snapshot.frequency': '1 min',
    'nifi.nar.persistence.provider.implementation': 'org.apache.nifi.nar.StandardNarPersistenceProvider',
    'nifi.nar.persistence.provider.properties.directory': at('nar_repository'),
    'nifi.asset.manager.implementation': 'org.apache.nifi.asset.StandardAssetManager',
    'nifi.asset.manager.properties.directory': at('assets'),
    'nifi.remote.input.host': '127.0.0.1',
    'nifi.remote.input.secure': String(mode === 'https'),
    'nifi.remote.input.socket.port': '',
    'nifi.remote.input.http.enabled': 'true',
    'nifi.web.http.host': mode === 'http' ? '127.0.0.1' : '',
    'nifi.web.http.port': mode === 'http' ? String(ports.web) : '',
    // HTTPS must be reached as "localhost" (NiFi checks SNI against the certificate), bound on loopback.
    'nifi.web.https.host': mode === 'https' ? 'localhost' : '',
    'nifi.web.https.port': mode === 'https' ? String(ports.web) : '',
    'nifi.web.https.application.protocols': 'h2 http/1.1',
    'nifi.web.jetty.working.directory': at('work/jetty'),
    'nifi.web.jetty.threads': '200',
    'nifi.web.max.header.size': '16 KB',
    'nifi.web.proxy.context.path': '',
    'nifi.web.proxy.host': '',
    'nifi.web.max.content.size': '',
    'nifi.web.max.requests.per.second': '30000',
    'nifi.web.max.access.token.requests.per.second': '25',
    'nifi.web.request.timeout': '60 secs',
    'nifi.web.should.send.server.version': 'true',
    'nifi.sensitive.props.key': secrets.sensitivePropertiesKey,
    'nifi.sensitive.props.algorithm': 'NIFI_PBKDF2_AES_GCM_256',
    'nifi.security.autoreload.enabled': 'false',
    'nifi.security.keystore': mode === 'https' ? `${layout.confDir}/keystore.p12` : '',
    'nifi.security.keystoreType': mode === 'https' ? 'PKCS12' : '',
    'nifi.security.keystorePasswd': mode === 'https' ? secrets.keystorePassword : '',
    'nifi.security.keyPasswd': mode === 'https' ? secrets.keystorePassword : '',
    'nifi.security.truststore': mode === 'https' ? `${layout.confDir}/truststore.p12` : '',
    'nifi.security.truststoreType': mode === 'https' ? 'PKCS12' : '',
    'nifi.security.truststorePasswd': mode === 'https' ? secrets.truststorePassword : '',
    'nifi.security.user.authorizer': mode === 'https' ? 'dataplat-single-user-authorizer' : '',
    'nifi.security.allow.anonymous.authentication': 'false',
    'nifi.security.user.login.identity.provider': mode === 'https' ? 'dataplat-single-user-provider' : '',
    'nifi.security.user.jws.key.rotation.period': 'PT1H',
    'nifi.cluster.is.node': 'false',
    'nifi.cluster.protocol.is.secure': 'false',
    'nifi.analytics.predict.enabled': 'false',
    'nifi.monitor.long.running.task.schedule': '',
    'nifi.monitor.long.running.task.threshold': '',
    'nifi.diagnostics.on.shutdown.enabled': 'false',
    'nifi.performance.tracking.percentage': '0',
  };
}

/** Where a clustered node keeps cluster-wide component state (ZooKeeperStateProvider). */
export interface NifiClusterStateProvider {
  connectString: string;
  rootNode: string;
}

/** The local state provider, and for a cluster node also `zk-provider` (its Connect String is not read from nifi.properties). */
export function renderStateManagement(instanceDir: string, cluster?: NifiClusterStateProvider): string {
  const clusterProvider = cluster
    ? `
  <cluster-provider>
    <id>zk-provider</id>
    <class>org.apache.nifi.controller.state.providers.zookeeper.ZooKeeperStateProvider</class>
    <property name="Connect String">${xml(cluster.connectString)}</property>
    <property name="Root Node">${xml(cluster.rootNode)}</property>
    <property name="Session Timeout">30 seconds</property>
    <property name="Access Control">Open</property>
  </cluster-provider>`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<stateManagement>
  <local-provider>
    <id>local-provider</id>
    <class>org.apache.nifi.controller.state.providers.local.WriteAheadLocalStateProvider</class>
    <property name="Directory">${xml(instanceDir)}/state/local</property>
    <property name="Always Sync">false</property>
    <property name="Partitions">16</property>
    <property name="Checkpoint Interval">2 mins</property>
  </local-provider>${clusterProvider}
</stateManagement>
`;
}

/** The stack's single-user plug-in (java/nifi-single-user): one login, all permissions. */
export function renderLoginIdentityProviders(username: string, passwordHash: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<loginIdentityProviders>
  <provider>
    <identifier>dataplat-single-user-provider</identifier>
    <class>dev.dataplat.nifi.singleuser.SingleUserLoginIdentityProvider</class>
    <property name="Username">${xml(username)}</property>
    <property name="Password Hash">${xml(passwordHash)}</property>
  </provider>
</loginIdentityProviders>
`;
}

export function renderAuthorizers(username: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<authorizers>
  <authorizer>
    <identifier>dataplat-single-user-authorizer</identifier>
    <class>dev.dataplat.nifi.singleuser.SingleUserAuthorizer</class>
    <property name="Identity">${xml(username)}</property>
  </authorizer>
</authorizers>
`;
}

/** Logs to standard output, which the stack writes to logs/nifi.log; request logs stay quiet. */
export function renderLogback(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<configuration scan="false">
  <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%date %level [%thread] %logger{40} %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.nifi" level="INFO"/>
  <logger name="org.apache.nifi.web.server.RequestLog" level="WARN"/>
  <logger name="org.apache.nifi.processors" level="WARN"/>
  <logger name="org.apache.nifi.controller.repository.StandardProcessSession" level="WARN"/>
  <logger name="org.eclipse.jetty" level="WARN"/>
  <logger name="org.springframework" level="WARN"/>
  <logger name="org.glassfish.jersey" level="WARN"/>
  <root level="INFO"><appender-ref ref="CONSOLE"/></root>
</configuration>
`;
}

/** Heap sizes as the JVM writes them (512m, 1g). */
export interface NifiHeap {
  initial: string;
  maximum: string;
}

export function nifiJvmArguments(ports: NifiPorts, layout: NifiInstanceLayout, heap: NifiHeap = { initial: '512m', maximum: '1g' }): string[] {
  return [
    `-Xms${heap.initial}`,
    `-Xmx${heap.maximum}`,
    '-Djava.awt.headless=true',
    '-Dsun.net.http.allowRestrictedHeaders=true',
    '-Djava.protocol.handler.pkgs=sun.net.www.protocol',
    '-Djavax.security.auth.useSubjectCredsOnly=true',
    '-Dcurator-log-only-first-connection-issue-as-error-level=true',
    // Lucene (provenance index) and NiFi's file channels use these JDK internals.
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    // What NiFi's bootstrap passes to the application process.
    `-Dorg.apache.nifi.bootstrap.config.log.dir=${layout.logsDir}`,
    `-Dnifi.properties.file.path=${layout.confDir}/nifi.properties`,
    `-Dorg.apache.nifi.management.server.address=127.0.0.1:${ports.management}`,
  ];
}

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
