// The query-side half of v4 `/stream` (core StreamEndpoint `runStream`, StreamRenderContext):
// the jobs the StreamHub runs for a v4 stream, beside the v10 ones (src/streams/events-service.ts
// hands over the tokens made here). Every job authenticates the caller, re-evaluates the
// stream's expression read-only in the caller's database and resolves what it watches; the
// connect answers the `start` event, each poll the events after the stream's cursor up to the
// engine's stable point. A changed key, token or role ends the stream as core does
// (`permission denied`, "Authorization lost during stream evaluation.").
import { performance } from 'node:perf_hooks';
import type { Credentials } from '../../auth/credentials';
import { beginAttempt, newStats } from '../../exec/attempt';
import type { KvEngine } from '../../storage/kv';
import { afterAllAt, compareCursors, decodeCursor, encodeCursor } from '../../streams/cursor';
import { emptyStats } from '../../streams/events';
import { authStamp, type EventsJob, type EventsResult } from '../../streams/events-service';
import { V4Error, invalidRef } from '../errors';
import { Evaluator } from '../evaluator';
import type { V4Query } from '../query-context';
import { ownerOf } from '../run';
import { readV4Events } from './events';
import { V4_PERMISSION_LOST, decodeV4StreamToken, errorEvent4, startEvent } from './protocol';
import { streamSource } from './source';

const errorsBody = (errors: readonly object[]): string => JSON.stringify({ errors });

const UNAUTHORIZED: EventsResult = {
  kind: 'refused', status: 401, code: 'unauthorized', message: 'Unauthorized',
  body: errorsBody([{ code: 'unauthorized', description: 'Unauthorized' }]),
};

const READ_ONLY = 'Call performs a write, which is not allowed in reads.';

/** Errors as a stream request reports them (core evaluates stream expressions in "stream requests"). */
function asStreamError(e: V4Error): V4Error {
  return e.description === READ_ONLY
    ? new V4Error(e.code, 'Call performs a write, which is not allowed in stream requests.', e.position)
    : e;
}

export interface V4StreamJobsOptions {
  readonly engine: KvEngine;
  readonly isRoot: (credentials: Credentials) => Promise<boolean>;
}

/** Runs a job when its token is a v4 stream's; undefined otherwise. */
export function createV4StreamJobs(opts: V4StreamJobsOptions): (job: EventsJob, credentials: Credentials | null) => Promise<EventsResult | undefined> {
  return async (job, credentials) => {
    const token = decodeV4StreamToken(job.token);
    if (!token) return undefined;
    const stable = BigInt(job.stable);
    const lost: EventsResult = { kind: 'end', event: errorEvent4(stable, V4_PERMISSION_LOST.code, V4_PERMISSION_LOST.description) };
    if (!credentials) return job.kind === 'poll' ? lost : UNAUTHORIZED;
    const isRoot = await opts.isRoot(credentials);
    const attempt = await beginAttempt(opts.engine, {
      credentials, isRoot, readOnly: true, deadline: performance.now() + 60_000, stats: newStats(),
    });
    if (!attempt) return job.kind === 'poll' ? lost : UNAUTHORIZED;
    try {
      const stamp = await authStamp(attempt, isRoot);
      if (job.kind === 'poll' && stamp !== job.stamp) return lost;
      const q: V4Query = {
        ctx: attempt.ctx, model: attempt.model, principal: attempt.principal,
        secretOwner: isRoot ? undefined : await ownerOf(attempt.kv, credentials), created: new WeakSet(),
      };
      let resolved;
      try {
        const src = await streamSource(q, await new Evaluator(q, true).eval(token.expr, new Map(), []));
        const def = await attempt.model.collection(src.coll);
        if (!def) throw invalidRef('collection', src.coll, []);
        resolved = { src, def };
      } catch (e) {
        if (!(e instanceof V4Error)) throw e;
        const err = asStreamError(e);
        // A stream whose expression stops evaluating (its collection or index deleted) ends.
        if (job.kind === 'poll') return { kind: 'end', event: errorEvent4(stable, err.code, err.description) };
        return {
          kind: 'refused', status: err.status, code: err.code, message: err.description,
          body: errorsBody([{ position: err.position, code: err.code, description: err.description }]),
        };
      }
      const { src, def } = resolved;
      const docId = src.kind === 'doc' && /^[0-9]{1,19}$/.test(src.id) ? src.id : undefined;
      const watch = { db: attempt.model.db, collId: def.id, docId, stamp };
      const idle = afterAllAt(stable);
      if (job.kind === 'connect') {
        return { kind: 'events', events: [startEvent(stable)], next: encodeCursor(idle), more: false, ended: false, stats: emptyStats(), watch };
      }
      // Polls carry the cursor the connect (or the previous poll) answered.
      const after = decodeCursor(job.cursor) ?? idle;
      const page = await readV4Events(attempt.ctx, src, def, token.fields, { after, until: stable, limit: job.limit });
      const next = page.more && page.last ? page.last : compareCursors(idle, after) > 0 ? idle : after;
      return { kind: 'events', events: page.events, next: encodeCursor(next), more: page.more, ended: false, stats: emptyStats(), watch };
    } finally {
      await attempt.kv.rollback();
    }
  };
}
