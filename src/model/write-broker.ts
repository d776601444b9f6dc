// Every document write goes through here (as in Fauna's WriteBroker): argument validation,
// reserved fields, id allocation, then the write hooks that other features register (index
// maintenance, unique and check constraints, permission checks), then storage.
import { QueryError } from '../fql/errors';
import { typeName } from '../fql/values/construct';
import type { EvalContext } from '../fql/eval/context';
import type { DocV, NullDocV, ObjectV, Value } from '../fql/values/value';
import type { CollectionDef } from './model-txn';
import type { DocData } from './model-api';
import { docWriteFailure } from './write-failures';
import { modelOf, toDocId } from './stdlib/args';
import { schemaOf } from './definitions/schema';
import { reservedFieldNames } from './doc-fields';
import { noteDocumentWrite } from './definitions/query-writes';

export type WriteAction = 'create' | 'update' | 'replace' | 'delete';

/** One document write, seen by write hooks before it is stored. */
export interface DocWrite {
  readonly action: WriteAction;
  readonly def: CollectionDef;
  readonly id: string;
  /** The current version (undefined on create). */
  readonly before?: DocData;
  /** The new version (undefined on delete). */
  readonly after?: { readonly data: ReadonlyMap<string, Value>; readonly ttl?: bigint };
  /** On create: the caller chose the id (Fauna's separate `create_with_id` privilege). */
  readonly explicitId?: boolean;
  /** Written by `createData`/`updateData`/`replaceData` (DataMode `data`): every field is stored data. */
  readonly plainData?: boolean;
  /** Written by FQL v4 (DataMode `v4`), whose permission checks differ in places (create with an id). */
  readonly v4?: boolean;
}

/** Runs before a write is stored; throws (a QueryError) to refuse it. */
export type WriteHook = (ctx: EvalContext, write: DocWrite) => Promise<void>;

const hooks: WriteHook[] = [];
export function onDocumentWrite(hook: WriteHook): void {
  hooks.push(hook);
}

/**
 * Rewrites a write to one system collection before the hooks see it: hashing a credential's
 * password, keeping a key's secret hash across replace, validating a key's role.
 */
export type WriteShaper = (ctx: EvalContext, write: DocWrite) => Promise<DocWrite>;
const shapers = new Map<string, WriteShaper>();
export function shapeWrites(coll: string, shaper: WriteShaper): void {
  shapers.set(coll, shaper);
}

/**
 * Rewrites every document write after the per-collection shaper, before the hooks: collection
 * definition defaults such as `ttl_days`.
 */
const commonShapers: WriteShaper[] = [];
export function shapeAllWrites(shaper: WriteShaper): void {
  commonShapers.push(shaper);
}

/** A write to a named schema document (Collection, Function, Role, Database definitions). */
/** `args` builds a role predicate's arguments: `(data)` to create, `(old, new)` to write, `(doc)` to delete. */
export type SchemaWriteHook = (ctx: EvalContext, coll: string, action: WriteAction, args: () => readonly Value[]) => Promise<void>;
const schemaHooks: SchemaWriteHook[] = [];
export function onSchemaWrite(hook: SchemaWriteHook): void {
  schemaHooks.push(hook);
}

/** Called by every schema write before it happens; throws to refuse it. */
export async function checkSchemaWrite(ctx: EvalContext, coll: string, action: WriteAction, args: () => readonly Value[] = () => []): Promise<void> {
  refuseForbiddenWrite(ctx, action);
  for (const h of schemaHooks) await h(ctx, coll, action, args);
}

/**
 * Runs after a write is stored, seeing the state after it (Fauna's check constraints: a check
 * that counts an index sees the new document); throws to fail the query, which discards it.
 */
const afterHooks: WriteHook[] = [];
export function afterDocumentWrite(hook: WriteHook): void {
  afterHooks.push(hook);
}

/**
 * Set by the identity layer: throws permission_denied unless the caller holds some grant of
 * `action` on `coll` (outright or by a predicate, not evaluated here). Checked before a write
 * looks at stored state, so that a caller refused in any case learns nothing from the refusal
 * (whether an id is taken, whether a document has a credential) and costs no bcrypt hash; the
 * full check, predicates included, stays with the write hooks.
 */
export type WriteGate = (ctx: EvalContext, coll: string, action: 'create' | 'create_with_id' | 'write' | 'delete') => Promise<void>;
let writeGate: WriteGate | undefined;
export function defineWriteGate(gate: WriteGate): void {
  writeGate = gate;
}

const gateAction = (w: DocWrite): Parameters<WriteGate>[2] =>
  w.action === 'create' ? (w.explicitId ? 'create_with_id' : 'create') : w.action === 'delete' ? 'delete' : 'write';

/**
 * Code that may not write (computed fields, check constraints, the lambdas of lazy sets)
 * refuses every write with `invalid_effect`; then a write at a past snapshot is refused with
 * `invalid_write`: inside `at (t) { ... }` (a user valid time) or in a resumed cursor's set,
 * which reads as of its first page (a system valid time). Core WriteBroker.requireWriteEffect:
 * the effect check, then QueryRuntimeFailure.MustWriteNow when either valid time is set.
 */
export function refuseForbiddenWrite(ctx: EvalContext, method: string): void {
  if (ctx.writesForbiddenIn !== undefined) {
    throw new QueryError('invalid_effect', `\`${method}\` performs a write, which is not allowed in ${ctx.writesForbiddenIn}.`);
  }
  if (ctx.snapshotTs !== undefined || ctx.systemTs !== undefined) {
    throw new QueryError('invalid_write', 'Cannot write at a snapshot time in the past.');
  }
}

/** Every caller (createDocument, rewriteDocument, deleteDocument) refused forbidden writes first. */
async function store(ctx: EvalContext, write: DocWrite): Promise<void> {
  await writeGate?.(ctx, write.def.name, gateAction(write));
  const shape = shapers.get(write.def.name);
  let w = shape ? await shape(ctx, write) : write;
  for (const s of commonShapers) w = await s(ctx, w);
  for (const h of hooks) await h(ctx, w);
  const model = modelOf(ctx);
  noteDocumentWrite(model, w.def.id);
  if (w.after) model.writeDoc(w.def, w.id, w.after.data, w.after.ttl);
  else model.deleteDoc(w.def, w.id);
  ctx.stats.writeOps += 1;
  for (const h of afterHooks) await h(ctx, w);
}

/**
 * How a write's fields are read (core DataMode): `fields` (create/update/replace) takes `id` and
 * `ttl` from them and refuses the reserved names; `data` (createData/updateData/replaceData)
 * stores every field as user data; `v4` (FQL v4's `data`) takes `id`/`ttl` like `fields` but
 * refuses only the metadata names, since v4 documents have no methods to collide with.
 */
export type DataMode = 'fields' | 'data' | 'v4';

const V4_META = new Set(['id', 'coll', 'ts']);

/** Null means "absent" in Fauna documents: drop null members of objects, recursively. */
function stripNulls(fields: ReadonlyMap<string, Value>): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [k, v] of fields) {
    if (v.t === 'null') continue;
    out.set(k, v.t === 'object' ? { t: 'object', v: stripNulls(v.v) } : v);
  }
  return out;
}

/** Deep merge used by `update`: objects merge, null removes, anything else replaces. */
function mergeFields(base: ReadonlyMap<string, Value>, patch: ReadonlyMap<string, Value>): Map<string, Value> {
  const out = new Map(base);
  for (const [k, v] of patch) {
    if (v.t === 'null') { out.delete(k); continue; }
    const prev = out.get(k);
    if (v.t === 'object' && prev?.t === 'object') out.set(k, { t: 'object', v: mergeFields(prev.v, v.v) });
    else out.set(k, v.t === 'object' ? { t: 'object', v: stripNulls(v.v) } : v);
  }
  return out;
}

/**
 * Separate `ttl` from the user fields; a Time sets it, null clears it. A collection whose
 * `document_ttls` is false refuses a set `ttl` (Fauna's typechecker leaves `ttl` out of its
 * documents' write types; `ttl_days` and existing ttls still apply).
 */
function takeTtl(action: 'create' | 'update' | 'replace', def: CollectionDef, fields: Map<string, Value>, id?: string): bigint | null | undefined {
  const v = fields.get('ttl');
  if (v === undefined) return undefined;
  fields.delete('ttl');
  if (v.t === 'null') return null;
  if (!schemaOf(def).documentTtls) throw docWriteFailure(action, def.name, 'ttl', 'Unexpected field provided', id);
  if (v.t !== 'time') throw docWriteFailure(action, def.name, 'ttl', `Expected Time | Null, provided ${typeName(v)}`, id);
  return v.ns;
}

/** core validateReserved: `id` is taken out before on create. */
function rejectReserved(mode: DataMode, action: 'create' | 'update' | 'replace', coll: string, fields: ReadonlyMap<string, Value>, id?: string): void {
  if (mode === 'data') return;
  const reserved = mode === 'v4' ? V4_META : reservedFieldNames(coll);
  for (const k of fields.keys()) {
    if (reserved.has(k)) throw docWriteFailure(action, coll, k, 'Is a reserved field and cannot be used', id);
  }
}

export async function createDocument(ctx: EvalContext, def: CollectionDef, data: ObjectV, mode: DataMode = 'fields'): Promise<DocV> {
  // Core WriteBroker.requireWriteEffect: refused before the arguments are looked at.
  refuseForbiddenWrite(ctx, 'create');
  const model = modelOf(ctx);
  const fields = new Map(data.v);
  let id: string;
  const given = mode === 'data' ? undefined : fields.get('id');
  // core getOrMakeID: an explicit null id is a missing required field.
  if (mode === 'fields' && given?.t === 'null') throw docWriteFailure('create', def.name, 'id', 'Missing required field of type ID | String | Long');
  if (given !== undefined && given.t !== 'null') {
    const parsed = toDocId(given);
    if (parsed === undefined) {
      if (given.t === 'string' || given.t === 'int' || given.t === 'long') {
        throw new QueryError('invalid_document_id',
          `Create in collection ${def.name} failed due to invalid document id ${given.t === 'string' ? given.v : String(given.v)}`);
      }
      throw docWriteFailure('create', def.name, 'id', `Expected ID | String | Long, provided ${typeName(given)}`);
    }
    // Whether the id is taken is the caller's business only if it may create with an id.
    await writeGate?.(ctx, def.name, 'create_with_id');
    if (await model.getDoc(def.name, parsed)) {
      throw new QueryError('document_id_exists', `Collection \`${def.name}\` already contains document with id ${parsed}.`);
    }
    id = parsed;
  } else {
    // Free when the transaction commits, or it conflicts and reruns with a new id (model-txn.ts).
    id = await model.newDocId(def);
  }
  if (mode !== 'data') fields.delete('id');
  rejectReserved(mode, 'create', def.name, fields);
  const ttl = mode === 'data' ? undefined : takeTtl('create', def, fields);
  await store(ctx, {
    action: 'create', def, id, after: { data: stripNulls(fields), ttl: ttl ?? undefined }, explicitId: given !== undefined && given.t !== 'null',
    ...(mode === 'data' ? { plainData: true } : {}), ...(mode === 'v4' ? { v4: true } : {}),
  });
  return { t: 'doc', coll: def.name, id };
}

async function existing(ctx: EvalContext, ref: DocV): Promise<{ def: CollectionDef; doc: DocData }> {
  const model = modelOf(ctx);
  const def = await model.collection(ref.coll);
  const doc = def ? await model.getDoc(ref.coll, ref.id) : undefined;
  if (!def || !doc) {
    throw new QueryError('document_not_found', `Collection \`${ref.coll}\` does not contain document with id ${ref.id}.`);
  }
  ctx.stats.readOps += 1;
  return { def, doc };
}

/** `update` (deep merge) or `replace` of an existing document. */
export async function rewriteDocument(ctx: EvalContext, ref: DocV, patch: ObjectV, action: 'update' | 'replace', mode: DataMode = 'fields'): Promise<DocV> {
  refuseForbiddenWrite(ctx, action);
  const { def, doc } = await existing(ctx, ref);
  const fields = new Map(patch.v);
  rejectReserved(mode, action, def.name, fields, ref.id);
  const ttlChange = mode === 'data' ? undefined : takeTtl(action, def, fields, ref.id);
  const data = action === 'update' ? mergeFields(doc.data, fields) : stripNulls(fields);
  const ttl = ttlChange === undefined ? doc.ttl : ttlChange ?? undefined;
  await store(ctx, { action, def, id: ref.id, before: doc, after: { data, ttl }, ...(mode === 'data' ? { plainData: true } : {}) });
  return ref;
}

export async function deleteDocument(ctx: EvalContext, ref: DocV): Promise<NullDocV> {
  refuseForbiddenWrite(ctx, 'delete');
  const { def, doc } = await existing(ctx, ref);
  await store(ctx, { action: 'delete', def, id: ref.id, before: doc });
  return { t: 'nulldoc', coll: ref.coll, id: ref.id, cause: 'deleted' };
}

