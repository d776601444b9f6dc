// The modules of the named schema documents kept by the identity layer (Function, Role,
// Database): `X.create`, `X.byName`, `X.all()`, and `update`/`replace`/`delete`/`exists` on
// definitions. Each kind validates and orders its own fields.
import type { EvalContext } from '../../fql/eval/context';
import { FALSE, TRUE, str } from '../../fql/values/construct';
import { defineMethods, isBuiltinModule, lookupMethod } from '../../fql/stdlib/registry';
import type { CallSite, NamedDocV, NullDocV, Value } from '../../fql/values/value';
import { QueryError } from '../../fql/errors';
import { NamedScanSet } from '../sets/named-scan';
import { atArguments, expectObject, expectString, modelOf } from '../stdlib/args';
import { checkSchemaWrite } from '../write-broker';
import { deleteDef, putDef, readDef, type NamedDef } from './named-store';
import { schemaWriteFailure } from '../write-failures';
import { uniqueFailure } from '../constraints/unique';

export type SchemaAction = 'create' | 'update' | 'replace';

export interface SchemaKind {
  readonly coll: string;
  /**
   * Check the fields (all of them, `name` included) and return them in Fauna's order. `before`:
   * the stored fields, on update and replace.
   */
  shape(
    ctx: EvalContext, action: SchemaAction, fields: ReadonlyMap<string, Value>, before?: ReadonlyMap<string, Value>,
  ): Promise<Map<string, Value>>;
  /** The numeric id stored with a new definition (child databases). */
  allocateId?(ctx: EvalContext): Promise<number>;
  /** Before a definition goes: refuse (references to it) or clean up (a database's contents). */
  onDelete?(ctx: EvalContext, def: NamedDef): Promise<void>;
  /** Check the shaped fields against other definitions (`previous`: the stored ones, on update). */
  checkNames?(ctx: EvalContext, action: SchemaAction, fields: ReadonlyMap<string, Value>, previous?: ReadonlyMap<string, Value>): Promise<void>;
  /** A new definition takes `name`. */
  onCreate?(ctx: EvalContext, name: string): Promise<void>;
  /** Before `def` is renamed to `newName` (references follow it). */
  onRename?(ctx: EvalContext, def: NamedDef, newName: string): Promise<void>;
}

const IDENT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function validName(kind: SchemaKind, action: SchemaAction, v: Value | undefined, identifier = true): string {
  if (!v || v.t !== 'string') throw schemaWriteFailure(action, kind.coll, 'name', 'Missing required field of type String');
  if (identifier && (!IDENT_RE.test(v.v) || isBuiltinModule(v.v))) throw schemaWriteFailure(action, kind.coll, 'name', 'Invalid identifier.');
  return v.v;
}

async function existing(ctx: EvalContext, kind: SchemaKind, self: Value): Promise<NamedDef> {
  const name = (self as NamedDocV).name;
  const def = await readDef(modelOf(ctx), kind.coll, name);
  if (!def) throw new QueryError('document_not_found', `${kind.coll} \`${name}\` not found.`);
  return def;
}

async function create(ctx: EvalContext, kind: SchemaKind, arg: Value): Promise<NamedDocV> {
  const spec = expectObject(arg, 'data');
  await checkSchemaWrite(ctx, kind.coll, 'create', () => [spec]);
  const fields = await kind.shape(ctx, 'create', spec.v);
  await kind.checkNames?.(ctx, 'create', fields);
  const name = (fields.get('name') as { v: string }).v;
  const model = modelOf(ctx);
  const taken = await readDef(model, kind.coll, name);
  if (taken) {
    // Core checks names against the schema committed before the query; a definition of the
    // same name made earlier in the query collides on the internal unique index on `name`
    // instead (UniqueConstraintSpec "accounts for internal indexes").
    if (taken.ts === model.txnTs) throw uniqueFailure([{ paths: [['name']] }]);
    throw schemaWriteFailure('create', kind.coll, 'name', `A ${kind.coll} already exists with the name \`${name}\``);
  }
  const id = kind.allocateId ? await kind.allocateId(ctx) : undefined;
  await kind.onCreate?.(ctx, name);
  putDef(model, kind.coll, name, fields, id);
  ctx.stats.writeOps += 1;
  return { t: 'named', coll: kind.coll, name };
}

/**
 * A failed update or replace of an existing definition names it, as core does:
 * ``Failed to update Role `aRole`.`` (FQL2RoleSpec "validate number of roles per collection").
 */
async function namingTheDefinition<T>(kind: SchemaKind, name: string, action: 'update' | 'replace', run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof QueryError && e.code === 'constraint_failure' && e.message === `Failed to ${action} ${kind.coll}.`) {
      e.message = `Failed to update ${kind.coll} \`${name}\`.`;
    }
    throw e;
  }
}

async function rewrite(ctx: EvalContext, kind: SchemaKind, self: Value, arg: Value, action: 'update' | 'replace'): Promise<NamedDocV> {
  const patch = expectObject(arg, 'data');
  await checkSchemaWrite(ctx, kind.coll, action, () => [self, patch]);
  const def = await existing(ctx, kind, self);
  const merged = new Map(action === 'update' ? def.data : [['name', str(def.name)] as [string, Value]]);
  for (const [k, v] of patch.v) {
    if (k === 'coll' || k === 'ts') throw schemaWriteFailure(action, kind.coll, k, `Cannot write to the reserved field \`${k}\`.`);
    if (v.t === 'null') merged.delete(k); else merged.set(k, v);
  }
  const fields = await namingTheDefinition(kind, def.name, action, async () => {
    const shaped = await kind.shape(ctx, action, merged, def.data);
    await kind.checkNames?.(ctx, action, shaped, def.data);
    return shaped;
  });
  const name = (fields.get('name') as { v: string }).v;
  const model = modelOf(ctx);
  if (name !== def.name) {
    if (await readDef(model, kind.coll, name)) {
      throw schemaWriteFailure(action, kind.coll, 'name', `A ${kind.coll} already exists with the name \`${name}\``);
    }
    await kind.onRename?.(ctx, def, name);
    deleteDef(model, kind.coll, def.name);
  }
  putDef(model, kind.coll, name, fields, def.id);
  ctx.stats.writeOps += 1;
  return { t: 'named', coll: kind.coll, name };
}

/** A Set method applied to all definitions of a kind. */
function viaAll(kind: SchemaKind, method: string) {
  return (ctx: EvalContext, args: readonly Value[], site: CallSite) => {
    const m = lookupMethod(['set'], method);
    if (!m) throw new QueryError('invalid_function_invocation', `The function \`${method}\` does not exist on \`Set\``);
    return m.impl(ctx, { t: 'set', set: new NamedScanSet(kind.coll) }, args, site);
  };
}

export function defineSchemaKind(kind: SchemaKind): void {
  defineMethods('module:' + kind.coll, {
    create: { arity: 1, impl: (ctx, _self, [arg], site) => atArguments(site, () => create(ctx, kind, arg)) },
    byName: { arity: 1, impl: (_ctx, _self, [name]) => ({ t: 'named', coll: kind.coll, name: expectString(name, 'name').v }) },
    all: { arity: 0, impl: () => ({ t: 'set', set: new NamedScanSet(kind.coll) }) },
    // `Function.where(pred)` is `Function.all().where(pred)` (docs: function/where, firstWhere).
    where: { arity: 1, impl: (ctx, _self, args, site) => viaAll(kind, 'where')(ctx, args, site) },
    firstWhere: { arity: 1, impl: (ctx, _self, args, site) => viaAll(kind, 'firstWhere')(ctx, args, site) },
    toString: { arity: 0, impl: () => str(kind.coll) },
  });
  defineMethods('named:' + kind.coll, {
    update: { arity: 1, impl: (ctx, self, [arg], site) => atArguments(site, () => rewrite(ctx, kind, self, arg, 'update')) },
    replace: { arity: 1, impl: (ctx, self, [arg], site) => atArguments(site, () => rewrite(ctx, kind, self, arg, 'replace')) },
    delete: {
      arity: 0,
      impl: async (ctx, self): Promise<NullDocV> => {
        await checkSchemaWrite(ctx, kind.coll, 'delete', () => [self]);
        const def = await existing(ctx, kind, self);
        await kind.onDelete?.(ctx, def);
        deleteDef(modelOf(ctx), kind.coll, def.name);
        ctx.stats.writeOps += 1;
        return { t: 'nulldoc', coll: kind.coll, name: def.name, cause: 'deleted' };
      },
    },
    exists: {
      arity: 0,
      impl: async (ctx, self) => ((await readDef(modelOf(ctx), kind.coll, (self as NamedDocV).name)) ? TRUE : FALSE),
    },
  });
}
