// Constructors and small predicates for FQL values. Keep these allocation-light: they sit on
// the evaluator's hot path.
import type {
  ArrayV, BooleanV, DoubleV, IntV, LongV, NullV, ObjectV, StringV, TimeV, Value,
} from './value';
import { checkValueSize } from './size';

export const NULL: NullV = Object.freeze({ t: 'null' });
export const TRUE: BooleanV = Object.freeze({ t: 'boolean', v: true });
export const FALSE: BooleanV = Object.freeze({ t: 'boolean', v: false });

export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;
export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

export const bool = (b: boolean): BooleanV => (b ? TRUE : FALSE);
export const int = (n: number): IntV => ({ t: 'int', v: n | 0 });
export const long = (n: bigint): LongV => ({ t: 'long', v: BigInt.asIntN(64, n) });
export const double = (n: number): DoubleV => ({ t: 'double', v: n });
export const str = (s: string): StringV => ({ t: 'string', v: s });
/** An ID (see StringV.id): a document id as core's Value.ID. */
export const idValue = (id: string): StringV => ({ t: 'string', v: id, id: true });
/** `v` with every ID in it a plain string (core stores an ID as a string); `v` itself if it holds none. */
export function withoutIds(v: Value): Value {
  switch (v.t) {
    case 'string': return v.id ? str(v.v) : v;
    case 'array': {
      let out: Value[] | undefined;
      v.v.forEach((x, i) => {
        const y = withoutIds(x);
        if (y !== x) (out ??= [...v.v])[i] = y;
      });
      return out ? { t: 'array', v: out } : v;
    }
    case 'object': {
      const m = withoutIdsIn(v.v);
      return m === v.v ? v : { t: 'object', v: m };
    }
    default: return v;
  }
}

/** Fields with every ID a plain string: the map itself if none holds one. */
export function withoutIdsIn(fields: ReadonlyMap<string, Value>): ReadonlyMap<string, Value> {
  let out: Map<string, Value> | undefined;
  for (const [k, x] of fields) {
    const y = withoutIds(x);
    if (y !== x) (out ??= new Map(fields)).set(k, y);
  }
  return out ?? fields;
}

/** The transaction time (see TimeV.txn), `ns` since the epoch. */
export const txnTimeValue = (ns: bigint): TimeV => ({ t: 'time', ns, txn: true });
/** Arrays and objects are size-checked as they are built (values/size.ts). */
export function arr(items: readonly Value[]): ArrayV {
  const v: ArrayV = { t: 'array', v: items };
  checkValueSize(v);
  return v;
}
export function obj(entries: ReadonlyMap<string, Value> | Iterable<[string, Value]>): ObjectV {
  const v: ObjectV = { t: 'object', v: entries instanceof Map ? entries : new Map(entries) };
  checkValueSize(v);
  return v;
}

/** An integer result: Int when it fits in 32 bits, else Long (as Fauna widens integer math). */
export function integer(n: bigint): IntV | LongV {
  return n >= BigInt(INT_MIN) && n <= BigInt(INT_MAX) ? int(Number(n)) : long(n);
}

export const isNullish = (v: Value): boolean => v.t === 'null' || v.t === 'nulldoc';
export const isNumber = (v: Value): v is IntV | LongV | DoubleV =>
  v.t === 'int' || v.t === 'long' || v.t === 'double';

/**
 * The FQL type name of a value, as used in error messages ("expected type: Int, received
 * String"). Documents are named after their collection.
 */
export function typeName(v: Value): string {
  switch (v.t) {
    case 'null': return 'Null';
    case 'boolean': return 'Boolean';
    case 'int': return 'Int';
    case 'long': return 'Long';
    case 'double': return 'Double';
    case 'string': return v.id ? 'ID' : 'String';
    case 'bytes': return 'Bytes';
    case 'time': return v.txn ? 'TransactionTime' : 'Time';
    case 'date': return 'Date';
    case 'uuid': return 'UUID';
    case 'array': return 'Array';
    case 'object': return 'Object';
    case 'module': return 'Module';
    case 'doc': return v.coll;
    case 'named': return v.coll === 'Collection' ? 'CollectionDef' : v.coll;
    case 'nulldoc': return 'Null' + v.coll;
    case 'set': return 'Set';
    case 'function': return 'Function';
    case 'eventsource': return 'EventSource';
  }
}
