// The members shared by the system collection modules Key, Token and Credential:
// `all()`, `byId(id)`, `X(id)`, `where`, `firstWhere`, `create(...)`.
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import { defineApply, defineMethods, lookupMethod, type MethodDef } from '../../fql/stdlib/registry';
import type { CallSite, ObjectV, Value } from '../../fql/values/value';
import type { CollectionDef } from '../model-txn';
import { CollectionScanSet } from '../sets/collection-scan';
import { atArguments, expectDocId, expectObject } from '../stdlib/args';
import type { DocWrite } from '../write-broker';
import { nativeWriteFailure } from '../write-failures';
import { HASHED_SECRET } from './system';

export type Creator = (ctx: EvalContext, data: ObjectV) => Promise<Value>;

export function defineSystemCollectionModule(def: CollectionDef, create: Creator, extra: Record<string, MethodDef> = {}): void {
  const all = (): Value => ({ t: 'set', set: new CollectionScanSet(def.name) });
  const byId = (id: Value): Value => ({ t: 'doc', coll: def.name, id: expectDocId(id) });
  const viaSet = (method: string) => (ctx: EvalContext, _self: Value, args: readonly Value[], site: CallSite) => {
    const m = lookupMethod(['set'], method);
    if (!m) throw new QueryError('invalid_function_invocation', `The function \`${method}\` does not exist on \`Set\``);
    return m.impl(ctx, all(), args, site);
  };
  defineMethods('module:' + def.name, {
    all: { arity: 0, impl: all },
    byId: { arity: 1, impl: (_ctx, _self, [id]) => byId(id) },
    create: { arity: 1, impl: (ctx, _self, [data], site) => atArguments(site, () => create(ctx, expectObject(data, 'data'))) },
    where: { arity: 1, impl: viaSet('where') },
    firstWhere: { arity: 1, impl: viaSet('firstWhere') },
    toString: { arity: 0, impl: (): Value => ({ t: 'string', v: def.name }) },
    ...extra,
  });
  defineApply(def.name, { arity: 1, impl: (_ctx, _self, [id]) => byId(id) });
}

/** Fields core computes and never lets a write set (ReadOnlyFieldUpdate). */
const READ_ONLY_FIELDS: ReadonlySet<string> = new Set(['secret', 'hashed_secret']);

/** Reject fields a system document does not have (core's strict create types). */
export function checkFields(fields: ReadonlyMap<string, Value>, allowed: ReadonlySet<string>, fail: (path: string, message: string) => QueryError): void {
  for (const k of fields.keys()) {
    if (allowed.has(k)) continue;
    throw fail(k, READ_ONLY_FIELDS.has(k) ? 'Failed to update field because it is readonly' : 'Unexpected field provided');
  }
}

/**
 * On update and replace of a key or token: its fields as the writer gave them (without the
 * stored secret's hash), checked against `allowed` with core's messages; undefined otherwise.
 */
export function rewrittenSecretFields(w: DocWrite, coll: string, allowed: ReadonlySet<string>): Map<string, Value> | undefined {
  if (!w.after || (w.action !== 'update' && w.action !== 'replace')) return undefined;
  const visible = new Map(w.after.data);
  visible.delete(HASHED_SECRET);
  checkFields(visible, allowed, (p, m) => nativeWriteFailure('update', coll, p, m, w.id));
  return visible;
}
