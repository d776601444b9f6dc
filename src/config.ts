// Server configuration from command-line options and environment variables (options win).
// Defaults match what Fauna's tooling assumes of a local server: port 8443, root secret
// "secret" (fauna-js tests, the CLI's --local, the Docker image).
import os from 'node:os';
import { DEFAULT_LIMITS, MIB, type TransportLimits } from './server/transport-limits';
import { isPostgresUrl } from './storage/open';
import { MAX_QUERY_TIMEOUT_MS } from './server/query-headers';
import { SNAPSHOT_MAX_MS } from './storage/postgres/sql';

export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Directory of the embedded (SQLite) store; unused when `storageUrl` is set. */
  readonly dataDir: string;
  /** PostgreSQL URL; when set, data is kept there instead of `dataDir`. */
  readonly storageUrl?: string;
  /** Streaming standbys of `storageUrl` that serve read-only queries (README "Read replicas"). */
  readonly readReplicas: readonly string[];
  /** A read without x-last-txn-ts may lag the primary by this much on a replica (ms). */
  readonly readReplicaMaxLagMs: number;
  /** On PostgreSQL, how long a query's snapshot may stay open (ms; postgres/sql.ts SNAPSHOT_MAX_MS). */
  readonly maxSnapshotMs: number;
  /** Cleartext root secrets. */
  readonly rootSecrets: readonly string[];
  /** bcrypt hashes of root secrets. */
  readonly rootSecretHashes: readonly string[];
  /** bcrypt cost for hashing generated key secrets. */
  readonly bcryptCost: number;
  /** Query worker threads at most; 0 runs queries in the main thread (no isolation). */
  readonly workers: number;
  /** Heap limit of one query worker, MiB. */
  readonly workerMemoryMb: number;
  /** Workers above the two kept running end after this long idle (ms). */
  readonly workerIdleMs: number;
  /** Requests one client address may run at once; undefined: as many as there are cores. */
  readonly clientConcurrency?: number;
  /** Timeouts and caps of the HTTP transport. */
  readonly limits: TransportLimits;
  /** An idle event stream re-checks its secret and sends a status event this often (ms). */
  readonly streamStatusIntervalMs: number;
  /** Event streams (v10 and v4) open at once, in all and from one client address. */
  readonly maxStreams: number;
  readonly maxStreamsPerAddress: number;
  /** Bytes of events all streams may hold for clients that do not read, MiB (past it the largest end). */
  readonly maxStreamBufferMb: number;
  /** The longest a query may run, whatever it asks (src/server/timeout-cap.ts). */
  readonly maxQueryTimeoutMs: number;
  /** GET /metrics without the root secret. */
  readonly publicMetrics: boolean;
  /** Fetch access providers' `jwks_uri` from private, loopback and other non-public addresses too. */
  readonly allowPrivateJwks: boolean;
}

export class ConfigError extends Error {}

export const USAGE = `Usage: fql-server [options]

Options (environment variable in brackets):
  --host <addr>              address to listen on [HOST] (default 0.0.0.0)
  --port <n>                 TCP port, HTTP/1.1 and HTTP/2 cleartext [PORT] (default 8443)
  --data <dir>               data directory for the embedded store
                             [FAUNA_DATA_DIR or DATA_DIR] (default ./data)
  --storage <postgres-url>   keep data in PostgreSQL instead [DATABASE_URL]
  --read-replica <postgres-url>
                             a streaming standby of the --storage database that serves
                             read-only queries [READ_REPLICAS, comma-separated]; may be repeated
  --read-replica-max-lag-ms <n>
                             a query without x-last-txn-ts may read a replica this far behind
                             the primary [READ_REPLICA_MAX_LAG_MS] (default 1000)
  --max-snapshot-ms <n>      on PostgreSQL, a query's snapshot is renewed once this old, and a
                             connection idle in a transaction this long is ended (an open
                             snapshot holds back VACUUM, see README) [MAX_SNAPSHOT_MS]
                             (default 2000)
  --root-secret <secret>     root key secret [FAUNA_ROOT_KEY or ROOT_SECRET] (default "secret"
                             unless a hash is given); may be repeated
  --root-secret-hash <hash>  bcrypt hash of a root secret [ROOT_SECRET_HASH, comma-separated];
                             may be repeated
  --bcrypt-cost <n>          bcrypt cost for generated key secrets [BCRYPT_COST] (default 10)
  --workers <n>              query worker threads at most [QUERY_WORKERS] (default: twice the
                             cores, at least 4); 0 runs queries in the main thread without
                             isolation (debugging only)
  --worker-memory-mb <n>     heap limit of one query worker in MiB [QUERY_WORKER_MEMORY_MB]
                             (default 512)
  --worker-idle-ms <n>       workers beyond the two kept running end after this long idle
                             [QUERY_WORKER_IDLE_MS] (default 300000; a new worker runs at a
                             third of full speed for its first seconds while V8 compiles)
  --client-concurrency <n>   requests one client address may run at once while
                             other clients wait [QUERY_CLIENT_CONCURRENCY] (default: the
                             number of cores; a client alone may use every worker)
  --stream-status-interval-ms <n>
                             an idle event stream re-checks its secret and sends a status
                             event this often [STREAM_STATUS_INTERVAL_MS] (default 300000)
  --max-streams <n>          event streams open at once; more get 429 limit_exceeded
                             [MAX_STREAMS] (default 20000)
  --max-streams-per-address <n>
                             event streams open at once from one client IP address
                             [MAX_STREAMS_PER_ADDRESS] (default 1000)
  --max-stream-buffer-mb <n> events all streams together may hold for clients that are not
                             reading; past it the streams holding the most end with
                             stream_overflow [MAX_STREAM_BUFFER_MB] (default 256)
  --max-query-timeout-ms <n> the longest a query or FQL v4 request may run: longer
                             x-query-timeout-ms / x-query-timeout, and the 2-minute default,
                             are lowered to it [MAX_QUERY_TIMEOUT_MS] (default 600000, Fauna's
                             maximum; on PostgreSQL a running query holds back VACUUM, see README)
  --public-metrics           serve GET /metrics without the root secret [PUBLIC_METRICS=true]
                             (default: it needs Authorization: Bearer <root secret>)
  --allow-private-jwks       let access providers' jwks_uri point at private, loopback and
                             link-local addresses [ALLOW_PRIVATE_JWKS=true] (default: public
                             addresses only; see README, "Access providers and JWTs")

Transport limits (see README, "Transport limits"):
  --sniff-timeout-ms <n>     first bytes of a new connection [SNIFF_TIMEOUT_MS] (default 10000)
  --headers-timeout-ms <n>   request headers, from their first byte [HEADERS_TIMEOUT_MS]
                             (default 20000)
  --body-timeout-ms <n>      request body, from the end of the headers [BODY_TIMEOUT_MS]
                             (default 60000)
  --idle-timeout-ms <n>      idle HTTP/1.1 keep-alive connection or HTTP/2 session without
                             streams [IDLE_TIMEOUT_MS] (default 75000)
  --max-streams-per-connection <n>
                             concurrent HTTP/2 streams per connection
                             [MAX_STREAMS_PER_CONNECTION] (default 100)
  --max-connections-per-address <n>
                             open connections per client IP address
                             [MAX_CONNECTIONS_PER_ADDRESS] (default 256)
  --max-connections <n>      open connections in all; at the cap the one idle longest is
                             closed [MAX_CONNECTIONS] (default: 80% of the open files limit)
  --body-buffer-mib <n>      MiB of request bodies buffered at once; more are refused with 503
                             [BODY_BUFFER_MIB] (default 128, at least 8)
  --response-buffer-mib <n>  MiB of responses waiting for their clients to read them; a client
                             holding over a quarter of it (or any, while all hold more) gets
                             429 [RESPONSE_BUFFER_MIB] (default 512, at least 256)
  --help                     show this help
`;

/** Transport limit options: flag, environment variable, field, range, unit. */
const LIMIT_OPTIONS: readonly {
  readonly flag: string; readonly env: string; readonly field: keyof TransportLimits;
  readonly min: number; readonly max: number; readonly unit: number;
}[] = [
  { flag: 'sniff-timeout-ms', env: 'SNIFF_TIMEOUT_MS', field: 'sniffTimeoutMs', min: 1, max: 3_600_000, unit: 1 },
  { flag: 'headers-timeout-ms', env: 'HEADERS_TIMEOUT_MS', field: 'headersTimeoutMs', min: 1, max: 3_600_000, unit: 1 },
  { flag: 'body-timeout-ms', env: 'BODY_TIMEOUT_MS', field: 'bodyTimeoutMs', min: 1, max: 3_600_000, unit: 1 },
  { flag: 'idle-timeout-ms', env: 'IDLE_TIMEOUT_MS', field: 'idleTimeoutMs', min: 1, max: 3_600_000, unit: 1 },
  { flag: 'max-streams-per-connection', env: 'MAX_STREAMS_PER_CONNECTION', field: 'maxStreamsPerConnection', min: 1, max: 10_000, unit: 1 },
  { flag: 'max-connections-per-address', env: 'MAX_CONNECTIONS_PER_ADDRESS', field: 'maxConnectionsPerAddress', min: 1, max: 1_000_000, unit: 1 },
  { flag: 'max-connections', env: 'MAX_CONNECTIONS', field: 'maxConnections', min: 16, max: 10_000_000, unit: 1 },
  // At least one request of the maximum size (8 MiB) must fit.
  { flag: 'body-buffer-mib', env: 'BODY_BUFFER_MIB', field: 'bodyBufferBytes', min: 8, max: 1_048_576, unit: MIB },
  // A client's quarter must hold one response of the largest size (64 MiB: src/fql/limits.ts).
  { flag: 'response-buffer-mib', env: 'RESPONSE_BUFFER_MIB', field: 'responseBufferBytes', min: 256, max: 1_048_576, unit: MIB },
];

const DEFAULTS = { host: '0.0.0.0', port: 8443, dataDir: './data', rootSecret: 'secret', bcryptCost: 10, workerMemoryMb: 512, workerIdleMs: 300_000 };

/** Default number of query workers: twice the cores (queries also wait on storage), at least 4. */
function defaultWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(4, cores * 2);
}

type Env = Readonly<Record<string, string | undefined>>;

function parseIntOption(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got '${v}'`);
  }
  return Number(v);
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** Parse options; returns 'help' when --help was given. Throws ConfigError on bad input. */
export function parseConfig(argv: readonly string[], env: Env): ServerConfig | 'help' {
  const opts = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--public-metrics' || arg === '--allow-private-jwks') {
      opts.set(arg.slice(2), ['true']);
      continue;
    }
    if (!arg.startsWith('--')) throw new ConfigError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (!['host', 'port', 'data', 'storage', 'root-secret', 'root-secret-hash', 'bcrypt-cost', 'workers', 'worker-memory-mb', 'worker-idle-ms', 'client-concurrency', 'stream-status-interval-ms', 'max-streams', 'max-streams-per-address', 'max-stream-buffer-mb', 'max-query-timeout-ms', 'public-metrics', 'allow-private-jwks', 'read-replica', 'read-replica-max-lag-ms', 'max-snapshot-ms'].includes(name)
      && !LIMIT_OPTIONS.some((o) => o.flag === name)) {
      throw new ConfigError(`unknown option '--${name}'`);
    }
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new ConfigError(`option '--${name}' needs a value`);
    }
    opts.set(name, [...(opts.get(name) ?? []), value]);
  }
  const last = (name: string): string | undefined => opts.get(name)?.at(-1);

  const hashes = opts.get('root-secret-hash')
    ?? (nonEmpty(env.ROOT_SECRET_HASH)?.split(',').map((s) => s.trim()).filter((s) => s !== '') ?? []);
  const secretFromEnv = nonEmpty(env.FAUNA_ROOT_KEY) ?? nonEmpty(env.ROOT_SECRET);
  const secrets = opts.get('root-secret')
    ?? (secretFromEnv !== undefined ? [secretFromEnv] : hashes.length > 0 ? [] : [DEFAULTS.rootSecret]);
  for (const h of hashes) {
    if (!/^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$/.test(h)) throw new ConfigError(`'${h}' is not a bcrypt hash`);
  }

  const port = last('port') ?? nonEmpty(env.PORT);
  const cost = last('bcrypt-cost') ?? nonEmpty(env.BCRYPT_COST);
  const workers = last('workers') ?? nonEmpty(env.QUERY_WORKERS);
  const workerMemory = last('worker-memory-mb') ?? nonEmpty(env.QUERY_WORKER_MEMORY_MB);
  const workerIdle = last('worker-idle-ms') ?? nonEmpty(env.QUERY_WORKER_IDLE_MS);
  const clientConcurrency = last('client-concurrency') ?? nonEmpty(env.QUERY_CLIENT_CONCURRENCY);
  const statusInterval = last('stream-status-interval-ms') ?? nonEmpty(env.STREAM_STATUS_INTERVAL_MS);
  const maxStreams = last('max-streams') ?? nonEmpty(env.MAX_STREAMS);
  const maxStreamsPerAddress = last('max-streams-per-address') ?? nonEmpty(env.MAX_STREAMS_PER_ADDRESS);
  const maxStreamBuffer = last('max-stream-buffer-mb') ?? nonEmpty(env.MAX_STREAM_BUFFER_MB);
  const maxQueryTimeout = last('max-query-timeout-ms') ?? nonEmpty(env.MAX_QUERY_TIMEOUT_MS);
  const storageUrl = last('storage') ?? nonEmpty(env.DATABASE_URL);
  const replicas = opts.get('read-replica')
    ?? (nonEmpty(env.READ_REPLICAS)?.split(',').map((s) => s.trim()).filter((s) => s !== '') ?? []);
  for (const r of replicas) {
    if (!isPostgresUrl(r)) throw new ConfigError(`read replica '${r}' is not a postgres:// URL`);
  }
  if (replicas.length > 0 && (storageUrl === undefined || !isPostgresUrl(storageUrl))) {
    throw new ConfigError('read replicas need PostgreSQL storage (--storage postgres://...)');
  }
  const maxLag = last('read-replica-max-lag-ms') ?? nonEmpty(env.READ_REPLICA_MAX_LAG_MS);
  const maxSnapshot = last('max-snapshot-ms') ?? nonEmpty(env.MAX_SNAPSHOT_MS);
  return {
    host: last('host') ?? nonEmpty(env.HOST) ?? DEFAULTS.host,
    port: port === undefined ? DEFAULTS.port : parseIntOption('port', port, 0, 65535),
    dataDir: last('data') ?? nonEmpty(env.FAUNA_DATA_DIR) ?? nonEmpty(env.DATA_DIR) ?? DEFAULTS.dataDir,
    storageUrl,
    readReplicas: replicas,
    readReplicaMaxLagMs: maxLag === undefined ? 1_000 : parseIntOption('read-replica-max-lag-ms', maxLag, 0, 86_400_000),
    maxSnapshotMs: maxSnapshot === undefined ? SNAPSHOT_MAX_MS : parseIntOption('max-snapshot-ms', maxSnapshot, 100, MAX_QUERY_TIMEOUT_MS),
    rootSecrets: secrets,
    rootSecretHashes: hashes,
    bcryptCost: cost === undefined ? DEFAULTS.bcryptCost : parseIntOption('bcrypt-cost', cost, 4, 31),
    workers: workers === undefined ? defaultWorkers() : parseIntOption('workers', workers, 0, 256),
    workerMemoryMb: workerMemory === undefined ? DEFAULTS.workerMemoryMb : parseIntOption('worker-memory-mb', workerMemory, 64, 65536),
    workerIdleMs: workerIdle === undefined ? DEFAULTS.workerIdleMs : parseIntOption('worker-idle-ms', workerIdle, 1_000, 86_400_000),
    clientConcurrency: clientConcurrency === undefined ? undefined : parseIntOption('client-concurrency', clientConcurrency, 1, 256),
    limits: parseLimits(last, env),
    streamStatusIntervalMs: statusInterval === undefined ? 300_000 : parseIntOption('stream-status-interval-ms', statusInterval, 100, 14 * 60_000),
    maxStreams: maxStreams === undefined ? 20_000 : parseIntOption('max-streams', maxStreams, 1, 10_000_000),
    maxStreamsPerAddress: maxStreamsPerAddress === undefined ? 1_000 : parseIntOption('max-streams-per-address', maxStreamsPerAddress, 1, 10_000_000),
    maxStreamBufferMb: maxStreamBuffer === undefined ? 256 : parseIntOption('max-stream-buffer-mb', maxStreamBuffer, 1, 1_048_576),
    maxQueryTimeoutMs: maxQueryTimeout === undefined ? MAX_QUERY_TIMEOUT_MS : parseIntOption('max-query-timeout-ms', maxQueryTimeout, 1, MAX_QUERY_TIMEOUT_MS),
    publicMetrics: parseBoolean('PUBLIC_METRICS', last('public-metrics') ?? nonEmpty(env.PUBLIC_METRICS)),
    allowPrivateJwks: parseBoolean('ALLOW_PRIVATE_JWKS', last('allow-private-jwks') ?? nonEmpty(env.ALLOW_PRIVATE_JWKS)),
  };
}

function parseBoolean(name: string, v: string | undefined): boolean {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new ConfigError(`${name} must be true or false, got '${v}'`);
}

function parseLimits(last: (name: string) => string | undefined, env: Env): TransportLimits {
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const o of LIMIT_OPTIONS) {
    const v = last(o.flag) ?? nonEmpty(env[o.env]);
    if (v !== undefined) limits[o.field] = parseIntOption(o.flag, v, o.min, o.max) * o.unit;
  }
  return limits as unknown as TransportLimits;
}
