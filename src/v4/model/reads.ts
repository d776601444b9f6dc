// Get and Exists on refs (core ReadFunctions.scala): the current version of a document or
// schema definition, with the caller's read permission checked by the model's read guards in
// whichever database the ref points into.
import type { NullDocV } from '../../fql/values/value';
import type { DocData, NamedData } from '../../model/model-api';
import type { ModelTxnImpl } from '../../model/model-txn';
import { mayReadNamed } from '../../model/identity/permissions';
import { checkReadableAt } from '../../model/temporal/min-valid-time';
import { type Position, V4Error, invalidRef, permissionDenied } from '../errors';
import type { V4Query } from '../query-context';
import { type ObjectV4, type RefV4, scopeOf } from '../values';
import { type DocTarget, type SchemaTarget, locate } from './locate';
import { NATIVE_TITLES } from './names';
import { renderDoc, renderNamed } from './render';
import { readIndexDef } from './index-defs';
import { renderAccessProvider } from './access-providers';

const SCHEMA_KIND_NAMES: Readonly<Record<string, string>> = {
  Collection: 'collection', Database: 'database', Function: 'function', Role: 'role', Index: 'index',
  AccessProvider: 'access_provider',
};

export function notFound(t: DocTarget, pos: Position): V4Error {
  return new V4Error('instance not found', t.native ? `${NATIVE_TITLES[t.native]} not found.` : 'Document not found.', pos);
}

/**
 * The stored document, or undefined when it does not exist; throws when it may not be read.
 * Every v4 read of a document passes here, in whatever database the ref points into: the
 * target's model carries the caller's auth state (locate.ts), so the model's read guard decides.
 */
export async function readDocTarget(q: V4Query, t: DocTarget, pos: Position): Promise<DocData | undefined> {
  // Inside `At` (history.ts) the version of that time, as v10 reads inside `at`.
  const at = q.ctx.snapshotTs;
  const def = at === undefined ? undefined : await t.model.collection(t.coll);
  // Before the history kept, even an absent document is refused (core DocSnapshot).
  if (def) checkReadableAt(t.model, def, at!);
  const doc = def ? await t.model.versionAt(def, t.id, at!) : await t.model.getDoc(t.coll, t.id);
  if (!doc) return undefined;
  q.ctx.stats.readOps += 1;
  const visible = await t.model.readDoc({ t: 'doc', coll: t.coll, id: t.id, ...(def ? { readTs: at } : {}) });
  if ('cause' in visible) {
    if (visible.cause === 'permission denied') throw permissionDenied(pos);
    return undefined;
  }
  // The stored fields: v4 shows what v10 hides; render.ts decides which hashes the caller sees.
  return doc;
}

/** A definition the caller may read (every v4 read of one passes here, in any scope). */
async function readSchemaTarget(q: V4Query, t: SchemaTarget, pos: Position): Promise<NamedData> {
  const named = t.schemaColl === 'Index'
    ? await guardedIndexDef(t.model, t.name)
    : await t.model.readNamed({ t: 'named', coll: t.schemaColl, name: t.name });
  if (!named || 'cause' in named) {
    if (named && named.cause === 'permission denied') throw permissionDenied(pos);
    throw invalidRef(SCHEMA_KIND_NAMES[t.schemaColl] ?? t.schemaColl.toLowerCase(), t.name, pos);
  }
  return named;
}

/** Index definitions are kept by the v4 layer, outside the model's readers: the same guard. */
async function guardedIndexDef(model: ModelTxnImpl, name: string): Promise<NamedData | NullDocV | undefined> {
  const def = await readIndexDef(model, name);
  if (!def || (await mayReadNamed(model, def))) return def;
  return { t: 'nulldoc', coll: def.coll, name, cause: 'permission denied' };
}

/** `Get(ref)`. */
export async function getVersion(q: V4Query, ref: RefV4, pos: Position): Promise<ObjectV4> {
  const t = await locate(q, ref, pos);
  const db = scopeOf(ref);
  switch (t.kind) {
    case 'doc': {
      const doc = await readDocTarget(q, t, pos);
      if (!doc) throw notFound(t, pos);
      return renderDoc(t.model, t.collRef, doc, pos, db);
    }
    case 'schema': {
      const named = await readSchemaTarget(q, t, pos);
      return named.coll === 'AccessProvider' ? renderAccessProvider(t.model, named, pos, db) : renderNamed(named, pos, db);
    }
    case 'native': throw new V4Error('invalid argument', 'Ref expected, Collection Ref provided.', pos);
  }
}

/** `Exists(ref)`: false for missing and for unreadable documents. */
export async function refExists(q: V4Query, ref: RefV4, pos: Position): Promise<boolean> {
  try {
    await getVersion(q, ref, pos);
    return true;
  } catch (e) {
    if (e instanceof V4Error && ['instance not found', 'permission denied', 'invalid ref'].includes(e.code)) return false;
    throw e;
  }
}
