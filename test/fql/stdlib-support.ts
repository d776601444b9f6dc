// Calls registered scalar stdlib members directly, with a minimal EvalContext.
import assert from 'node:assert/strict';
import { QueryError } from '../../src/fql/errors';
import type { EvalContext } from '../../src/fql/eval/context';
import { dispatchKeys, lookupApply, lookupField, lookupMethod } from '../../src/fql/stdlib/registry';
import { wireStdlib } from '../../src/fql/stdlib/index';
import type { Value } from '../../src/fql/values/value';

/** 2023-11-14T22:13:20Z in µs. */
export const TXN_TS = 1700000000000000n;
export const ctx = { model: { txnTs: TXN_TS } } as unknown as EvalContext;

export async function call(self: Value, name: string, ...args: Value[]): Promise<Value> {
  wireStdlib();
  const def = lookupMethod(dispatchKeys(self), name);
  assert.ok(def, `no method ${name} on ${self.t}`);
  const [min, max] = typeof def.arity === 'number' ? [def.arity, def.arity] : def.arity;
  assert.ok(args.length >= min && args.length <= max, `arity of ${name}`);
  return def.impl(ctx, self, args, {});
}

export async function field(self: Value, name: string): Promise<Value> {
  wireStdlib();
  const f = lookupField(dispatchKeys(self), name);
  assert.ok(f, `no field ${name} on ${self.t}`);
  return f(ctx, self);
}

export async function apply(moduleName: string, ...args: Value[]): Promise<Value> {
  wireStdlib();
  const def = lookupApply(moduleName);
  assert.ok(def, `${moduleName} is not applicable`);
  return def.impl(ctx, { t: 'module', name: moduleName }, args, {});
}

export const mod = (name: string): Value => ({ t: 'module', name });

/** Asserts that `p` fails with a QueryError of this code and message. */
export async function rejects(p: Promise<unknown> | (() => Promise<unknown>), code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(typeof p === 'function' ? p() : p, (e: unknown) => {
    assert.ok(e instanceof QueryError, `not a QueryError: ${String(e)}`);
    assert.equal(e.code, code);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });
}
