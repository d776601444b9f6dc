// Identity's hooks into the model: read guards (permissions, hidden fields, secrets shown once),
// readers for Function/Role/Database definitions, UDF name resolution, and the write hooks
// that check every document and schema write. Installed by src/model/wiring.ts.
import type { DocV, Value } from '../../fql/values/value';
import type { DocData, NamedData } from '../model-api';
import type { ModelHooks, ModelTxnImpl } from '../model-txn';
import type { SchemaWriteHook, WriteAction, WriteGate, WriteHook } from '../write-broker';
import { authState, dryRunExempts, freshSecret } from './auth-state';
import { allDefs, readDef, stringField, type NamedDef } from './named-store';
import { audienceOf } from './audience';
import { str } from '../../fql/values/construct';
import type { IndexReadGuard } from '../sets/index-set';
import { QueryError } from '../../fql/errors';
import {
  type Action, allowedUnconditionally, deniedDoc, historyWriteArgs, holdsGrant, isAllowed, mayCreateWithId, mayRead, mayReadCollection, mayReadNamed,
  permissionDenied, versionValue,
} from './permissions';
import { HASHED_PASSWORD, HASHED_SECRET, SYSTEM_COLLECTIONS } from './system';
import { dataObject, isUserDocument } from '../doc-fields';

/** Named schema kinds stored by the identity layer. */
const IDENTITY_SCHEMA = new Set(['Function', 'Role', 'Database', 'AccessProvider']);

/** A system document as queries see it: hashes removed, a secret created in this query added. */
function present(txn: ModelTxnImpl, doc: DocData): DocData {
  if (!SYSTEM_COLLECTIONS.has(doc.coll)) return doc;
  const data = new Map(doc.data);
  data.delete(HASHED_SECRET);
  data.delete(HASHED_PASSWORD);
  const secret = freshSecret(txn, doc.coll, doc.id);
  if (secret !== undefined) data.set('secret', { t: 'string', v: secret });
  return { ...doc, data };
}

/** What the caller may see and resolve: identity's ModelHooks. */
export const identityReadHooks: Required<Pick<ModelHooks,
  'guardDoc' | 'readsUnguarded' | 'readsSomeHistory' | 'guardNamed' | 'readNamed' | 'resolveGlobal'>> = {
  guardDoc: async (txn, doc, historical) => {
    // A key or token created in this query is shown with its secret even to a caller that may
    // not read keys or tokens (core returns it as a version override): how login hands out tokens.
    if (freshSecret(txn, doc.coll, doc.id) !== undefined || (await mayRead(txn, doc, historical))) return present(txn, doc);
    return deniedDoc(doc);
  },
  // present() changes system documents only, and freshSecret concerns system documents only; the
  // rest is mayRead's 'read' decision with no document or predicate involved.
  readsUnguarded: async (txn, coll) => {
    if (SYSTEM_COLLECTIONS.has(coll)) return false;
    const state = authState(txn);
    return state === undefined || allowedUnconditionally(state, coll, 'read');
  },
  readsSomeHistory: async (txn, coll) => {
    const state = authState(txn);
    return state === undefined || holdsGrant(state, coll, 'history_read');
  },
  guardNamed: async (txn, doc) =>
    (await mayReadNamed(txn, doc)) ? doc : { t: 'nulldoc', coll: doc.coll, name: doc.name, cause: 'permission denied' },
  readNamed: async (txn, ref) => {
    if (!IDENTITY_SCHEMA.has(ref.coll)) return undefined;
    const def = await readDef(txn, ref.coll, ref.name);
    if (!def) return { t: 'nulldoc', coll: ref.coll, name: ref.name, cause: 'not found' };
    const data = new Map(def.data);
    data.delete('name');
    // core AccessProviderIOConfig: a provider shows the audience JWTs for its database carry.
    if (ref.coll === 'AccessProvider') data.set('audience', str(audienceOf(txn.db)));
    const named: NamedData = { coll: ref.coll, name: ref.name, ts: def.ts, data };
    return named;
  },
  resolveGlobal: async (txn, name): Promise<Value | undefined> => {
    const def = (await readDef(txn, 'Function', name)) ?? (await functionByAlias(txn, name));
    return def ? { t: 'function', fn: { kind: 'udf', name: def.name } } : undefined;
  },
};

/**
 * The function whose definition has `alias: name`: core resolves a UDF global, bare or through
 * `Function(name)`, by name then alias (model UserFunction.idByIdentifier). The value carries
 * the function's name, which is what calls and permissions go by.
 */
async function functionByAlias(txn: ModelTxnImpl, name: string): Promise<NamedDef | undefined> {
  return (await allDefs(txn.kv, txn.db, 'Function')).find((d) => stringField(d.data, 'alias') === name);
}

export const identityIndexReadGuard: IndexReadGuard = async (txn, coll) => {
  const state = authState(txn);
  if (state && !(await mayReadCollection(state, coll))) {
    throw new QueryError('permission_denied', `Insufficient privileges to read from collection ${coll}.`);
  }
};

function docAction(action: WriteAction, explicitId: boolean | undefined): Action {
  switch (action) {
    case 'create': return explicitId ? 'create_with_id' : 'create';
    case 'delete': return 'delete';
    default: return 'write';
  }
}

/** Checks a document write against the caller's roles, predicates included. */
export const identityWriteCheck: WriteHook = async (ctx, w) => {
  const state = authState(ctx.model);
  if (!state) return;
  if (state.predicateDepth > 0) throw permissionDenied();
  const action = docAction(w.action, w.explicitId);
  const ref: DocV = { t: 'doc', coll: w.def.name, id: w.id };
  const after = () => versionValue(w.def.name, w.id, ctx.model.txnTs, w.after!.data, w.after!.ttl);
  // v4 predicates get document data (`{data, ttl}`), not documents: [oldData, newData, ref]
  // on write, newData (and the ref, for a chosen id) on create (core RoleEvalAction.lambdaArgs).
  const newData = () => v4Data(w.def.name, w.after!.data, w.after!.ttl);
  const argsOf = (a: Action) => (lang: 'fql10' | 'fql4'): readonly Value[] => {
    switch (a) {
      case 'write': return lang === 'fql10' ? [ref, after()] : [v4Data(w.def.name, w.before!.data, w.before!.ttl), newData(), ref];
      case 'delete': return [ref];
      case 'create_with_id': return lang === 'fql10' ? [after()] : [newData(), ref];
      default: return lang === 'fql10' ? [after()] : [newData()];
    }
  };
  const allowed = action === 'create_with_id'
    ? await mayCreateWithId(state, w.def.name, {
      withId: argsOf('create_with_id'),
      create: argsOf('create'),
      historyWrite: () => historyWriteArgs(ref, ctx.model.txnTs, 'create', newData()),
    }, w.v4 === true ? 'fql4' : 'fql10')
    : await isAllowed(state, w.def.name, action, argsOf(action), w.before);
  if (!allowed) throw permissionDenied();
};

// Refused whatever the document: refuse before the write looks at what is stored.
export const identityWriteGate: WriteGate = async (ctx, coll, action) => {
  const state = authState(ctx.model);
  if (state && !(await holdsGrant(state, coll, action))) throw permissionDenied();
};

/** Checks a schema write against the caller's roles. */
export const identitySchemaWriteCheck: SchemaWriteHook = async (ctx, coll, action, args) => {
  const state = authState(ctx.model);
  if (!state) return;
  if (state.predicateDepth > 0) throw permissionDenied();
  if (dryRunExempts(state, ctx)) return;
  if (!(await isAllowed(state, coll, docAction(action, false), args))) throw permissionDenied();
};

/** A version's data as v4 shows it: user fields under `data`, plus `ttl`. */
function v4Data(coll: string, data: ReadonlyMap<string, Value>, ttl: bigint | undefined): Value {
  const m = new Map<string, Value>(isUserDocument(coll) ? [['data', dataObject(data)]] : [...data]);
  if (ttl !== undefined) m.set('ttl', { t: 'time', ns: ttl });
  return { t: 'object', v: m };
}
