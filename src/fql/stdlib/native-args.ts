// Typed parameters for native methods, with Fauna's argument-check failures. Fauna checks each
// argument against its declared parameter type before the implementation runs, and reports:
//   - single-signature methods: "expected value for `unit` of type String, received Int"
//   - overloaded methods: "expected arguments to `indexOf` of type (String) | ..., received (Int)"
// (core NativeFunction.scala / QueryFailure.scala, code `invalid_argument`).
import { QueryError } from '../errors';
import { INT_MAX, INT_MIN, typeName } from '../values/construct';
import type { ArrayV, CallSite, DateV, IntV, LongV, DoubleV, SetV, TimeV, Value } from '../values/value';
import type { EvalContext } from '../eval/context';
import type { MethodDef } from './registry';

/** A parameter type: its display name in error messages and a cast that accepts or rejects. */
export interface ParamType<T> {
  readonly display: string;
  readonly cast: (v: Value) => T | undefined;
}

export interface Param<T> { readonly name: string; readonly type: ParamType<T> }

export type NumberV = IntV | LongV | DoubleV;

/** The runtime type name Fauna prints after "received" (its dynamic ValueType display). */
export function dynamicTypeName(v: Value): string {
  switch (v.t) {
    case 'array': return 'Array<Any>';
    case 'set': return 'Set<Any>';
    case 'object': return '{ *: Any }';
    case 'eventsource': return 'EventSource<Any>';
    default: return typeName(v);
  }
}

export const STRING: ParamType<string> = {
  display: 'String',
  cast: (v) => (v.t === 'string' ? v.v : undefined),
};

/** Fauna's Int parameter also accepts a Long or a Double holding a value that fits an Int. */
export const INT: ParamType<number> = {
  display: 'Int',
  cast: (v) => {
    switch (v.t) {
      case 'int': return v.v;
      case 'long': return v.v >= BigInt(INT_MIN) && v.v <= BigInt(INT_MAX) ? Number(v.v) : undefined;
      case 'double': return Number.isInteger(v.v) && v.v >= INT_MIN && v.v <= INT_MAX ? v.v + 0 : undefined;
      default: return undefined;
    }
  },
};

export const NUMBER: ParamType<NumberV> = {
  display: 'Number',
  cast: (v) => (v.t === 'int' || v.t === 'long' || v.t === 'double' ? v : undefined),
};

export const TIME: ParamType<TimeV> = { display: 'Time', cast: (v) => (v.t === 'time' ? v : undefined) };
export const DATE: ParamType<DateV> = { display: 'Date', cast: (v) => (v.t === 'date' ? v : undefined) };
export const ARRAY_OF_NUMBER: ParamType<ArrayV> = {
  display: 'Array<Number>',
  cast: (v) => (v.t === 'array' ? v : undefined),
};
export const SET_OF_NUMBER: ParamType<SetV> = {
  display: 'Set<Number>',
  cast: (v) => (v.t === 'set' ? v : undefined),
};

export const param = <T>(name: string, type: ParamType<T>): Param<T> => ({ name, type });

type Casts<P extends readonly Param<unknown>[]> = { -readonly [K in keyof P]: P[K] extends Param<infer T> ? T : never };

export type SignatureImpl<P extends readonly Param<unknown>[]> = (
  ctx: EvalContext, self: Value, args: Casts<P>, site: CallSite,
) => Value | Promise<Value>;

/** One fixed-arity signature of a native method. */
export interface Signature {
  readonly params: readonly Param<unknown>[];
  /** Casts every argument, or returns the index of the first one that does not fit. */
  readonly tryCast: (args: readonly Value[]) => unknown[] | number;
  readonly call: (ctx: EvalContext, self: Value, casted: unknown[], site: CallSite) => Value | Promise<Value>;
}

export function sig<const P extends readonly Param<unknown>[]>(params: P, impl: SignatureImpl<P>): Signature {
  return {
    params,
    tryCast: (args) => {
      const out: unknown[] = [];
      for (let i = 0; i < params.length; i++) {
        const c = params[i].type.cast(args[i]);
        if (c === undefined) return i;
        out.push(c);
      }
      return out;
    },
    call: (ctx, self, casted, site) => impl(ctx, self, casted as Casts<P>, site),
  };
}

/** A method with a single signature. */
export function method(s: Signature): MethodDef {
  return {
    arity: s.params.length,
    impl: (ctx, self, args, site) => {
      const casted = s.tryCast(args);
      if (typeof casted === 'number') {
        const p = s.params[casted];
        throw new QueryError('invalid_argument',
          `expected value for \`${p.name}\` of type ${p.type.display}, received ${dynamicTypeName(args[casted])}`);
      }
      return s.call(ctx, self, casted, site);
    },
  };
}

/** A method with several signatures; the first one whose arity and types fit is called. */
export function overloaded(name: string, ...sigs: Signature[]): MethodDef {
  const arities = sigs.map((s) => s.params.length);
  return {
    arity: [Math.min(...arities), Math.max(...arities)],
    impl: (ctx, self, args, site) => {
      for (const s of sigs) {
        if (s.params.length !== args.length) continue;
        const casted = s.tryCast(args);
        if (typeof casted !== 'number') return s.call(ctx, self, casted, site);
      }
      const expected = sigs
        .filter((s) => s.params.length === args.length)
        .map((s) => `(${s.params.map((p) => p.type.display).join(', ')})`)
        .join(' | ');
      const received = `(${args.map(dynamicTypeName).join(', ')})`;
      throw new QueryError('invalid_argument',
        `expected arguments to \`${name}\` of type ${expected}, received ${received}`);
    },
  };
}

/** `invalid argument `name`: reason` (Fauna's generic InvalidArgument failure). */
export function invalidArgument(name: string, reason: string): QueryError {
  return new QueryError('invalid_argument', `invalid argument \`${name}\`: ${reason}`);
}
