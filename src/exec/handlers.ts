// The request handlers that run query code (FQL v10, FQL v4, the schema API), built from a
// storage engine and the root-key check. Built once per query worker (over the worker's
// remote engine) or once in-process when isolation is off.
//
// Only /query/1's runtime loads with them: the schema API, FQL v4 and the event jobs load on
// their route's first request. Each query worker is a new isolate that loads (and compiles)
// everything it requires, and most workers never serve another route, so starting one costs
// about a quarter less CPU this way (pools start workers while the load they serve is waiting).
import type { Credentials } from '../auth/credentials';
import type { Handler } from '../server/http-types';
import type { KvEngine } from '../storage/kv';
import { createQueryEndpoint } from '../server/query-endpoint';
import { createQueryService } from './run-query';
import type { RouteKind } from './pool/protocol';

export type QueryHandlers = Readonly<Record<RouteKind, Handler>>;

export interface HandlerOptions {
  readonly engine: KvEngine;
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
}

/** A handler built (its modules loaded) on its first request. */
function onFirstUse(build: () => Handler): Handler {
  let handler: Handler | undefined;
  return (req) => (handler ??= build())(req);
}

/* eslint-disable @typescript-eslint/no-var-requires */
function schemaHandler(opts: HandlerOptions): Handler {
  const { createSchemaEndpoint } = require('../schema-api/endpoint') as typeof import('../schema-api/endpoint');
  return createSchemaEndpoint(opts);
}

function v4Handler(opts: HandlerOptions): Handler {
  const { createV4Endpoint } = require('../v4/endpoint') as typeof import('../v4/endpoint');
  const { createV4Service } = require('../v4/run') as typeof import('../v4/run');
  const { withV4Report } = require('./v4-report') as typeof import('./v4-report');
  return withV4Report(createV4Endpoint(createV4Service(opts)));
}

function eventsHandler(opts: HandlerOptions): Handler {
  const { createEventsHandler } = require('../streams/events-service') as typeof import('../streams/events-service');
  const { createV4StreamJobs } = require('../v4/streams/service') as typeof import('../v4/streams/service');
  return createEventsHandler({ ...opts, other: createV4StreamJobs(opts) });
}
/* eslint-enable @typescript-eslint/no-var-requires */

export function createQueryHandlers(opts: HandlerOptions): QueryHandlers {
  return {
    query: createQueryEndpoint(createQueryService(opts)),
    schema: onFirstUse(() => schemaHandler(opts)),
    v4: onFirstUse(() => v4Handler(opts)),
    events: onFirstUse(() => eventsHandler(opts)),
  };
}
