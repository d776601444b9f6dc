// The `Collection` module, collection definitions (`Collection.byName("X")` documents) and the
// members every user collection module has (`X.all()`, `X.byId(id)`, `X.create({...})`, ...).
import { QueryError, type ConstraintFailure } from '../../fql/errors';
import { FALSE, TRUE } from '../../fql/values/construct';
import {
  defineApply, defineFields, defineMethods, defineModule, isBuiltinModule, lookupMethod, type FieldImpl, type MethodDef,
} from '../../fql/stdlib/registry';
import type { EvalContext } from '../../fql/eval/context';
import type { CallSite, ModuleV, NamedDocV, NullDocV, ObjectV, Value } from '../../fql/values/value';
import { type CollectionDef, modelHooks } from '../model-txn';
import { CollectionScanSet } from '../sets/collection-scan';
import { NamedScanSet } from '../sets/named-scan';
import { checkSchemaWrite, createDocument, type SchemaWriteHook } from '../write-broker';
import { mergeDefinition, normalizeDefinition } from '../definitions/validate';
import { refuseImpureIndexedFields } from '../definitions/indexed-computed';
import { refuseNameConflicts } from '../definitions/global-names';
import { applySchemaChange, dropCollectionEntries } from '../indexes/schema-change';
import { idRange } from '../indexes/index-range';
import { followCollectionRename } from '../identity/roles';
import { createdInQuery, noteCreation, noteDefinitionWrite, noteDeletion, noteRename, refuseWriteToDeleted } from '../definitions/query-writes';
import { atArguments, expectDocId, expectObject, expectString, modelOf } from './args';
import { refuseNonPersistable } from '../definitions/persistable';
import { schemaWriteFailure, type WriteKind } from '../write-failures';
import { PROTECTED_MODE, dropsProtectedIndex, isProtectedDb, retentionFailures } from '../definitions/protected-mode';

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Names a collection cannot take: FQL keywords, built-in modules and Fauna's reserved words. */
const RESERVED = new Set([
  '_', 'let', 'if', 'else', 'at', 'true', 'false', 'null', 'isa',
  'events', 'self', 'documents', 'ts', 'ttl', 'data', 'id', 'coll', 'create', 'update', 'delete',
  'replace', 'all', 'first', 'where', 'byName', 'byId', 'definition',
]);

function validateName(action: WriteKind, name: Value | undefined): string {
  if (!name || name.t !== 'string') {
    throw schemaWriteFailure(action, 'Collection', 'name', `Missing required field of type String`);
  }
  if (!IDENT_RE.test(name.v) || RESERVED.has(name.v) || isBuiltinModule(name.v)) {
    throw schemaWriteFailure(action, 'Collection', 'name', 'Invalid identifier.');
  }
  return name.v;
}

/**
 * The definition as stored (validated, in Fauna's order, with defaults and statuses), or a
 * constraint failure listing every problem. `current` names the collection being updated.
 */
function definitionFields(action: string, name: string, given: ReadonlyMap<string, Value>, current?: string): Map<string, Value> {
  const failures: ConstraintFailure[] = [];
  const data = normalizeDefinition(name, given, failures);
  if (failures.length > 0) {
    const what = current === undefined ? 'Collection' : `Collection \`${current}\``;
    throw new QueryError('constraint_failure', `Failed to ${action} ${what}.`, undefined, { constraintFailures: failures });
  }
  return data;
}

async function createCollection(ctx: EvalContext, arg: Value): Promise<NamedDocV> {
  const spec = expectObject(arg, 'data');
  await checkSchemaWrite(ctx, 'Collection', 'create', () => [spec]);
  refuseNonPersistable(spec.v);
  const name = validateName('create', spec.v.get('name'));
  const model = modelOf(ctx);
  if (await model.collection(name)) {
    throw schemaWriteFailure('create', 'Collection', 'name', `A Collection already exists with the name \`${name}\``);
  }
  const data = definitionFields('create', name, spec.v);
  await refuseNameConflicts(ctx, 'Collection', 'create', data);
  await refuseImpureIndexedFields(ctx, { coll: { name, data } });
  const id = await model.allocateCollectionId();
  await applySchemaChange(ctx, model, undefined, await model.putCollection(name, id, data));
  ctx.stats.writeOps += 1;
  return { t: 'named', coll: 'Collection', name };
}

async function definitionOf(ctx: EvalContext, self: Value): Promise<CollectionDef> {
  const ref = self as NamedDocV;
  const def = await modelOf(ctx).collection(ref.name);
  if (!def) throw new QueryError('document_not_found', `Collection \`${ref.name}\` not found.`);
  return def;
}

const protectedFailures = (messages: readonly string[]): ConstraintFailure[] => messages.map((message) => ({ paths: [], message }));

/**
 * Protected mode (protected-mode.ts) on a collection change: retention changes fail as the write
 * (core's write hook), a dropped backing index as an invalid schema update (core checks it after
 * the query's writes, as `DatabaseSchemaEnvViolation` with no nested errors, hence the empty
 * line before the failures).
 */
async function refuseUnprotectedChange(ctx: EvalContext, action: WriteKind, def: CollectionDef, data: ReadonlyMap<string, Value>): Promise<void> {
  const model = modelOf(ctx);
  const retention = retentionFailures(def.data, data);
  const dropsIndex = dropsProtectedIndex(model.kv, def.data, data);
  if ((retention.length === 0 && !dropsIndex) || !(await isProtectedDb(model.kv, model.db))) return;
  if (retention.length > 0) {
    throw new QueryError('constraint_failure', `Failed to ${action} Collection \`${def.name}\`.`, undefined, { constraintFailures: protectedFailures(retention) });
  }
  throw new QueryError('invalid_schema', 'Invalid database schema update.\n', undefined, {
    constraintFailures: protectedFailures([PROTECTED_MODE.deleteBackingIndex]),
  });
}

async function rewriteCollection(ctx: EvalContext, self: Value, arg: Value, action: 'update' | 'replace'): Promise<NamedDocV> {
  const patch = expectObject(arg, 'data');
  await checkSchemaWrite(ctx, 'Collection', action, () => [self, patch]);
  refuseNonPersistable(patch.v);
  const def = await definitionOf(ctx, self);
  const model = modelOf(ctx);
  noteDefinitionWrite(model, def.id);
  for (const k of patch.v.keys()) {
    if (k === 'coll' || k === 'ts') throw schemaWriteFailure(action, 'Collection', k, `Cannot write to the reserved field \`${k}\`.`);
  }
  const merged = mergeDefinition(action === 'update' ? def.data : new Map(), patch.v);
  const name = validateName(action, merged.get('name') ?? { t: 'string', v: def.name });
  if (name !== def.name) {
    if (await model.collection(name)) {
      throw schemaWriteFailure(action, 'Collection', 'name', `A Collection already exists with the name \`${name}\``);
    }
    model.dropCollectionName(def.name);
    noteRename(model, def.name, name);
    await followCollectionRename(model, def.name, name);
    await modelHooks.collectionRenamed?.(model, def.name, name);
  }
  merged.delete('name');
  const data = definitionFields(action, name, merged, def.name);
  await refuseUnprotectedChange(ctx, action, def, data);
  await refuseNameConflicts(ctx, 'Collection', action, data, def.data);
  await refuseImpureIndexedFields(ctx, { coll: { name, data } });
  await applySchemaChange(ctx, model, def, await model.putCollection(name, def.id, data));
  ctx.stats.writeOps += 1;
  return { t: 'named', coll: 'Collection', name };
}

const COLLECTION_MODULE_METHODS: Record<string, MethodDef> = {
  create: { arity: 1, impl: (ctx, _self, [arg], site) => atArguments(site, () => createCollection(ctx, arg)) },
  byName: {
    arity: 1,
    impl: (_ctx, _self, [name]) => ({ t: 'named', coll: 'Collection', name: expectString(name, 'name').v }),
  },
  all: { arity: 0, impl: () => ({ t: 'set', set: new NamedScanSet('Collection') }) },
};

const NAMED_COLLECTION_METHODS: Record<string, MethodDef> = {
  update: { arity: 1, impl: (ctx, self, [arg], site) => atArguments(site, () => rewriteCollection(ctx, self, arg, 'update')) },
  replace: { arity: 1, impl: (ctx, self, [arg], site) => atArguments(site, () => rewriteCollection(ctx, self, arg, 'replace')) },
  delete: {
    arity: 0,
    impl: (ctx, self, _args, site) => atArguments(site, async (): Promise<NullDocV> => {
      await checkSchemaWrite(ctx, 'Collection', 'delete', () => [self]);
      const def = await definitionOf(ctx, self);
      if (await isProtectedDb(modelOf(ctx).kv, modelOf(ctx).db)) {
        throw new QueryError('constraint_failure', `Failed to delete Collection \`${def.name}\`.`, undefined, {
          constraintFailures: protectedFailures([PROTECTED_MODE.deleteCollection]),
        });
      }
      noteDefinitionWrite(modelOf(ctx), def.id);
      noteDeletion(modelOf(ctx), def.name);
      await modelOf(ctx).deleteCollection(def);
      await dropCollectionEntries(modelOf(ctx), def);
      ctx.stats.writeOps += 1;
      return { t: 'nulldoc', coll: 'Collection', name: def.name, cause: 'deleted' };
    }),
  },
  exists: {
    arity: 0,
    impl: async (ctx, self) => ((await modelOf(ctx).collection((self as NamedDocV).name)) ? TRUE : FALSE),
  },
};

// Members of user collection modules --------------------------------------------------------

async function userCollection(ctx: EvalContext, self: Value): Promise<CollectionDef> {
  const name = (self as ModuleV).name;
  modelOf(ctx).bindContext(ctx);
  const def = await modelOf(ctx).collection(name);
  if (!def) {
    refuseWriteToDeleted(modelOf(ctx), name);
    throw new QueryError('invalid_argument', `Collection \`${name}\` does not exist.`);
  }
  return def;
}

/** `X.all()`, `X.all({ from, to })`; inside `at (t)` the set reads the collection as of `t`. */
const allOf = (ctx: EvalContext, self: Value, range?: Value): Value =>
  ({ t: 'set', set: new CollectionScanSet((self as ModuleV).name, false, ctx.snapshotTs, range === undefined ? {} : idRange(range)) });

/** Delegate `X.where(f)` and friends to the Set method of the same name on `X.all()`. */
function viaSet(method: string) {
  return async (ctx: EvalContext, self: Value, args: readonly Value[], site: CallSite): Promise<Value> => {
    await userCollection(ctx, self);
    const m = lookupMethod(['set'], method);
    if (!m) throw new QueryError('invalid_function_invocation', `The function \`${method}\` does not exist on \`Set\``);
    return m.impl(ctx, allOf(ctx, self), args, site);
  };
}

async function byId(ctx: EvalContext, self: Value, id: Value): Promise<Value> {
  const def = await userCollection(ctx, self);
  const docId = expectDocId(id);
  // A document looked up inside `at (t)` keeps that snapshot (Fauna's Doc readTS).
  return ctx.snapshotTs === undefined
    ? { t: 'doc', coll: def.name, id: docId }
    : { t: 'doc', coll: def.name, id: docId, readTs: ctx.snapshotTs };
}

const USER_COLLECTION_METHODS: Record<string, MethodDef> = {
  all: { arity: [0, 1], impl: async (ctx, self, [range]) => { await userCollection(ctx, self); return allOf(ctx, self, range); } },
  byId: { arity: 1, impl: (ctx, self, [id]) => byId(ctx, self, id) },
  create: {
    arity: 1,
    impl: async (ctx, self, [data], site) =>
      atArguments(site, async () => createDocument(ctx, await userCollection(ctx, self), expectObject(data, 'data') as ObjectV)),
  },
  /** Every field is user data, `id` and `ttl` included (core DataMode.PlainData). */
  createData: {
    arity: 1,
    impl: async (ctx, self, [data]) => createDocument(ctx, await userCollection(ctx, self), expectObject(data, 'data') as ObjectV, 'data'),
  },
  where: { arity: 1, impl: viaSet('where') },
  firstWhere: { arity: 1, impl: viaSet('firstWhere') },
  toString: { arity: 0, impl: (_ctx: EvalContext, self: Value): Value => ({ t: 'string', v: (self as ModuleV).name }) },
};

const USER_COLLECTION_FIELDS: Record<string, FieldImpl> = {
  definition: (_ctx, self) => ({ t: 'named', coll: 'Collection', name: (self as ModuleV).name }),
};

/**
 * `Collection("Account")` is the collection `Account` itself and `Function("double")` the
 * function (core CollectionDefCompanion / FunctionDefCompanion apply).
 */
function globalByName(kind: 'collection' | 'function', found: (v: Value) => boolean): MethodDef {
  const what = kind === 'collection' ? 'user collection' : 'user function';
  return {
    arity: 1,
    impl: async (ctx, _self, [name]) => {
      const n = expectString(name, kind).v;
      const fresh = createdInQuery(modelOf(ctx), kind === 'collection' ? 'Collection' : 'Function', n);
      const v = fresh ? undefined : await ctx.model.resolveGlobal(n);
      if (v !== undefined && found(v)) return v;
      const err = new QueryError('invalid_argument', `invalid argument \`${kind}\`: No such ${what} \`${n}\`.`);
      if (fresh) err.hints.push({ message: `A ${kind} cannot be created and used in the same query.` });
      throw err;
    },
  };
}

// Every schema create passes here (Function.create too, which lives with the identity
// schema kinds): remember the names this query creates for Collection(name) / Function(name).
export const noteCreatedSchemaName: SchemaWriteHook = async (ctx, coll, action, args) => {
  if (action !== 'create' || (coll !== 'Collection' && coll !== 'Function')) return;
  const spec = args()[0];
  const name = spec?.t === 'object' ? spec.v.get('name') : undefined;
  if (name?.t === 'string') noteCreation(modelOf(ctx), coll, name.v);
};

/**
 * Registers the `Collection` module, collection definitions and the members of user collection
 * modules (called by src/model/stdlib/index.ts).
 */
export function wireCollections(): void {
  defineModule('Collection');
  defineMethods('module:Collection', COLLECTION_MODULE_METHODS);
  defineMethods('named:Collection', NAMED_COLLECTION_METHODS);
  defineMethods('collection', USER_COLLECTION_METHODS);
  defineFields('collection', USER_COLLECTION_FIELDS);
  // `Account("123")` is `Account.byId("123")`.
  defineApply('collection', { arity: 1, impl: (ctx, self, [id]) => byId(ctx, self, id) });
  defineApply('Collection', globalByName('collection', (v) => v.t === 'module'));
  defineApply('Function', globalByName('function', (v) => v.t === 'function'));
}
