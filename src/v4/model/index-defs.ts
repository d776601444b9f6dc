// v4 indexes (core doc/Index.scala), kept by the v4 layer: Index definitions are stored next
// to the other named schema documents, and `Match` walks the source collection and compares
// each document's term fields (v4 and v10 indexes are separate in Fauna as well). Unique
// indexes are enforced on every document write, from either language.
import { QueryError } from '../../fql/errors';
import type { Value } from '../../fql/values/value';
import type { DocData, NamedData } from '../../model/model-api';
import { ModelTxnImpl } from '../../model/model-txn';
import { allDefs, putDef, readDef, type NamedDef } from '../../model/identity/named-store';
import { checkSchemaWrite, onDocumentWrite } from '../../model/write-broker';
import { compare4, compareKeys, equals4 } from '../compare';
import { type Position, V4Error, invalidArgument, invalidRef, validationFailed, valueRequired } from '../errors';
import type { V4Query } from '../query-context';
import {
  type ObjectV4, type RefV4, type SetEntry, type V4Set, type V4Value, NULL4, arr4, nativeCollOf, scopeOf,
} from '../values';
import { scopedModel } from './locate';
import { authState } from '../../model/identity/auth-state';
import { isAllowed, permissionDenied } from '../../model/identity/permissions';
import { collectionRefOf, toModel } from './convert';
import { renderDoc, renderNamed } from './render';

const INDEX = 'Index';

export async function readIndexDef(model: ModelTxnImpl, name: string): Promise<NamedData | undefined> {
  const def = await readDef(model, INDEX, name);
  if (!def) return undefined;
  const data = new Map(def.data);
  data.delete('name');
  return { coll: INDEX, name, ts: def.ts, data };
}

interface IndexField { readonly path: readonly string[]; readonly reverse: boolean }

interface ParsedIndex {
  readonly name: string;
  readonly source: string;
  readonly terms: readonly IndexField[];
  readonly values: readonly IndexField[];
  readonly unique: boolean;
}

function parseFields(v: Value | undefined): IndexField[] {
  if (v?.t !== 'array') return [];
  return v.v.flatMap((f) => {
    if (f.t !== 'object') return [];
    const field = f.v.get('field');
    const path = field?.t === 'string' ? [field.v] : field?.t === 'array' ? field.v.map((p) => (p.t === 'string' ? p.v : String((p as { v: unknown }).v))) : [];
    const reverse = f.v.get('reverse');
    return path.length ? [{ path, reverse: reverse?.t === 'boolean' && reverse.v }] : [];
  });
}

function parseIndex(def: NamedDef): ParsedIndex {
  const source = def.data.get('source');
  const unique = def.data.get('unique');
  return {
    name: def.name,
    source: source?.t === 'named' ? source.name : '',
    terms: parseFields(def.data.get('terms')),
    values: parseFields(def.data.get('values')),
    unique: unique?.t === 'boolean' && unique.v,
  };
}

/** The value at `path` in a document version (`["data","email"]`, `["ref"]`, `["ts"]`). */
function fieldOf(version: ObjectV4, path: readonly string[]): V4Value {
  let cur: V4Value = version;
  for (const p of path) {
    if (cur.t === 'object') cur = cur.v.get(p) ?? NULL4;
    else if (cur.t === 'ref' && p === 'id') cur = { t: 'string', v: cur.id };
    else return NULL4;
  }
  return cur;
}

/** Whether a document's term fields match `terms` (an array-valued field matches any element). */
function termsMatch(idx: ParsedIndex, version: ObjectV4, terms: readonly V4Value[]): boolean {
  return idx.terms.every((f, i) => {
    const v = fieldOf(version, f.path);
    const candidates = v.t === 'array' ? v.v : [v];
    return candidates.some((c) => equals4(c, terms[i] ?? NULL4));
  });
}

function entryOf(idx: ParsedIndex, version: ObjectV4): SetEntry {
  const ref = version.v.get('ref')!;
  if (idx.values.length === 0) return { value: ref, key: [ref] };
  const values = idx.values.map((f) => fieldOf(version, f.path));
  return { value: values.length === 1 ? values[0] : arr4(values), key: [...values, ref] };
}

/**
 * Current documents of a collection, unguarded (`model` without auth state) or guarded; `db`
 * scopes the refs when `model` is a child database read through a scoped index ref.
 */
async function* versions(model: ModelTxnImpl, coll: string, db?: RefV4): AsyncIterable<{ doc: DocData; version: ObjectV4 }> {
  const def = await model.collection(coll);
  if (!def) return;
  const collRef = collectionRefOf(coll, db);
  let after: bigint | undefined;
  for (;;) {
    const { docs, lastId, more } = await model.scanDocs(def, after, 256);
    for (const doc of docs) yield { doc, version: renderDoc(model, collRef, doc, [], db) };
    if (!more || lastId === undefined) return;
    after = lastId;
  }
}

/** The set of a `Match`. */
export class MatchSet implements V4Set {
  constructor(
    private readonly model: ModelTxnImpl,
    private readonly index: ParsedIndex,
    private readonly indexRef: RefV4,
    private readonly terms: readonly V4Value[],
  ) {}

  render(): { setJson: Record<string, V4Value> } {
    return { setJson: { match: this.indexRef, terms: this.terms.length === 1 ? this.terms[0] : arr4(this.terms) } };
  }

  get shape(): number { return this.index.values.length; }

  /** Index values in their declared direction (`reverse: true` descends), then the ref. */
  compare(a: readonly V4Value[], b: readonly V4Value[]): number {
    const n = this.index.values.length;
    for (let i = 0; i < Math.min(n, a.length, b.length); i++) {
      const c = compare4(a[i], b[i]);
      if (c !== 0) return this.index.values[i].reverse ? -c : c;
    }
    // A shorter key (a cursor's prefix) sorts before the keys it prefixes.
    if (a.length <= n || b.length <= n) return a.length - b.length;
    return compareKeys(a.slice(n), b.slice(n));
  }

  /**
   * The model to read the index's documents with: reading an index needs `read` on it (each
   * entry then needs its document's read permission) or `unrestricted_read` (no document
   * checks); the predicates of either get the terms (core RoleEvalAction: index actions).
   */
  private async readingModel(): Promise<ModelTxnImpl> {
    const state = authState(this.model);
    if (!state) return this.model;
    const resource = `Index:${this.index.name}`;
    const terms = (): readonly Value[] => [{ t: 'array', v: this.terms.map((t) => toModel(t, [])) }];
    if (await isAllowed(state, resource, 'unrestricted_read', terms)) return new ModelTxnImpl(this.model.kv, this.model.db);
    if (await isAllowed(state, resource, 'read', terms)) return this.model;
    throw permissionDenied();
  }

  /** For streams (src/v4/streams): the source collection, the index ref and the terms… */
  get source(): string { return this.index.source; }
  get ref(): RefV4 { return this.indexRef; }
  get termValues(): readonly V4Value[] { return this.terms; }

  /** …and the index values of a document version in this set (undefined: its terms differ). */
  valuesOf(version: ObjectV4): readonly V4Value[] | undefined {
    return termsMatch(this.index, version, this.terms) ? this.index.values.map((f) => fieldOf(version, f.path)) : undefined;
  }

  async entries(): Promise<readonly SetEntry[]> {
    const out: SetEntry[] = [];
    const model = await this.readingModel();
    for await (const { version } of versions(model, this.index.source, scopeOf(this.indexRef))) {
      if (termsMatch(this.index, version, this.terms)) out.push(entryOf(this.index, version));
    }
    return out.sort((a, b) => this.compare(a.key, b.key));
  }
}

/** `Match(Index("i"[, scope]), terms)`: the index of the database the ref names, read as the caller. */
export async function matchSet(q: V4Query, indexRef: RefV4, terms: readonly V4Value[], pos: Position): Promise<MatchSet> {
  if (nativeCollOf(indexRef) !== 'indexes') throw invalidArgument(['Index Ref'], indexRef, pos);
  const { model } = await scopedModel(q, scopeOf(indexRef), pos);
  const def = await readDef(model, INDEX, indexRef.id);
  if (!def) throw invalidRef('index', indexRef.id, pos);
  return new MatchSet(model, parseIndex(def), indexRef, terms);
}

/** `CreateIndex({name, source, terms?, values?, unique?, serialized?, data?})`. */
export async function createIndex(q: V4Query, params: ReadonlyMap<string, V4Value>, pos: Position): Promise<ObjectV4> {
  const name = params.get('name');
  const source = params.get('source');
  const missing = [...(name ? [] : [['name']]), ...(source ? [] : [['source']])];
  if (missing.length) throw validationFailed(pos, missing.map(valueRequired));
  if (name!.t !== 'string') throw invalidArgument(['String'], name!, pos);
  if (source!.t !== 'ref' || nativeCollOf(source!) !== 'collections' || source!.db) throw invalidArgument(['Collection Ref'], source!, pos);
  await checkSchemaWrite(q.ctx, INDEX, 'create');
  if (!(await q.model.collection(source!.id))) throw invalidRef('collection', source!.id, pos);
  if (await readDef(q.model, INDEX, name!.v)) throw new V4Error('instance already exists', 'Index already exists.', pos);
  const fields = new Map<string, Value>([
    ['name', toModel(name!, pos)], ['active', { t: 'boolean', v: true }], ['serialized', { t: 'boolean', v: true }],
  ]);
  for (const k of ['unique', 'source', 'terms', 'values', 'data']) if (params.has(k)) fields.set(k, toModel(params.get(k)!, pos));
  fields.set('partitions', { t: 'int', v: 1 });
  const def = putDef(q.model, INDEX, name!.v, fields);
  q.ctx.stats.writeOps += 1;
  const data = new Map(def.data);
  data.delete('name');
  return renderNamed({ coll: INDEX, name: def.name, ts: def.ts, data }, pos);
}

/**
 * The unique indexes of a database, cached per process by its schema version (which every
 * definition change bumps), so that writes to databases without v4 indexes cost no scan.
 */
const uniqueCache = new Map<number, { readonly version: bigint; readonly indexes: readonly ParsedIndex[] }>();

async function uniqueIndexes(model: ModelTxnImpl): Promise<readonly ParsedIndex[]> {
  const version = await model.schemaVersion();
  const hit = uniqueCache.get(model.db);
  if (hit && hit.version === version) return hit.indexes;
  const indexes = (await allDefs(model.kv, model.db, INDEX)).map(parseIndex).filter((i) => i.unique);
  uniqueCache.set(model.db, { version, indexes });
  return indexes;
}

// Unique v4 indexes hold on writes from both languages (Fauna enforces them on v10 writes too).
onDocumentWrite(async (ctx, w) => {
  if (!w.after) return;
  const model = ctx.model as ModelTxnImpl;
  const unique = (await uniqueIndexes(model)).filter((i) => i.source === w.def.name);
  if (unique.length === 0) return;
  const trusted = new ModelTxnImpl(model.kv, model.db);
  const mine = renderDoc(trusted, collectionRefOf(w.def.name), { coll: w.def.name, id: w.id, ts: model.txnTs, ttl: w.after.ttl, data: w.after.data }, []);
  for (const idx of unique) {
    const key = entryOf(idx, mine).key.slice(0, -1);
    const terms = idx.terms.map((f) => fieldOf(mine, f.path));
    for await (const { doc, version } of versions(trusted, idx.source)) {
      if (doc.id === w.id || !termsMatch(idx, version, terms)) continue;
      if (compareKeys(entryOf(idx, version).key.slice(0, -1), key) === 0) {
        throw new QueryError('constraint_failure', 'Failed unique constraint.', undefined, {
          constraintFailures: [{ paths: [], message: `Index \`${idx.name}\` is unique` }],
        });
      }
    }
  }
});

