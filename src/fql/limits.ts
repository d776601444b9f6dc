// Fauna's per-query limits in one place, with where core defines each one, and the size checks
// every value-building operation runs BEFORE it allocates (so that no single operation can
// build hundreds of MB). Limits core does not have are marked "(ours)": they keep one query
// from exhausting the process where core would rely on its JVM heap and operators.
import { QueryError, QueryTimeout } from './errors';
import { checkHeapBefore } from './memory-guard';

// --- core limits ---------------------------------------------------------------------------

/**
 * Longest string, in UTF-16 units (core StringPrototype.MaxSize: the transaction size limit,
 * `transaction_max_size_bytes` in CoreConfig.scala, because longer strings cannot be written).
 */
export const MAX_STRING_SIZE = 16 * 1024 * 1024;

/**
 * Bytes one transaction may write (core `transaction_max_size_bytes` in CoreConfig.scala; our
 * measure is the stored key and value bytes of every key written).
 */
export const MAX_TRANSACTION_BYTES = 16 * 1024 * 1024;

/** Elements `Array.sequence` may generate (core ArrayPrototype.MaxSize, Arrays.scala). */
export const MAX_ARRAY_SEQUENCE = 16_000;

/** Elements a set may hold when materialised at once (core ValueSet.MaximumElements). */
export const MAX_SET_ELEMENTS = 16_000;

/** Largest page a set may be paginated with (core SetPrototype `pageSize`/`paginate`). */
export const MAX_PAGE_SIZE = 16_000;

/** Nested function calls (core RepoContext.DefaultFQLXMaxStackFrames, `fqlx_max_stack_frames`). */
export const MAX_STACK_FRAMES = 2048;

/**
 * Raw compute units per billed compute op (core QueryMetrics.BaselineCompute): one unit per
 * native method call or operator (FQLInterpreter.callNativeMethod) and per function
 * application (FQLInterpreter.evalApply); compute_ops = ceil(units / 50), at least 1
 * (`query_min_compute_ops`).
 */
export const BASELINE_COMPUTE = 50;

/** Compute ops one query may use (core State.computeOpsLimit, `fauna.compute-ops-limit`). */
export const COMPUTE_OPS_LIMIT = 12_000;

// --- our limits (no core equivalent) ---------------------------------------------------------

/**
 * (ours) Elements of any array an operation builds (concat, flatten, flatMap, split, ...).
 * Core has no such limit; 2^20 slots is 8 MiB of references, and such an array cannot be
 * written anyway (every element encodes to at least one byte of a 16 MiB transaction).
 */
export const MAX_ARRAY_SIZE = 1 << 20;

/** (ours) Fields of any object an operation builds (Object.fromEntries, assign, literals). */
export const MAX_OBJECT_SIZE = 1 << 20;

/**
 * (ours) Logical size of any array or object (values/size.ts: one unit per value plus string,
 * bytes and field-name lengths, counting shared children every time they occur): bounds the
 * work of any walk over a value, however much structure it shares.
 */
export const MAX_VALUE_SIZE = 4 * MAX_STRING_SIZE;

/**
 * (ours) Estimated encoded size of a query result (strings by length, every other value as a
 * few bytes). Values share structure, so a small query can describe an exponentially large
 * result; this stops it before it is rendered. Four maximal strings fit.
 */
export const MAX_RESULT_SIZE = 4 * MAX_STRING_SIZE;

// --- failures ---------------------------------------------------------------------------------

/** core QueryRuntimeFailure.ValueTooLarge. */
export const valueTooLarge = (reason: string): QueryError =>
  new QueryError('value_too_large', `Value too large: ${reason}.`);

/** core StringPrototype.maxExceeded. */
export const stringTooLarge = (size: number): QueryError =>
  valueTooLarge(`string size ${size} exceeds limit ${MAX_STRING_SIZE}`);

/** Throws before a string of `size` UTF-16 units is built when it would be too long. */
export function checkStringSize(size: number): void {
  if (size > MAX_STRING_SIZE) throw stringTooLarge(size);
  checkHeapBefore(size);
}

/** Throws before an array of `size` elements is built when it would be too long (ours). */
export function checkArraySize(size: number): void {
  if (size > MAX_ARRAY_SIZE) throw valueTooLarge(`array size ${size} exceeds limit ${MAX_ARRAY_SIZE}`);
}

/** Throws before an object of `size` fields is built when it would be too large (ours). */
export function checkObjectSize(size: number): void {
  if (size > MAX_OBJECT_SIZE) throw valueTooLarge(`object size ${size} exceeds limit ${MAX_OBJECT_SIZE}`);
}

/**
 * Joins parts with `separator`, checking the string limit as they add up (each part counted
 * with one separator): values share structure, so a small value can render to an enormous
 * text, and building it must stop as soon as it is too long.
 */
export class BoundedJoin {
  private readonly parts: string[] = [];
  private size = 0;
  constructor(private readonly separator: string) {}
  add(part: string): void {
    this.size += part.length + this.separator.length;
    checkStringSize(this.size);
    this.parts.push(part);
  }
  join(): string {
    return this.parts.join(this.separator);
  }
}

export function resultTooLarge(size: number): QueryError {
  return valueTooLarge(`result size ${size} exceeds limit ${MAX_RESULT_SIZE}`);
}

/**
 * core TxnTooManyComputeOpsException (repo package.scala), answered by ExceptionResponseHelpers
 * as a 400 `invalid_request` protocol error: `count` and the limit are billed ops. It ends the
 * whole query the way a timeout does (nothing inside the query, such as a role predicate, may
 * catch it), hence the subclass.
 */
export class ComputeLimitExceeded extends QueryTimeout {
  readonly limitMessage: string;
  constructor(readonly count: number) {
    super();
    this.limitMessage = `Transaction does too much compute: got ${count}, limit: ${COMPUTE_OPS_LIMIT}`;
    this.message = this.limitMessage;
  }
}

/**
 * core TxnTooLargeException (repo package.scala), answered by ExceptionResponseHelpers as a 400
 * `invalid_request` protocol error. Like a timeout, nothing inside the query may catch it.
 */
export class TransactionTooLarge extends QueryTimeout {
  readonly limitMessage: string;
  constructor(readonly size: number) {
    super();
    this.limitMessage = `Transaction exceeded limit: got ${size} bytes, limit ${MAX_TRANSACTION_BYTES} bytes`;
    this.message = this.limitMessage;
  }
}
