/**
 * Trino 476 is the newest server on Maven Central (later ones are published elsewhere).
 * The full tarball is used because the per-plugin zip of the PostgreSQL connector is not
 * on every Maven Central mirror; the install keeps only the plugins the stack configures.
 */
export const trinoDistribution = {
  version: '476',
  path: 'io/trino/trino-server/476/trino-server-476.tar.gz',
  sha256: 'cfd5accde17e8ebd251eeeb78aed1f490e77bb3a164d95a0f454bf8a7c1cbd3f',
  topFolder: 'trino-server-476',
  // geospatial provides the Geometry type the PostgreSQL connector binds (PostGIS columns);
  // spooling-filesystem writes spooled result segments to S3 (the spooling protocol);
  // password-authenticators reads the HTTPS port's password file.
  plugins: ['tpch', 'memory', 'postgresql', 'iceberg', 'geospatial', 'spooling-filesystem', 'password-authenticators'],
  minimumJava: 24,
} as const;
