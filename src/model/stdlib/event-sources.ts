// The event-source methods of FQL v10 (core Sets.scala "event source conversion",
// EventSources.scala): `set.eventSource()`, `set.eventsOn(.a, .b)` and their older names
// `toStream()` / `changesOn(...)`, and `where` / `map` on an event source value. What can be
// streamed is decided in src/model/sets/event-sources.ts.
import type { Expr } from '../../fql/ast/nodes';
import type { EvalContext } from '../../fql/eval/context';
import { IMPLICIT } from '../../fql/eval/scope';
import { invalidArgument } from '../../fql/eval/failures';
import { layerEventSource } from '../../fql/eval/sets/event-source-layers';
import { defineMethods, lookupMethod, type MethodDef } from '../../fql/stdlib/registry';
import type { EventSourceV, SetV, Value } from '../../fql/values/value';
import type { FieldPath } from '../../streams/token';
import { createEventSource } from '../sets/event-sources';

/** The path of a field-path short lambda (`.a`, `.a.b`, `.a[0]`), or undefined. */
function pathOfExpr(e: Expr): (string | number)[] | undefined {
  switch (e.kind) {
    case 'implicitArg': return [];
    case 'member': {
      if (e.optional) return undefined;
      const p = pathOfExpr(e.object);
      return p && [...p, e.name];
    }
    case 'index': {
      if (e.optional) return undefined;
      const p = pathOfExpr(e.object);
      const i = e.index;
      if (i.kind === 'string') return p && [...p, i.value];
      if (i.kind === 'number' && i.numType === 'int' && i.value >= 0) return p && [...p, i.value];
      return undefined;
    }
    default: return undefined;
  }
}

/**
 * `eventsOn` arguments: short lambdas that are field paths only (core Sets.scala eventsOn,
 * ExprParser.processFieldPathExpr); argument `i` otherwise fails "invalid field path given".
 */
function watchedFields(args: readonly Value[]): FieldPath[] {
  return args.map((v, i) => {
    const fn = v.t === 'function' ? v.fn : undefined;
    const isShort = fn?.kind === 'lambda' && fn.params.length === 1 && fn.params[0] === IMPLICIT && !fn.variadic;
    const path = isShort ? pathOfExpr(fn.body as Expr) : undefined;
    if (path === undefined || path.length === 0) throw invalidArgument(String(i), 'invalid field path given');
    return path;
  });
}

const setOf = (self: Value): SetV => self as SetV;

const toSource = (method: string): MethodDef => ({
  arity: 0,
  impl: (ctx: EvalContext, self: Value) => createEventSource(ctx, setOf(self).set, method),
});

const watching = (method: string): MethodDef => ({
  arity: [0, Infinity],
  impl: (ctx: EvalContext, self: Value, args: readonly Value[]) => createEventSource(ctx, setOf(self).set, method, watchedFields(args)),
});

/** `source.where(p)` / `source.map(f)`: the set method of that name, applied inside the token. */
const onSourceSet = (name: 'where' | 'map'): MethodDef => ({
  arity: 1,
  impl: (ctx, self, args, site) => layerEventSource(self as EventSourceV, async (inner) => {
    // Looked up when called: the set methods are registered by src/fql/stdlib/set.ts.
    const setMethod = lookupMethod(['set'], name)!;
    return setOf(await setMethod.impl(ctx, { t: 'set', set: inner }, args, site)).set;
  }),
});

/** Registers the methods (called once by wireModelStdlib, src/model/stdlib/index.ts). */
export function defineEventSourceMethods(): void {
  defineMethods('set', {
    eventSource: toSource('.eventSource()'),
    toStream: toSource('.toStream()'),
    eventsOn: watching('.eventsOn()'),
    changesOn: watching('.changesOn()'),
  });
  defineMethods('eventsource', { where: onSourceSet('where'), map: onSourceSet('map') });
}
