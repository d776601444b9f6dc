// Reads, writes and schema creation (core ReadFunctions.scala, WriteFunctions.scala) and sets
// with pagination (SetFunctions.scala, PaginateFunction.scala).
import { type Position, V4Error, invalidArgument } from '../errors';
import { type Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { locate, scopedModel } from '../model/locate';
import { DOC_NATIVES, SCHEMA_NATIVES } from '../model/names';
import { getVersion, refExists } from '../model/reads';
import { DocumentsSet, SchemaSet, SingletonSet } from '../model/sets';
import { create, createSchema, paramsObject, remove, rewrite } from '../model/writes';
import { matchSet } from '../model/index-defs';
import { moveDatabase } from '../model/move-database';
import type { V4Query } from '../query-context';
import { type PageV4, type SetEntry, type V4Set, type V4Value, arr4, bool4, isNativeCollectionRef, obj4, scopeOf } from '../values';
import { orderOf } from '../model/set-algebra';
import { EventsSet, eventsPage } from '../model/history';
import { expectBoolean, expectInteger, expectRef, varargs } from './args';

const DEFAULT_PAGE_SIZE = 64n;
const MAX_PAGE_SIZE = 100_000n;

/** A value used as a set: a set, a native collection ref (its documents) or a single ref. */
export async function toSet(q: V4Query, v: V4Value, pos: Position): Promise<V4Set> {
  if (v.t === 'set') return v.set;
  if (v.t !== 'ref') throw invalidArgument(['Set', 'Ref'], v, pos);
  if (!isNativeCollectionRef(v)) return new SingletonSet(v);
  const { model } = await scopedModel(q, scopeOf(v), pos);
  const native = v.id as Parameters<typeof DOC_NATIVES.get>[0];
  const docColl = DOC_NATIVES.get(native);
  if (docColl) return new DocumentsSet(model, docColl, v, false);
  const schemaColl = SCHEMA_NATIVES.get(native);
  if (schemaColl && native !== 'keys' && native !== 'tokens' && native !== 'credentials') {
    return new SchemaSet(model, schemaColl, native, v, scopeOf(v));
  }
  throw new V4Error('invalid argument', `Set expected, ${native} provided.`, pos);
}

/** Core `Casts.Set`: a set, or a native collection ref (`Collections()`) as the set of its members. */
export async function castSet(q: V4Query, v: V4Value, pos: Position): Promise<V4Set> {
  if (v.t === 'set') return v.set;
  if (v.t === 'ref' && isNativeCollectionRef(v)) return toSet(q, v, pos);
  throw invalidArgument(['Set'], v, pos);
}

/** What core's `Casts.Iterable` takes: an array, a page, or a set. */
export type Iterable4 =
  | { readonly t: 'array'; readonly items: readonly V4Value[] }
  | { readonly t: 'page'; readonly page: PageV4 }
  | { readonly t: 'set'; readonly set: V4Set };

export async function castIterable(q: V4Query, v: V4Value, pos: Position): Promise<Iterable4> {
  if (v.t === 'array') return { t: 'array', items: v.v };
  if (v.t === 'page') return { t: 'page', page: v };
  if (v.t === 'set' || (v.t === 'ref' && isNativeCollectionRef(v))) return { t: 'set', set: await castSet(q, v, pos) };
  throw invalidArgument(['Array, Set, or Page'], v, pos);
}

/** The elements of an iterable: an array's items, a page's data, a set's values. */
export async function elementsOf(it: Iterable4): Promise<readonly V4Value[]> {
  switch (it.t) {
    case 'array': return it.items;
    case 'page': return it.page.data;
    case 'set': return (await it.set.entries()).map((e) => e.value);
  }
}

/** A cursor as sent back by the driver: the element's sort key (an array, or one value). */
const cursorKey = (v: V4Value): readonly V4Value[] => (v.t === 'array' ? v.v : [v]);

/** With `sources`, each element is `{value, sources}`: the sets it came from (core ElemL). */
function page(
  set: V4Set, slice: readonly SetEntry[], before: readonly V4Value[] | undefined, after: readonly V4Value[] | undefined, sources: boolean,
): V4Value {
  const element = (e: SetEntry): V4Value => (sources
    ? obj4([['value', e.value], ['sources', arr4((e.sources ?? [set]).map((s): V4Value => ({ t: 'set', set: s })))]])
    : e.value);
  return {
    t: 'page',
    data: slice.map(element),
    cursors: slice.map((e) => arr4(e.key)),
    ...(before ? { before: arr4(before) } : {}),
    ...(after ? { after: arr4(after) } : {}),
  };
}

type Window = NonNullable<V4Set['window']>;

/**
 * A page of a set read by key range (an index): the page's elements and one more in the
 * direction of travel, and one element on the other side of the cursor, as cursors need.
 */
async function windowPage(
  set: V4Set, window: Window, after: V4Value | undefined, before: V4Value | undefined, n: number, sources: boolean,
): Promise<V4Value> {
  if (before !== undefined && after === undefined) {
    const bound = before.t === 'null' ? undefined : cursorKey(before);
    const back = await window({ from: [], to: bound ? [{ key: bound, inclusive: false }] : [], reverse: true, limit: n + 1 });
    const slice = back.slice(0, n).reverse();
    const next = bound ? await window({ from: [{ key: bound, inclusive: true }], to: [], reverse: false, limit: 1 }) : [];
    return page(set, slice, back.length > n ? slice[0].key : undefined, next[0]?.key, sources);
  }
  const bound = after === undefined || after.t === 'null' ? undefined : cursorKey(after);
  const ahead = await window({ from: bound ? [{ key: bound, inclusive: true }] : [], to: [], reverse: false, limit: n + 1 });
  const slice = ahead.slice(0, n);
  const prev = bound ? await window({ from: [], to: [{ key: bound, inclusive: false }], reverse: true, limit: 1 }) : [];
  return page(set, slice, prev.length > 0 ? slice[0]?.key ?? bound : undefined, ahead[n]?.key, sources);
}

/** `Paginate`; `given` is the set to page when the caller already built it (history.ts). */
export async function paginate(ev: Evaluator, a: FormArgs, given?: V4Set): Promise<V4Value> {
  const set = given ?? await toSet(ev.q, await a.value('paginate'), a.at('paginate'));
  let size = DEFAULT_PAGE_SIZE;
  if (a.has('size')) {
    size = expectInteger(await a.value('size'), a.at('size'));
    if (size < 1n || size > MAX_PAGE_SIZE) {
      throw new V4Error('invalid argument', `size must be between 1 and ${MAX_PAGE_SIZE}`, a.at('size'));
    }
  }
  let after = a.has('after') ? await a.value('after') : undefined;
  let before = a.has('before') ? await a.value('before') : undefined;
  if (a.has('cursor')) {
    const cursor = await a.value('cursor');
    const c = cursor.t === 'object' ? cursor.v : undefined;
    if (!c || (!c.has('after') && !c.has('before'))) {
      throw new V4Error('invalid argument', "Invalid cursor object. Expected an object with either 'before' or 'after' key in it.", a.at('cursor'));
    }
    after = c.get('after');
    before = c.get('before');
  }
  const sources = a.has('sources') && expectBoolean(await a.value('sources'), a.at('sources'));
  if (set instanceof EventsSet) return eventsPage(set, Number(size), after, before, a.pos, { after: a.at('after'), before: a.at('before') });
  const n = Number(size);
  if (set.window) return windowPage(set, set.window.bind(set), after, before, n, sources);
  // Every other set yields its elements in key order.
  const entries = await set.entries();
  const order = orderOf(set);
  const indexOf = (key: readonly V4Value[]) => {
    const i = entries.findIndex((e) => order(e.key, key) >= 0);
    return i < 0 ? entries.length : i;
  };
  const slice = (start: number, end: number) =>
    page(set, entries.slice(start, end), start > 0 ? entries[start]?.key : undefined, end < entries.length ? entries[end].key : undefined, sources);
  if (before !== undefined && after === undefined) {
    const end = before.t === 'null' ? entries.length : indexOf(cursorKey(before));
    return slice(Math.max(0, end - n), end);
  }
  const start = after === undefined || after.t === 'null' ? 0 : indexOf(cursorKey(after));
  return slice(start, Math.min(entries.length, start + n));
}

async function documents(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const coll = expectRef(await a.value('documents'), a.at('documents'));
  const t = await locate(ev.q, coll, a.at('documents'));
  if (t.kind === 'schema' && t.schemaColl === 'Collection') {
    if (!(await t.model.collection(t.name))) throw new V4Error('invalid ref', `Ref refers to undefined collection '${t.name}'`, a.at('documents'));
    return { t: 'set', set: new DocumentsSet(t.model, t.name, coll, true) };
  }
  if (t.kind === 'native' && DOC_NATIVES.has(t.native)) {
    return { t: 'set', set: new DocumentsSet(t.model, DOC_NATIVES.get(t.native)!, coll, true) };
  }
  throw invalidArgument(['Collection Ref'], coll, a.at('documents'));
}

/** The ref a Get/Exists/Login argument names: a ref, or the first element of a set. */
export async function firstRef(q: V4Query, v: V4Value, pos: Position): Promise<V4Value | undefined> {
  if (v.t === 'ref') return v;
  if (v.t !== 'set') throw invalidArgument(['Ref', 'Set'], v, pos);
  if (v.set.window) return (await v.set.window({ from: [], to: [], reverse: false, limit: 1 }))[0]?.value;
  const entries = await v.set.entries();
  return entries[0]?.value;
}

/** `Get(refOrSet)` of an evaluated argument (history.ts reads it at a past time). */
export async function getOf(q: V4Query, v: V4Value, a: FormArgs): Promise<V4Value> {
  const ref = await firstRef(q, v, a.at('get'));
  if (!ref) throw new V4Error('instance not found', 'Set not found.', a.pos);
  return getVersion(q, expectRef(ref, a.at('get')), a.pos);
}

/** `Exists(refOrSet)` of an evaluated argument. */
export async function existsOf(q: V4Query, v: V4Value, a: FormArgs): Promise<V4Value> {
  const ref = await firstRef(q, v, a.at('exists'));
  return bool4(ref !== undefined && ref.t === 'ref' && (await refExists(q, ref, a.pos)));
}

async function writeParams(a: FormArgs): Promise<ReadonlyMap<string, V4Value>> {
  return paramsObject(a.has('params') ? await a.value('params') : { t: 'null' }, a.at('params'));
}

const DOCUMENT_FORMS: readonly FormSpec[] = [
  { keys: ['get'], run: async (ev, a) => getOf(ev.q, await a.value('get'), a) },
  { keys: ['exists'], run: async (ev, a) => existsOf(ev.q, await a.value('exists'), a) },
  {
    keys: ['create'], optional: ['params'], writes: true,
    run: async (ev, a) => create(ev.q, expectRef(await a.value('create'), a.at('create')), await writeParams(a), a.pos),
  },
  {
    keys: ['update', 'params'], writes: true,
    run: async (ev, a) => rewrite(ev.q, expectRef(await a.value('update'), a.at('update')), await writeParams(a), 'update', a.pos),
  },
  {
    keys: ['replace', 'params'], writes: true,
    run: async (ev, a) => rewrite(ev.q, expectRef(await a.value('replace'), a.at('replace')), await writeParams(a), 'replace', a.pos),
  },
  {
    keys: ['delete'], writes: true,
    run: async (ev, a) => remove(ev.q, expectRef(await a.value('delete'), a.at('delete')), a.pos),
  },
  {
    keys: ['move_database', 'to'], writes: true,
    run: async (ev, a) => moveDatabase(ev.q, await a.value('move_database'), await a.value('to'), a.pos),
  },
  {
    keys: ['create_collection'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'Collection', paramsObject(await a.value('create_collection'), a.at('create_collection')), a.pos),
  },
  {
    keys: ['create_class'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'Collection', paramsObject(await a.value('create_class'), a.at('create_class')), a.pos),
  },
  {
    keys: ['create_database'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'Database', paramsObject(await a.value('create_database'), a.at('create_database')), a.pos),
  },
  {
    keys: ['create_index'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'Index', paramsObject(await a.value('create_index'), a.at('create_index')), a.pos),
  },
  {
    keys: ['create_key'], writes: true,
    run: async (ev, a) => create(ev.q, { t: 'ref', id: 'keys' }, paramsObject(await a.value('create_key'), a.at('create_key')), a.pos),
  },
  { keys: ['paginate'], optional: ['size', 'after', 'before', 'cursor', 'sources'], run: paginate },
  { keys: ['documents'], run: documents },
  {
    keys: ['match', 'terms'],
    run: async (ev, a) => ({
      t: 'set',
      set: await matchSet(ev.q, expectRef(await a.value('match'), a.at('match')), varargs(await a.value('terms')), a.at('match')),
    }),
  },
  {
    keys: ['match', 'index'],
    run: async (ev, a) => ({
      t: 'set',
      set: await matchSet(ev.q, expectRef(await a.value('index'), a.at('index')), varargs(await a.value('match')), a.at('index')),
    }),
  },
];

/** Registers the read, write, schema creation and pagination forms (called by src/v4/forms/index.ts). */
export function wireDocumentForms(): void {
  defineForms(DOCUMENT_FORMS);
}
