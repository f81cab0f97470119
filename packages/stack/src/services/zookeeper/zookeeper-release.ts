// The ZooKeeper server the cluster profile runs, pinned jar by jar: ZooKeeper publishes no server
// distribution to Maven Central, so the stack puts its jars and their runtime dependencies on a class path.

export interface PinnedJar {
  /** Path under the Maven repository root. */
  path: string;
  sha256: string;
}

/**
 * org.apache.zookeeper:zookeeper 3.9.5 with its runtime dependencies as Maven resolves them
 * (`dependency:copy-dependencies -DincludeScope=runtime`), plus what its pom marks `provided` yet the
 * server needs: metrics-core (NoClassDefFoundError com/codahale/metrics/Reservoir without it) and
 * snappy-java; logback 1.3 (the version ZooKeeper builds with) is the slf4j 2 backend. Left out: the netty
 * tcnative/epoll natives (no TLS, the default NIO connection factory) and Jetty (AdminServer is off).
 */
export const zookeeperRelease = {
  version: '3.9.5',
  mainClass: 'org.apache.zookeeper.server.quorum.QuorumPeerMain',
  jars: [
    { path: 'org/apache/zookeeper/zookeeper/3.9.5/zookeeper-3.9.5.jar', sha256: '936d025db1a85f085edea25048c3f5b3de5fc29329c371a10925e3b78b0b38a0' },
    { path: 'org/apache/zookeeper/zookeeper-jute/3.9.5/zookeeper-jute-3.9.5.jar', sha256: 'abcbc7f9d6c493daa118da6fa3061a201e2c521217526e8535adfb56b629e52a' },
    { path: 'org/apache/yetus/audience-annotations/0.12.0/audience-annotations-0.12.0.jar', sha256: 'ffb101fc066360ff3c77457c927fd7967fb096a6ee9e046ab7071447d8208efc' },
    { path: 'commons-io/commons-io/2.17.0/commons-io-2.17.0.jar', sha256: '4aa4ca48f3dfd30b78220b7881d8cb93eac4093ec94361b6befa9487998a550b' },
    { path: 'io/netty/netty-buffer/4.1.130.Final/netty-buffer-4.1.130.Final.jar', sha256: '00a522b67ea35cb7b4dd9cf27f85c6c58f5e306785aa045302e5f6b2d4944a87' },
    { path: 'io/netty/netty-codec/4.1.130.Final/netty-codec-4.1.130.Final.jar', sha256: '52636bc29bd62120b97bbe5d1d21eab9b1cb2bef8efbb54d2221c5f3fa08d8cd' },
    { path: 'io/netty/netty-common/4.1.130.Final/netty-common-4.1.130.Final.jar', sha256: '53921f28dd5a352b1bed0e1cbcc54d013dc60ffebeae9b2b1e53eabef317e581' },
    { path: 'io/netty/netty-handler/4.1.130.Final/netty-handler-4.1.130.Final.jar', sha256: '98c78ec187ca30a4b9775bf6f632f5c9929db6bf06a60e6971f945813880ca0f' },
    { path: 'io/netty/netty-resolver/4.1.130.Final/netty-resolver-4.1.130.Final.jar', sha256: '48c5b218a89d184e1b601d46433957f515fcefdb4464182b1348bce4f5a18f35' },
    { path: 'io/netty/netty-transport/4.1.130.Final/netty-transport-4.1.130.Final.jar', sha256: '1bf573266d271f856705a9984d25449c56a1d73c02a16af12033ceccfe555dbb' },
    { path: 'io/netty/netty-transport-native-unix-common/4.1.130.Final/netty-transport-native-unix-common-4.1.130.Final.jar', sha256: 'cf5efc4168597d7cd14695b469418cac2a1134533f9a0c82ef0538d796fd39e1' },
    { path: 'org/slf4j/slf4j-api/2.0.13/slf4j-api-2.0.13.jar', sha256: 'e7c2a48e8515ba1f49fa637d57b4e2f590b3f5bd97407ac699c3aa5efb1204a9' },
    { path: 'ch/qos/logback/logback-classic/1.3.15/logback-classic-1.3.15.jar', sha256: '06c68fb7468143c3c6512d13bb8eb6676724b019330de3a5ab493e267dde2084' },
    { path: 'ch/qos/logback/logback-core/1.3.15/logback-core-1.3.15.jar', sha256: '90b72ec457f30f8f42a280a409ab2bc4499fec16983005d1d91015199be7047b' },
    { path: 'io/dropwizard/metrics/metrics-core/4.1.12.1/metrics-core-4.1.12.1.jar', sha256: 'cec34936faa625039f4e46123eccaa10a9eb9d9a40c6075830cd81330e259cf9' },
    { path: 'org/xerial/snappy/snappy-java/1.1.10.5/snappy-java-1.1.10.5.jar', sha256: '0f3f1857ed33116583f480b4df5c0218836c47bfbc9c6221c0d73f356decf37b' },
  ] satisfies PinnedJar[],
} as const;
