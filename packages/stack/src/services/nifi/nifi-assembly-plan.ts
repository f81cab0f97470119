/** A Maven artifact, e.g. org.apache.nifi:nifi-framework-nar:2.3.0:nar. */
export interface MavenCoordinate {
  group: string;
  artifact: string;
  version: string;
  /** Maven type: jar (default), nar, zip … */
  type?: string;
}

export interface PackagedNarPlan {
  /** The NAR's own coordinates, as NiFi will report them in bundle metadata. */
  group: string;
  artifact: string;
  version: string;
  /** The NAR whose class loader is this one's parent (Nar-Dependency-* in the manifest). */
  parent: MavenCoordinate;
  /** Released jars whose runtime closure the NAR bundles, minus what the parent chain already has. */
  dependencies: MavenCoordinate[];
  /** The POM the NAR's module inherits from upstream: its dependency management pins the versions. */
  managedBy: MavenCoordinate;
}

const nifi = (artifact: string, type?: string): MavenCoordinate => ({ group: 'org.apache.nifi', artifact, version: nifiVersion, ...(type ? { type } : {}) });

/**
 * NiFi 2.3.0: the newest 2.x whose framework, Jetty and server NARs can be had from the Maven Central
 * the stack reaches (2.4 and later lack them there). Its binary zip is not on Maven Central at all.
 */
export const nifiVersion = '2.3.0';

/** What the stack assembles NiFi from. tools/lock-nifi.ts resolves it into locks/nifi-<version>.json. */
export const nifiAssemblyPlan = {
  version: nifiVersion,
  /** lib/: exactly the jars nifi-assembly's core.xml puts there, at the versions NiFi 2.3.0's POM pins. */
  lib: [
    { group: 'org.slf4j', artifact: 'slf4j-api', version: '2.0.17' },
    { group: 'org.slf4j', artifact: 'log4j-over-slf4j', version: '2.0.17' },
    { group: 'org.slf4j', artifact: 'jcl-over-slf4j', version: '2.0.17' },
    { group: 'org.slf4j', artifact: 'jul-to-slf4j', version: '2.0.17' },
    { group: 'ch.qos.logback', artifact: 'logback-classic', version: '1.5.17' },
    { group: 'ch.qos.logback', artifact: 'logback-core', version: '1.5.17' },
    { group: 'org.apache.nifi', artifact: 'nifi-api', version: '2.0.0' },
    nifi('nifi-framework-api'),
    nifi('nifi-nar-utils'),
    // nifi-per-process-group-logging is left out: it is not on Maven Central at 2.3.0 and only the
    // per-process-group log appender of the stock logback.xml uses it; the stack's logback.xml doesn't.
    nifi('nifi-properties'),
    nifi('nifi-property-utils'),
    nifi('nifi-python-framework-api'),
    nifi('nifi-runtime'),
    nifi('nifi-server-api'),
    nifi('nifi-stateless-api'),
  ],
  /** Released NARs, used as they are. */
  nars: [
    nifi('nifi-jetty-nar', 'nar'),
    nifi('nifi-framework-nar', 'nar'),
    nifi('nifi-server-nar', 'nar'),
    nifi('nifi-provenance-repository-nar', 'nar'),
    nifi('nifi-standard-services-api-nar', 'nar'),
    nifi('nifi-standard-shared-nar', 'nar'),
    nifi('nifi-record-serialization-services-nar', 'nar'),
    nifi('nifi-dbcp-service-nar', 'nar'),
    nifi('nifi-ssl-context-service-nar', 'nar'),
    nifi('nifi-http-context-map-nar', 'nar'),
    // StandardOauth2AccessTokenProvider: how compiled Airflow triggers get (and renew) Airflow tokens.
    nifi('nifi-oauth2-provider-nar', 'nar'),
  ],
  /** NARs missing from Maven Central at this version, packaged by the stack from their released jars. */
  packagedNars: [
    {
      group: 'org.apache.nifi',
      artifact: 'nifi-standard-nar',
      version: nifiVersion,
      parent: nifi('nifi-standard-shared-nar', 'nar'),
      managedBy: nifi('nifi-standard-bundle', 'pom'),
      dependencies: [
        nifi('nifi-standard-processors'),
        nifi('nifi-standard-reporting-tasks'),
        // nifi-standard-rules and nifi-standard-parameter-providers are not on Maven Central at 2.3.0.
      ],
    },
    {
      group: 'org.apache.nifi',
      artifact: 'nifi-update-attribute-nar',
      version: nifiVersion,
      parent: nifi('nifi-jetty-nar', 'nar'),
      managedBy: nifi('nifi-update-attribute-bundle', 'pom'),
      dependencies: [nifi('nifi-update-attribute-processor'), nifi('nifi-update-attribute-model')],
    },
  ] satisfies PackagedNarPlan[],
};
