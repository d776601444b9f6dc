// The rest of Fauna's global environment (core GlobalResolvers.singletons): the companion
// modules that name a type (`ID`, `Doc`, `Null`, `Struct`, `SetCursor`, `EventSource`), the
// `FQL` module whose members are every global (see fqlMember), the `Credentials` alias of
// `Credential` kept for early v10 users, and `ID(x)`.
import { QueryError } from '../errors';
import { idValue } from '../values/construct';
import type { Value } from '../values/value';
import { debugString } from '../eval/display';
import { defineGlobal } from '../eval/globals';
import { defineApply, defineModule, type MethodDef } from './registry';

const ID_DIGITS = /^\d{1,19}$/;
const MAX_ID = 2n ** 63n - 1n;

/** core TypeTag.ID.cast: a non-negative 64-bit integer, given as a number or its digits. */
export function castId(v: Value): string | undefined {
  let n: bigint;
  if (v.t === 'string' && ID_DIGITS.test(v.v)) n = BigInt(v.v);
  else if (v.t === 'int') n = BigInt(v.v);
  else if (v.t === 'long') n = v.v;
  else return undefined;
  return n >= 0n && n <= MAX_ID ? n.toString() : undefined;
}

/** `ID(123)`, `ID("123")`: an ID, carried as its decimal string (values/value.ts StringV.id). */
const APPLY_ID: MethodDef = {
  arity: 1,
  impl: async (ctx, _self, [v]) => {
    const id = castId(v);
    if (id !== undefined) return idValue(id);
    throw new QueryError('invalid_id', `\`${await debugString(ctx, v, false)}\` is not a valid ID.`);
  },
};

/** Registers the companion modules, the `Credentials` alias and `ID(x)` (called by src/fql/stdlib/index.ts). */
export function wireCompanions(): void {
  for (const name of ['ID', 'Doc', 'Null', 'Struct', 'SetCursor', 'EventSource', 'FQL']) defineModule(name);
  defineGlobal('Credentials', { t: 'module', name: 'Credential' });
  defineApply('ID', APPLY_ID);
}
