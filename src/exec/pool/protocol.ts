// Messages between the coordinator (main thread: transport and storage) and the query workers
// (threads that run untrusted query code). Requests travel whole (the body already read), KV
// operations travel one message each way, and a worker's writes ride along with its next
// operation so that a write costs no message of its own.
import type { JwksState, KeyWant } from '../../auth/jwks';
import type { Bytes, CommitAnswer, CommitRerun, ForeignReads } from '../../storage/kv';
import type { ResponseReport } from '../../server/http-types';
import type { PackedBytes, PackedRows } from './packed-bytes';

/** Which endpoint a request is for; the coordinator routes by path. */
/** `events`: jobs of event streams and feeds (src/streams), dispatched only by the coordinator. */
export type RouteKind = 'query' | 'schema' | 'v4' | 'events';

/** A request as a worker receives it. */
export interface RequestMessage {
  readonly type: 'request';
  readonly id: number;
  readonly route: RouteKind;
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly httpVersion: string;
  /** Wall-clock ms (performance.timeOrigin + now) when the request arrived. */
  readonly receivedAtEpoch: number;
  readonly body: Uint8Array;
  /**
   * A read-write transaction the coordinator began together with dispatching the request (on
   * engines where beginning costs no I/O): the worker's first begin() takes it instead of
   * asking for one. The coordinator rolls it back when the response arrives if it is still open.
   */
  readonly pre?: PreBegun;
  /**
   * The kv id of this worker's previous answering commit, which succeeded: its reply was held
   * back to travel with this request (the worker resolves it before running this one).
   */
  readonly ack?: number;
  /**
   * Present on a request run again after it asked for keys (NeedKeysMessage): the main
   * thread's state of that provider's set (to install before running; none if nothing is known).
   * Its keys were obtained once: a second "needs keys" refuses the JWT instead.
   */
  readonly keys?: { readonly uri: string; readonly state?: JwksState };
  /**
   * The coordinator kept the body: the request's answering commit may be handed off (the
   * worker is free at once; see the commit's `rerun`).
   */
  readonly rerunnable?: true;
  /** This run repeats the request after its handed-off commit failed (ServerRequest.rerun). */
  readonly rerun?: CommitRerun;
}

/**
 * Worker → coordinator, instead of a response: request `id` needs the access provider key
 * `want` (at `want.uri`), which this worker does not have. The worker is free again; the coordinator obtains them
 * (src/auth/jwks.ts `ensure`) and queues the request again with `keys`. `body` is the request's
 * body, returned because it was moved to the worker.
 */
export interface NeedKeysMessage {
  readonly type: 'needKeys';
  readonly id: number;
  readonly want: KeyWant;
  readonly body: Uint8Array;
}

/** Worker → coordinator: a cached set is past its TTL (served meanwhile): refresh it if due. */
export interface RefreshKeysMessage {
  readonly type: 'refreshKeys';
  readonly uri: string;
}

/** Coordinator → every worker: the state of `uri`'s set after a fetch settled. */
export interface KeysMessage {
  readonly type: 'keys';
  readonly uri: string;
  readonly state: JwksState;
}

/** A transaction begun by the coordinator on a worker's behalf. */
export interface PreBegun {
  readonly txn: number;
  readonly ts: bigint;
}

/** A response as a worker sends it back. */
export interface ResponseMessage {
  readonly type: 'response';
  readonly id: number;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** For the coordinator's metrics. */
  readonly report?: ResponseReport;
}

/** A response sent ahead with the commit that ends request `id` (built by the worker's endpoint). */
export type AnswerMessage = CommitAnswer & { readonly id: number };

/** A write buffered by a worker: `value` undefined is a delete. */
export interface WriteOp {
  readonly key: Bytes;
  readonly value?: Bytes;
}

/**
 * `readOnly` on an operation of a pre-begun transaction (sent once, with the first one): the
 * worker took it for a read-only begin, so the coordinator declares it read-only.
 */
export type KvRequest =
  | { readonly type: 'kv'; readonly id: number; readonly op: 'begin'; readonly readOnly: boolean; readonly minTs?: bigint }
  | { readonly type: 'kv'; readonly id: number; readonly op: 'get'; readonly txn: number; readonly key: Bytes; readonly writes?: WriteOp[]; readonly readOnly?: true }
  | {
    readonly type: 'kv'; readonly id: number; readonly op: 'scan'; readonly txn: number;
    readonly start: Bytes; readonly end: Bytes; readonly reverse?: boolean; readonly limit?: number; readonly writes?: WriteOp[];
    readonly readOnly?: true;
  }
  | {
    readonly type: 'kv'; readonly id: number; readonly op: 'scanMany'; readonly txn: number;
    /** Each scan's start and end key, in turn (packed: see packed-bytes.ts). */
    readonly bounds: PackedBytes;
    readonly scans: readonly { readonly reverse?: boolean; readonly limit?: number }[];
    readonly writes?: WriteOp[]; readonly readOnly?: true;
  }
  | {
    readonly type: 'kv'; readonly id: number; readonly op: 'commit'; readonly txn: number; readonly writes?: WriteOp[]; readonly readOnly?: true;
    /** What the worker read through its own connection (local-read-kv.ts), validated with the commit. */
    readonly reads?: ForeignReads;
    /**
     * The request's response (KvTxn.commitAnswering): once the commit succeeded the coordinator
     * answers request `id` with it, and the worker sends no response message of its own.
     */
    readonly answer?: AnswerMessage;
    /**
     * With `answer`: the commit is handed off. The worker awaits no reply (it is free for the
     * next request at once); the coordinator answers request `answer.id` if the commit succeeds,
     * and otherwise runs the request again as this says, without handing off (a conflict: the
     * next attempt; any other failure: the same attempt, so the worker reports it).
     */
    readonly rerun?: CommitRerun;
  }
  | { readonly type: 'kv'; readonly id: number; readonly op: 'rollback'; readonly txn: number }
  | { readonly type: 'kv'; readonly id: number; readonly op: 'rollbackStale'; readonly txn: number; readonly reads?: ForeignReads };

export type KvReply =
  | { readonly type: 'kv'; readonly id: number; readonly ok: true; readonly txn?: number; readonly ts?: bigint; readonly value?: Bytes; readonly rows?: PackedRows; readonly stale?: string }
  | { readonly type: 'kv'; readonly id: number; readonly ok: false; readonly error: KvErrorInfo };

/** Storage errors that callers distinguish by class cross the thread boundary by kind. */
export type KvErrorInfo =
  | { readonly kind: 'conflict'; readonly detail: string }
  | { readonly kind: 'readOnly' }
  | { readonly kind: 'other'; readonly message: string };

/** Worker → coordinator. */
export type FromWorker = ResponseMessage | KvRequest | NeedKeysMessage | RefreshKeysMessage | { readonly type: 'ready' };
/** Coordinator → worker. */
export type ToWorker = RequestMessage | KvReply | KeysMessage;
