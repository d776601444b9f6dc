// `order()` arguments: an accessor function (ascending), or `asc(f)` / `desc(f)`, which build
// the objects `{ asc: f }` / `{ desc: f }` (Fauna's SetCompanion.collectOrderings).
import type { Value } from '../values/value';
import { checkParamArity } from './calls';
import { invalidArgType } from './failures';
import type { Ordering } from './sets/combinators';

export function collectOrderings(args: readonly Value[]): Ordering[] {
  return args.map((v, idx) => {
    const name = `ordering${idx}`;
    if (v.t === 'function') {
      checkParamArity(v, 1, name);
      return { fn: v, desc: false };
    }
    if (v.t === 'object' && v.v.size === 1) {
      const [[key, fn]] = v.v;
      if ((key === 'asc' || key === 'desc') && fn.t === 'function') {
        checkParamArity(fn, 1, name);
        return { fn, desc: key === 'desc' };
      }
    }
    throw invalidArgType(name, 'Function', v);
  });
}
