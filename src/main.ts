#!/usr/bin/env node
// Entry point: parse configuration, open storage, serve HTTP until SIGINT/SIGTERM, then shut
// down gracefully (stop accepting, finish in-flight requests, close storage).
import { ConfigError, type ServerConfig, USAGE, parseConfig } from './config';
import { RootKeyChecker } from './auth/root-key';
import { createQueryService } from './exec/run-query';
import { createApp } from './server/app';
import { createSchemaEndpoint } from './schema-api/endpoint';
import { listen } from './server/listen';
import { openStorage } from './storage/open';
import { startHistorySweeper } from './model/temporal/history';
import { setPasswordCost } from './auth/passwords';
import { createV4Service } from './v4/run';
import { createV4Endpoint } from './v4/endpoint';

async function start(config: ServerConfig): Promise<void> {
  setPasswordCost(config.bcryptCost);
  const engine = await openStorage(config.storageUrl !== undefined ? { url: config.storageUrl } : { dataDir: config.dataDir });
  const rootKeys = new RootKeyChecker({ secrets: config.rootSecrets, hashes: config.rootSecretHashes });
  const isRoot = (c: { secret: string }) => rootKeys.isRoot(c.secret);
  const service = createQueryService({ engine, isRoot });
  const schema = createSchemaEndpoint({ engine, isRoot });
  const v4 = createV4Endpoint(createV4Service({ engine, isRoot }));
  const server = await listen(createApp({ service, routes: { schema, v4 } }), { port: config.port, host: config.host, limits: config.limits });
  const stopSweeper = startHistorySweeper(engine);
  const storage = config.storageUrl !== undefined ? `postgres ${redactUrl(config.storageUrl)}` : `sqlite ${config.dataDir}`;
  console.log(`fql-server listening on http://${config.host}:${server.port} (storage: ${storage})`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    stopSweeper();
    server.close()
      .then(() => engine.close())
      .then(() => process.exit(0), (err: unknown) => {
        console.error('shutdown failed:', err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Hide the password of a connection URL in logs. */
function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

function main(): void {
  let config: ServerConfig | 'help';
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    console.error(`error: ${e.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  start(config).catch((err: unknown) => {
    console.error('failed to start:', err);
    process.exit(1);
  });
}

main();
