// `migrations` in a collection definition, run when an update adds them: every document of the
// collection is rewritten in the same transaction, statement by statement, as Fauna's schema
// migrations do (add, drop, backfill, move, split, move_conflicts, move_wildcard,
// add_wildcard). Statements already present in the previous definition have run before and
// are not repeated.
import type { EvalContext } from '../../fql/eval/context';
import { equals } from '../../fql/values/compare';
import type { Value } from '../../fql/values/value';
import type { CollectionDef, ModelTxnImpl } from '../model-txn';
import { parseFieldPath, type PathPart } from './field-path';
import { conforms, signatureType } from './field-types';
import { schemaOf, type CollectionSchema } from './schema';
import { evalStoredExpr } from './stored-lambda';

export interface Statement { readonly kind: string; readonly args: ReadonlyMap<string, Value> }

function statements(data: ReadonlyMap<string, Value>): Value[] {
  const m = data.get('migrations');
  return m && m.t === 'array' ? [...m.v] : [];
}

/** The statements of `after` that `before` did not have (a new suffix, or every new one). */
export function newStatements(before: ReadonlyMap<string, Value> | undefined, after: ReadonlyMap<string, Value>): Statement[] {
  const old = before ? statements(before) : [];
  const next = statements(after);
  const isPrefix = old.length <= next.length && old.every((s, i) => equals(s, next[i]));
  const added = isPrefix ? next.slice(old.length) : next.filter((s) => !old.some((o) => equals(o, s)));
  return added.flatMap((s) => {
    if (s.t !== 'object' || s.v.size !== 1) return [];
    const [kind, body] = [...s.v][0];
    return [{ kind, args: body.t === 'object' ? body.v : new Map() }];
  });
}

const pathOf = (v: Value | undefined): PathPart[] | undefined => (v && v.t === 'string' ? parseFieldPath(v.v) : undefined);

function getAt(data: ReadonlyMap<string, Value>, path: readonly PathPart[]): Value | undefined {
  let cur: Value | undefined = { t: 'object', v: data };
  for (const p of path) cur = cur?.t === 'object' && typeof p === 'string' ? cur.v.get(p) : undefined;
  return cur;
}

/** A copy of `data` with the value at `path` set (undefined removes it); parents are created. */
function setAt(data: ReadonlyMap<string, Value>, path: readonly PathPart[], v: Value | undefined): Map<string, Value> {
  const out = new Map(data);
  const [head, ...rest] = path;
  if (typeof head !== 'string') return out;
  if (rest.length === 0) {
    if (v === undefined) out.delete(head);
    else out.set(head, v);
    return out;
  }
  const child = out.get(head);
  const inner = child?.t === 'object' ? child.v : new Map<string, Value>();
  if (v === undefined && child?.t !== 'object') return out;
  out.set(head, { t: 'object', v: setAt(inner, rest, v) });
  return out;
}

/** Top-level fields the schema does not define (computed fields count as defined). */
function undefinedFields(schema: CollectionSchema, data: ReadonlyMap<string, Value>): string[] {
  const defined = new Set([...schema.fields.map((f) => f.name), ...schema.computed.map((c) => c.name)]);
  return [...data.keys()].filter((k) => !defined.has(k));
}

function mergeInto(data: Map<string, Value>, into: string, moved: Map<string, Value>): Map<string, Value> {
  if (moved.size === 0) return data;
  const prev = data.get(into);
  const merged = new Map(prev?.t === 'object' ? prev.v : []);
  for (const [k, v] of moved) merged.set(k, v);
  data.set(into, { t: 'object', v: merged });
  return data;
}

async function apply(ctx: EvalContext, model: ModelTxnImpl, schema: CollectionSchema, st: Statement,
  data: Map<string, Value>): Promise<Map<string, Value>> {
  const field = pathOf(st.args.get('field'));
  switch (st.kind) {
    case 'drop': return field ? setAt(data, field, undefined) : data;
    case 'backfill': {
      const src = st.args.get('value');
      if (!field || !src || src.t !== 'string' || getAt(data, field) !== undefined) return data;
      const v = await evalStoredExpr(model, ctx, src.v);
      return v.t === 'null' ? data : setAt(data, field, v);
    }
    case 'move': {
      const to = pathOf(st.args.get('to'));
      const v = field ? getAt(data, field) : undefined;
      if (!field || !to || v === undefined) return data;
      return setAt(setAt(data, field, undefined), to, v);
    }
    case 'split': {
      // The value goes to the first target whose defined type admits it.
      const v = field ? getAt(data, field) : undefined;
      const to = st.args.get('to');
      if (!field || v === undefined || !to || to.t !== 'array') return data;
      let out = setAt(data, field, undefined);
      for (const target of to.v) {
        const path = pathOf(target);
        const def = path && schema.fields.find((f) => f.name === path[0]);
        if (path && (!def || conforms(v, signatureType(def.signature)))) { out = setAt(out, path, v); break; }
      }
      return out;
    }
    case 'move_conflicts': case 'move_wildcard': {
      const intoPath = pathOf(st.args.get('into'));
      if (!intoPath || typeof intoPath[0] !== 'string') return data;
      const into = intoPath[0];
      const moved = new Map<string, Value>();
      const out = new Map(data);
      const candidates = st.kind === 'move_wildcard'
        ? undefinedFields(schema, data).filter((k) => k !== into)
        : schema.fields.filter((f) => f.name !== into && data.has(f.name)
          && !conforms(data.get(f.name)!, signatureType(f.signature))).map((f) => f.name);
      for (const k of candidates) { moved.set(k, out.get(k)!); out.delete(k); }
      return mergeInto(out, into, moved);
    }
    default: return data; // add, add_wildcard: the schema changes, documents do not.
  }
}

/**
 * Run the migration statements `after` adds over every document of the collection. Returns
 * whether any document changed (its index entries then need rebuilding).
 */
export async function runMigrations(
  ctx: EvalContext, model: ModelTxnImpl, before: CollectionDef | undefined, after: CollectionDef,
): Promise<boolean> {
  const added = newStatements(before?.data, after.data);
  if (added.length === 0 || !before) return false;
  const schema = schemaOf(after);
  let changed = false;
  let from: bigint | undefined;
  for (;;) {
    const { docs, lastId, more } = await model.scanDocs(after, from, 1024);
    for (const d of docs) {
      let data = new Map(d.data);
      for (const st of added) data = await apply(ctx, model, schema, st, data);
      if (equals({ t: 'object', v: data }, { t: 'object', v: d.data })) continue;
      model.writeDoc(after, d.id, data, d.ttl);
      changed = true;
    }
    if (!more || lastId === undefined) return changed;
    from = lastId;
  }
}
