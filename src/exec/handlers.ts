// The request handlers that run query code (FQL v10, FQL v4, the schema API), built from a
// storage engine and the root-key check. Built once per query worker (over the worker's
// remote engine) or once in-process when isolation is off.
//
// /query/1's and FQL v4's runtimes load with them: v10 queries reach the v4 layer too (v4 role
// predicates and function bodies run through `installFql4Runner`, and v10 writes maintain v4
// index entries), so v4 is part of every worker. The schema API and the event jobs load on their
// route's first request: each query worker is a new isolate that loads (and compiles) everything
// it requires, and most workers never serve those routes.
import type { Credentials } from '../auth/credentials';
import type { Handler } from '../server/http-types';
import type { KvEngine } from '../storage/kv';
import { createV4Endpoint } from '../v4/endpoint';
import { createV4Service } from '../v4/run';
import { createQueryEndpoint } from '../server/query-endpoint';
import { createQueryService } from './run-query';
import type { RouteKind } from './pool/protocol';
import { withV4Report } from './v4-report';
import { wireRuntime } from './wiring';

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

function eventsHandler(opts: HandlerOptions): Handler {
  const { createEventsHandler } = require('../streams/events-service') as typeof import('../streams/events-service');
  const { createV4StreamJobs } = require('../v4/streams/service') as typeof import('../v4/streams/service');
  return createEventsHandler({ ...opts, other: createV4StreamJobs(opts) });
}
/* eslint-enable @typescript-eslint/no-var-requires */

export function createQueryHandlers(opts: HandlerOptions): QueryHandlers {
  // The standard libraries, v4's forms and the model's hooks (identity, collection schemas,
  // temporal reads, v4 indexes that follow writes and schema changes made in any language),
  // installed here rather than by imports (src/exec/wiring.ts).
  wireRuntime();
  return {
    query: createQueryEndpoint(createQueryService(opts)),
    schema: onFirstUse(() => schemaHandler(opts)),
    v4: withV4Report(createV4Endpoint(createV4Service(opts))),
    events: onFirstUse(() => eventsHandler(opts)),
  };
}
