// Global functions (`abort`, `log`, `dbg`, `newId`, `asc`, `desc`) and the `toString` method
// every non-object value has.
import { QueryError } from '../errors';
import { NULL, idValue, obj, str } from '../values/construct';
import type { CallSite, NativeFn, Value } from '../values/value';
import type { EvalContext } from '../eval/context';
import { debugString, displayString } from '../eval/display';
import { defineGlobal } from '../eval/globals';
import { recordLog } from '../eval/state';
import { BoundedJoin } from '../limits';
import { checkParamArity } from '../eval/calls';
import { invalidArgType } from '../eval/failures';
import { newId } from '../../model/ids';
import { method, sig } from './native-args';
import { defineMethods } from './registry';

function globalFunction(
  name: string,
  arity: NativeFn['arity'],
  call: (ctx: EvalContext, args: readonly Value[], site: CallSite) => Value | Promise<Value>,
): void {
  defineGlobal(name, { t: 'function', fn: { kind: 'native', name, arity, call: (ctx, args, site) => call(ctx as EvalContext, args, site) } });
}

/** Orderings for `order()`: `asc(.name)`, `desc(.age)`. */
/** core StaticGlobalResolvers.asc/desc: the accessor takes one argument. */
function ordering(dir: 'asc' | 'desc', fn: Value): Value {
  if (fn.t !== 'function') throw invalidArgType('accessor', 'Function', fn);
  checkParamArity(fn, 1, 'accessor');
  return obj([[dir, fn]]);
}

const toString = method(sig([], async (ctx, self) => str(await displayString(ctx, self))));

/** Registers the global functions and the `toString` shared by several kinds of value (called by src/fql/stdlib/index.ts). */
export function wireGlobals(): void {
  globalFunction('abort', 1, (_ctx, [value]) => {
    throw new QueryError('abort', 'Query aborted.', undefined, { abort: value });
  });

  // `log(a, b, ...)`: one summary line of the arguments' display strings.
  globalFunction('log', [0, Infinity], async (ctx, args, site) => {
    const line = new BoundedJoin(' ');
    for (const a of args) line.add(await displayString(ctx, a));
    recordLog(ctx, line.join(), site.span);
    return NULL;
  });

  // `dbg(x)`: logs x in FQL form and returns it unchanged.
  globalFunction('dbg', 1, async (ctx, [value], site) => {
    recordLog(ctx, await debugString(ctx, value, false), site.span);
    return value;
  });

  // core: newId() is an ID (FQL2Spec "newId").
  globalFunction('newId', 0, () => idValue(newId()));

  globalFunction('asc', 1, (_ctx, [fn]) => ordering('asc', fn));
  globalFunction('desc', 1, (_ctx, [fn]) => ordering('desc', fn));

  for (const kind of ['null', 'array', 'set', 'function', 'eventsource']) defineMethods(kind, { toString });
}
