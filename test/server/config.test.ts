import { test } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { ConfigError, parseConfig } from '../../src/config';
import { defaultMaxConnections } from '../../src/server/connection-limits';

const HASH = '$2b$10$' + 'a'.repeat(53);

test('defaults', () => {
  assert.deepEqual(parseConfig([], {}), {
    host: '0.0.0.0', port: 8443, dataDir: './data', storageUrl: undefined, readReplicas: [], readReplicaMaxLagMs: 1000, maxSnapshotMs: 2000,
    rootSecrets: ['secret'], rootSecretHashes: [], bcryptCost: 10,
    workers: Math.max(4, availableParallelism() * 2), workerMemoryMb: 512, workerIdleMs: 300_000, clientConcurrency: undefined,
    limits: {
      sniffTimeoutMs: 10_000, headersTimeoutMs: 20_000, bodyTimeoutMs: 60_000, idleTimeoutMs: 75_000,
      maxStreamsPerConnection: 100, maxConnectionsPerAddress: 256, maxConnections: defaultMaxConnections(), bodyBufferBytes: 128 * 1024 * 1024,
      responseBufferBytes: 512 * 1024 * 1024,
    },
    publicMetrics: false,
    allowPrivateJwks: false,
    streamStatusIntervalMs: 300_000,
    maxStreams: 20_000,
    maxStreamsPerAddress: 1_000,
    maxStreamBufferMb: 256,
    maxQueryTimeoutMs: 600_000,
  });
});

test('--allow-private-jwks, --max-streams, --max-streams-per-address', () => {
  const parsed = (argv: string[], env: Record<string, string> = {}) => {
    const c = parseConfig(argv, env);
    assert.ok(c !== 'help');
    return c;
  };
  assert.equal(parsed(['--allow-private-jwks']).allowPrivateJwks, true);
  assert.equal(parsed([], { ALLOW_PRIVATE_JWKS: 'true' }).allowPrivateJwks, true);
  assert.equal(parsed(['--allow-private-jwks=false'], { ALLOW_PRIVATE_JWKS: '1' }).allowPrivateJwks, false);
  assert.equal(parsed(['--max-streams', '50']).maxStreams, 50);
  assert.equal(parsed([], { MAX_STREAMS_PER_ADDRESS: '7' }).maxStreamsPerAddress, 7);
  assert.throws(() => parseConfig(['--max-streams-per-address', '0'], {}), /max-streams-per-address/);
  assert.equal(parsed(['--max-stream-buffer-mb', '64']).maxStreamBufferMb, 64);
  assert.equal(parsed([], { MAX_STREAM_BUFFER_MB: '32' }).maxStreamBufferMb, 32);
  assert.throws(() => parseConfig(['--max-stream-buffer-mb', '0'], {}), /max-stream-buffer-mb/);
  assert.equal(parsed(['--max-query-timeout-ms', '30000']).maxQueryTimeoutMs, 30_000);
  assert.equal(parsed([], { MAX_QUERY_TIMEOUT_MS: '5000' }).maxQueryTimeoutMs, 5_000);
  // Not past Fauna's own maximum (core RequestParams: 600,000 ms).
  assert.throws(() => parseConfig(['--max-query-timeout-ms', '600001'], {}), /max-query-timeout-ms/);
  assert.throws(() => parseConfig(['--max-query-timeout-ms', '0'], {}), /max-query-timeout-ms/);
  assert.equal(parsed(['--max-snapshot-ms', '2000']).maxSnapshotMs, 2_000);
  assert.equal(parsed([], { MAX_SNAPSHOT_MS: '750' }).maxSnapshotMs, 750);
  assert.throws(() => parseConfig(['--max-snapshot-ms', '99'], {}), /max-snapshot-ms/);
});

test('--public-metrics', () => {
  const flag = (argv: string[], env: Record<string, string> = {}): boolean => {
    const c = parseConfig(argv, env);
    assert.ok(c !== 'help');
    return c.publicMetrics;
  };
  assert.equal(flag(['--public-metrics', '--port', '1']), true);
  assert.equal(flag([], { PUBLIC_METRICS: 'true' }), true);
  assert.equal(flag(['--public-metrics=false'], { PUBLIC_METRICS: '1' }), false);
  assert.throws(() => parseConfig([], { PUBLIC_METRICS: 'yes' }), { message: "PUBLIC_METRICS must be true or false, got 'yes'" });
});

test('read replicas', () => {
  const P = 'postgres://u@primary/db';
  const c = parseConfig(['--storage', P, '--read-replica', 'postgres://u@r1/db', '--read-replica=postgresql://u@r2/db', '--read-replica-max-lag-ms', '250'],
    { READ_REPLICAS: 'postgres://u@ignored/db' });
  assert.ok(c !== 'help');
  assert.deepEqual([c.readReplicas, c.readReplicaMaxLagMs], [['postgres://u@r1/db', 'postgresql://u@r2/db'], 250]);
  const e = parseConfig([], { DATABASE_URL: P, READ_REPLICAS: 'postgres://u@r1/db, postgres://u@r2/db', READ_REPLICA_MAX_LAG_MS: '0' });
  assert.ok(e !== 'help');
  assert.deepEqual([e.readReplicas, e.readReplicaMaxLagMs], [['postgres://u@r1/db', 'postgres://u@r2/db'], 0]);
  assert.throws(() => parseConfig(['--read-replica', 'postgres://u@r1/db'], {}),
    { message: 'read replicas need PostgreSQL storage (--storage postgres://...)' });
  assert.throws(() => parseConfig(['--storage', P, '--read-replica', 'mysql://r1/db'], {}),
    { message: "read replica 'mysql://r1/db' is not a postgres:// URL" });
  assert.throws(() => parseConfig(['--storage', P, '--read-replica-max-lag-ms', '-1'], {}),
    { message: "read-replica-max-lag-ms must be an integer between 0 and 86400000, got '-1'" });
});

test('query workers', () => {
  const c = parseConfig(['--workers', '0', '--worker-memory-mb', '256', '--client-concurrency', '8'], { QUERY_WORKERS: '3' });
  assert.ok(c !== 'help');
  assert.deepEqual([c.workers, c.workerMemoryMb, c.clientConcurrency], [0, 256, 8]);
  const e = parseConfig([], { QUERY_WORKERS: '3', QUERY_WORKER_MEMORY_MB: '128' });
  assert.ok(e !== 'help');
  assert.deepEqual([e.workers, e.workerMemoryMb], [3, 128]);
  assert.throws(() => parseConfig(['--worker-memory-mb', '10'], {}), /worker-memory-mb must be an integer between 64 and 65536/);
  const idle = parseConfig(['--worker-idle-ms', '60000'], { QUERY_WORKER_IDLE_MS: '2000' });
  assert.ok(idle !== 'help');
  assert.equal(idle.workerIdleMs, 60_000);
  const idleEnv = parseConfig([], { QUERY_WORKER_IDLE_MS: '2000' });
  assert.ok(idleEnv !== 'help');
  assert.equal(idleEnv.workerIdleMs, 2_000);
  assert.throws(() => parseConfig(['--worker-idle-ms', '999'], {}), { message: "worker-idle-ms must be an integer between 1000 and 86400000, got '999'" });
});

test('transport limits from options and environment', () => {
  const c = parseConfig(
    ['--sniff-timeout-ms', '100', '--headers-timeout-ms=200', '--body-timeout-ms', '300', '--idle-timeout-ms', '400',
      '--max-streams-per-connection', '5', '--body-buffer-mib', '8'],
    { MAX_CONNECTIONS_PER_ADDRESS: '3', MAX_STREAMS_PER_CONNECTION: '9', IDLE_TIMEOUT_MS: '1', RESPONSE_BUFFER_MIB: '300', MAX_CONNECTIONS: '500' });
  assert.ok(c !== 'help');
  assert.deepEqual(c.limits, {
    sniffTimeoutMs: 100, headersTimeoutMs: 200, bodyTimeoutMs: 300, idleTimeoutMs: 400,
    maxStreamsPerConnection: 5, maxConnectionsPerAddress: 3, maxConnections: 500, bodyBufferBytes: 8 * 1024 * 1024,
    responseBufferBytes: 300 * 1024 * 1024,
  });
  // A client's quarter must hold one answer of the largest size (64 MiB).
  assert.throws(() => parseConfig(['--response-buffer-mib', '255'], {}), { message: "response-buffer-mib must be an integer between 256 and 1048576, got '255'" });
  assert.throws(() => parseConfig(['--body-buffer-mib', '7'], {}), { message: "body-buffer-mib must be an integer between 8 and 1048576, got '7'" });
  assert.throws(() => parseConfig([], { SNIFF_TIMEOUT_MS: '0' }), { message: "sniff-timeout-ms must be an integer between 1 and 3600000, got '0'" });
});

test('options override environment', () => {
  const c = parseConfig(['--port', '9000', '--data=/tmp/d', '--root-secret', 'x', '--root-secret', 'y', '--bcrypt-cost', '4'],
    { PORT: '1', FAUNA_DATA_DIR: '/e', FAUNA_ROOT_KEY: 'env' });
  assert.ok(c !== 'help');
  assert.equal(c.port, 9000);
  assert.equal(c.dataDir, '/tmp/d');
  assert.deepEqual(c.rootSecrets, ['x', 'y']);
  assert.equal(c.bcryptCost, 4);
});

test('environment', () => {
  const c = parseConfig([], { PORT: '7000', DATA_DIR: '/d', ROOT_SECRET: 'r', DATABASE_URL: 'postgres://x', HOST: '127.0.0.1', ROOT_SECRET_HASH: HASH });
  assert.ok(c !== 'help');
  assert.deepEqual([c.port, c.dataDir, c.rootSecrets, c.storageUrl, c.host, c.rootSecretHashes], [7000, '/d', ['r'], 'postgres://x', '127.0.0.1', [HASH]]);
});

test('a hash alone disables the default cleartext secret', () => {
  const c = parseConfig(['--root-secret-hash', HASH], {});
  assert.ok(c !== 'help');
  assert.deepEqual(c.rootSecrets, []);
});

test('help and errors', () => {
  assert.equal(parseConfig(['--help'], {}), 'help');
  assert.throws(() => parseConfig(['--nope'], {}), ConfigError);
  assert.throws(() => parseConfig(['--port', 'x'], {}), /port must be an integer/);
  assert.throws(() => parseConfig(['--port'], {}), /needs a value/);
  assert.throws(() => parseConfig(['--root-secret-hash', 'plain'], {}), /not a bcrypt hash/);
});
