// POST /query/1 (core `FQL2Endpoint`, spec §1). Validation order follows core, because it
// decides which error a request with several problems gets:
//   1. x-last-txn-ts, x-query-timeout-ms, x-max-contention-retries
//   2. x-query-tags
//   3. x-format, x-typecheck, x-linearized, x-performance-hints, then the body (incl. the
//      template's structure)
//   4. authentication (401)
//   5. arguments (400 "Invalid argument '<k>': <reason>")
//   6. template values (400 invalid_query pointing at the `<value>` placeholder)
// Errors up to step 3 carry no query_tags; later ones echo them.
import type { Value } from '../fql/values/value';
import type { QueryService } from '../exec/query-service';
import { parseAuthorization } from '../auth/secret-parse';
import type { ValueFormat } from '../wire/encode';
import { InvalidValueError, decodeTagged } from '../wire/tagged-decode';
import { decodeSimple } from '../wire/simple-decode';
import type { JsonValue } from '../wire/json-reader';
import { type AssembledQuery, TemplateSyntaxError, TemplateValueError, assembleQuery } from '../wire/template';
import { ANSWERED_WITH_COMMIT, type Handler, type ServerRequest, type ServerResponse } from './http-types';
import type { CommitAnswer } from '../storage/kv';
import { protocolError } from './responses';
import {
  InvalidHeaderError, parseFormat, parseLastTxnTs, parseLinearized, parseMaxContentionRetries,
  parsePerformanceHints, parseQueryTags, parseQueryTimeoutMs, parseTypecheck,
} from './query-headers';
import { InvalidBodyError, type QueryBody, parseQueryBody } from './query-body';
import { earlyCheckErrorResponse, queryErrorResponse, successResponse } from './query-response';
import { renderCheckSummary } from './check-summary';

function badRequest(message: string, tags?: string): ServerResponse {
  return protocolError(400, 'invalid_request', message, tags);
}

function decodeArguments(args: ReadonlyMap<string, JsonValue> | undefined, format: ValueFormat): Map<string, Value> {
  const out = new Map<string, Value>();
  if (args === undefined) return out;
  for (const [k, raw] of args) {
    if (format === 'simple') {
      out.set(k, decodeSimple(raw));
      continue;
    }
    try {
      out.set(k, decodeTagged(raw));
    } catch (e) {
      if (e instanceof InvalidValueError) throw new InvalidArgumentError(`Invalid argument '${k}': ${e.message}`);
      throw e;
    }
  }
  return out;
}

class InvalidArgumentError extends Error {}

/** Template value errors are reported after authentication and arguments, as in core. */
function assembleOrValueError(query: JsonValue): AssembledQuery | TemplateValueError {
  try {
    return assembleQuery(query);
  } catch (e) {
    if (e instanceof TemplateValueError) return e;
    throw e;
  }
}

export function createQueryEndpoint(service: QueryService): Handler {
  return async (req: ServerRequest): Promise<ServerResponse> => {
    const h = req.headers;
    let lastTxnTs: bigint | undefined;
    let timeoutMs: number;
    let maxContentionRetries: number;
    let tags: string | undefined;
    try {
      lastTxnTs = parseLastTxnTs(h['x-last-txn-ts']);
      timeoutMs = parseQueryTimeoutMs(h['x-query-timeout-ms']);
      maxContentionRetries = parseMaxContentionRetries(h['x-max-contention-retries']);
      tags = parseQueryTags(h['x-query-tags']);
    } catch (e) {
      if (e instanceof InvalidHeaderError) return badRequest(e.message);
      throw e;
    }
    const deadline = req.receivedAt + timeoutMs;

    let format: ValueFormat;
    let typecheck: boolean | undefined;
    let body: QueryBody;
    let assembled: AssembledQuery | TemplateValueError;
    try {
      format = parseFormat(h['x-format']);
      typecheck = parseTypecheck(h['x-typecheck']);
      // Accepted and validated; a single node is always linearized and gives no hints.
      parseLinearized(h['x-linearized']);
      parsePerformanceHints(h['x-performance-hints']);
      body = parseQueryBody(await req.body());
      assembled = assembleOrValueError(body.query);
    } catch (e) {
      if (e instanceof InvalidHeaderError || e instanceof InvalidBodyError) return badRequest(e.message);
      if (e instanceof TemplateSyntaxError) return badRequest(`Invalid request body: ${e.message}`);
      throw e;
    }

    const credentials = parseAuthorization(h.authorization);
    if (credentials === null) return protocolError(401, 'unauthorized', 'Access token required', tags);

    let args: Map<string, Value>;
    try {
      args = decodeArguments(body.arguments, format);
    } catch (e) {
      if (e instanceof InvalidArgumentError) return badRequest(e.message, tags);
      throw e;
    }

    if (assembled instanceof TemplateValueError) {
      const { source, message, start, end } = assembled;
      return earlyCheckErrorResponse(renderCheckSummary(source, message, start, end), tags);
    }

    const outcome = await service.run({
      source: assembled.source,
      templateValues: assembled.templateValues,
      arguments: args,
      credentials,
      typecheck,
      deadline,
      timeoutMs,
      maxContentionRetries,
      lastTxnTs,
      answer: (data, info) => successResponse(format, data, info, tags) as CommitAnswer,
      ...(req.rerun !== undefined ? { rerun: req.rerun } : {}),
    });
    switch (outcome.kind) {
      case 'ok':
        return outcome.answered ? ANSWERED_WITH_COMMIT : successResponse(format, outcome.data, outcome.info, tags);
      case 'queryError':
        return queryErrorResponse(format, outcome.error, outcome.summary, outcome.abort, outcome.info, tags);
      case 'protocolError':
        // Core renders auth failures with the request's tags and other failures without.
        return protocolError(outcome.status, outcome.code, outcome.message, outcome.status === 401 ? tags : undefined);
    }
  };
}
