// The logical size of a value: what walking it in full (rendering, encoding, comparing) costs.
// Arrays and objects may share children, so a value built with a few operations can describe
// an exponentially large tree (`[a, a]` where `a = [b, b]`, ...). Every array and object is
// size-checked when it is built (values/construct.ts), so that no value walk can blow up.
import { MAX_VALUE_SIZE, valueTooLarge } from '../limits';
import type { Value } from './value';

/** Sizes of arrays and objects, remembered per value (values are immutable). */
const sizes = new WeakMap<object, number>();

/** One unit per value, plus the length of strings, bytes and field names. */
export function valueSize(v: Value): number {
  switch (v.t) {
    case 'string': return 1 + v.v.length;
    case 'bytes': return 1 + v.v.length;
    case 'array': case 'object': {
      const known = sizes.get(v);
      if (known !== undefined) return known;
      const size = v.t === 'array' ? childrenSize(v.v) : fieldsSize(v.v);
      sizes.set(v, size);
      return size;
    }
    default: return 1;
  }
}

function childrenSize(items: readonly Value[]): number {
  let size = 1;
  for (const x of items) size += valueSize(x);
  return size;
}

function fieldsSize(fields: ReadonlyMap<string, Value>): number {
  let size = 1;
  for (const [k, x] of fields) size += k.length + valueSize(x);
  return size;
}

/** Throws when an array or object about to be returned is too large to ever be walked (ours). */
export function checkValueSize(v: Value): void {
  const size = valueSize(v);
  if (size > MAX_VALUE_SIZE) throw valueTooLarge(`value size ${size} exceeds limit ${MAX_VALUE_SIZE}`);
}
