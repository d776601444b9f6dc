// Request bodies of /stream/1 and /feed/1 (core StreamRequest.scala, FeedRequest.scala), with
// core's messages — streams' without a trailing period, feeds' with one (spec §6.2, §7).
//
// These are checked on the coordinator's thread, before authentication, so the work must stay
// small whatever an anonymous client sends: bodies nested deeper than /query/1 allows, or with
// far more values than a request has, are refused before they are parsed (parsing JSON nested
// millions deep takes seconds, a million-value array a quarter of one), and a
// token's content is decoded only where queries run (events-service.ts), which refuses a
// forged one with the same 400 before it authenticates; here it only has to look like one.
import { MAX_JSON_DEPTH, jsonShape } from '../wire/json-reader';
import { decodeCursor, type EventCursor } from './cursor';
import { looksLikeEventSource } from './token';

export type EventsEndpoint = 'stream' | 'feed';

export interface EventsRequest {
  /** The token and cursor as sent: jobs take them as text and decode them where they run. */
  readonly tokenText: string;
  readonly cursorText?: string;
  readonly cursor?: EventCursor;
  /** µs */
  readonly startTs?: bigint;
  /** Feeds only: events per page. */
  readonly pageSize: number;
}

export const DEFAULT_PAGE_SIZE = 16;
export const MAX_PAGE_SIZE = 16_000;

export class EventsRequestError extends Error {}

/**
 * Commas and colons a request body may have: its four fields (token, cursor or start_ts,
 * page_size) need seven; the rest of the margin is for clients that send extra fields. A body
 * with a large array of junk is refused before JSON.parse builds it on the coordinator's thread.
 */
const MAX_SEPARATORS = 64;

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'number' ? 'number' : typeof v;

function unexpected(v: unknown): string {
  const shown = typeof v === 'string' ? v : JSON.stringify(v);
  return `Invalid request body: Unexpected ${jsonType(v)} value '${shown}'.`;
}

/** Parse and validate a body; throws EventsRequestError with the message to answer 400 with. */
export function parseEventsRequest(endpoint: EventsEndpoint, body: Buffer): EventsRequest {
  const dot = endpoint === 'feed' ? '.' : '';
  // Decoded once: this runs on the coordinator's thread before authentication.
  const text = body.toString('utf8');
  if (!/\S/.test(text)) throw new EventsRequestError('No request body provided');
  const shape = jsonShape(text, MAX_JSON_DEPTH, MAX_SEPARATORS);
  // The message of core's reader (Jackson StreamReadConstraints), as for /query/1 bodies.
  if (shape === 'deep') throw new EventsRequestError('Invalid request body: JSON exceeds nesting limit');
  if (shape === 'wide') throw new EventsRequestError(`Invalid request body: more fields and values than a${endpoint === 'feed' ? ' feed' : ' stream'} request has${dot}`);
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new EventsRequestError(`Invalid request body: ${(e as Error).message}`);
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) throw new EventsRequestError(unexpected(j));
  const o = j as Record<string, unknown>;
  const present = (k: string) => o[k] !== undefined && o[k] !== null;
  if (!present('token')) throw new EventsRequestError('Invalid request body: Value for key token not found.');
  if (typeof o.token !== 'string') throw new EventsRequestError(unexpected(o.token));
  if (present('cursor') && typeof o.cursor !== 'string') throw new EventsRequestError(unexpected(o.cursor));
  if (present('start_ts') && !(typeof o.start_ts === 'number' && Number.isSafeInteger(o.start_ts))) throw new EventsRequestError(unexpected(o.start_ts));
  let pageSize = DEFAULT_PAGE_SIZE;
  if (endpoint === 'feed' && present('page_size')) {
    if (!(typeof o.page_size === 'number' && Number.isSafeInteger(o.page_size))) throw new EventsRequestError(unexpected(o.page_size));
    pageSize = o.page_size;
  }
  if (present('start_ts') && present('cursor')) {
    throw new EventsRequestError(`Invalid request body: can not provide both \`start_ts\` and \`cursor\`${dot}`);
  }
  if (endpoint === 'feed') {
    if (pageSize <= 0) throw new EventsRequestError('Invalid request body: page size must be greater than zero.');
    if (pageSize > MAX_PAGE_SIZE) throw new EventsRequestError(`Invalid request body: page size can not be greater than ${MAX_PAGE_SIZE}.`);
  }
  if (!looksLikeEventSource(o.token)) throw new EventsRequestError(`Invalid request body: invalid event source provided${dot}`);
  let cursor: EventCursor | undefined;
  if (present('cursor')) {
    cursor = decodeCursor(o.cursor);
    if (!cursor) throw new EventsRequestError(`Invalid request body: invalid event cursor provided${dot}`);
  }
  const startTs = present('start_ts') ? BigInt(o.start_ts as number) : undefined;
  if (startTs !== undefined && startTs < 0n) throw new EventsRequestError(unexpected(o.start_ts));
  return { tokenText: o.token, cursorText: cursor ? (o.cursor as string) : undefined, cursor, startTs, pageSize };
}
