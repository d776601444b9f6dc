// The request handlers that run query code (FQL v10, FQL v4, the schema API), built from a
// storage engine and the root-key check. Built once per query worker (over the worker's
// remote engine) or once in-process when isolation is off.
import type { Credentials } from '../auth/credentials';
import { createSchemaEndpoint } from '../schema-api/endpoint';
import type { Handler } from '../server/http-types';
import type { KvEngine } from '../storage/kv';
import { createV4Endpoint } from '../v4/endpoint';
import { createV4Service } from '../v4/run';
import { createQueryEndpoint } from '../server/query-endpoint';
import { createQueryService } from './run-query';
import { createEventsHandler } from '../streams/events-service';
import type { RouteKind } from './pool/protocol';
import { withV4Report } from './v4-report';
import { createV4StreamJobs } from '../v4/streams/service';
import { modelHooks } from '../model/model-txn';
import { v4SchemaHooks } from '../v4/model/index-defs';

export type QueryHandlers = Readonly<Record<RouteKind, Handler>>;

export interface HandlerOptions {
  readonly engine: KvEngine;
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
}

export function createQueryHandlers(opts: HandlerOptions): QueryHandlers {
  // v4 indexes over schema documents and over collections follow schema changes made by any
  // language (v10, FSL, v4): the model calls these hooks, wired here rather than by the v4
  // module's import.
  Object.assign(modelHooks, v4SchemaHooks);
  return {
    query: createQueryEndpoint(createQueryService(opts)),
    schema: createSchemaEndpoint(opts),
    v4: withV4Report(createV4Endpoint(createV4Service(opts))),
    events: createEventsHandler({ ...opts, other: createV4StreamJobs(opts) }),
  };
}
