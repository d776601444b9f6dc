// A document as stored code and index definitions see it: an object with the document's
// metadata (`id`, `coll`, `ts`, `ttl`), its data fields and its computed fields. Built from a
// version in hand (the one being written, or an old one being replaced), so that hooks that
// run before a write see the new version and index maintenance can recompute old entries.
import type { EvalContext } from '../../fql/eval/context';
import { QueryError } from '../../fql/errors';
import type { DocV, ObjectV, Value } from '../../fql/values/value';
import type { ComputedFields, ModelTxn } from '../model-api';
import type { CollectionSchema } from './schema';
import type { PathPart } from './field-path';
import { callDefinitionFunction, type StoredFrame } from './stored-lambda';
import { evalPure, indexedComputedNames } from './indexed-computed';
import { RESERVED_FIELD_NAMES, dataObject, isUserDocument } from '../doc-fields';

const NULL: Value = { t: 'null' };

export interface DocVersion {
  readonly coll: string;
  readonly id: string;
  /** µs */
  readonly ts: bigint;
  /** ns */
  readonly ttl?: bigint;
  readonly data: ReadonlyMap<string, Value>;
}

export function docView(d: DocVersion): ObjectV {
  const m = new Map<string, Value>([
    ['id', { t: 'string', v: d.id }],
    ['coll', { t: 'module', name: d.coll }],
    ['ts', { t: 'time', ns: d.ts * 1000n }],
  ]);
  if (d.ttl !== undefined) m.set('ttl', { t: 'time', ns: d.ttl });
  if (!isUserDocument(d.coll)) {
    for (const [k, v] of d.data) m.set(k, v);
    return { t: 'object', v: m };
  }
  for (const [k, v] of d.data) if (!RESERVED_FIELD_NAMES.has(k) && k !== 'ttl') m.set(k, v);
  m.set('data', dataObject(d.data));
  return { t: 'object', v: m };
}

/**
 * The values of a collection's computed fields for one document version, as indexes see them:
 * a field whose function fails is indexed as absent (Fauna indexes nothing for it; reading
 * the field later raises the error).
 */
export async function computedValues(
  model: ModelTxn, outer: EvalContext | undefined, schema: CollectionSchema, d: DocVersion,
): Promise<Map<string, Value>> {
  const out = new Map<string, Value>();
  if (schema.computed.length === 0) return out;
  const view = docView(d);
  for (const cf of schema.computed) {
    try {
      out.set(cf.name, await callDefinitionFunction(model, outer, cf.body, [view], computedFrame(d.coll, cf.name)));
    } catch (e) {
      if (!(e instanceof QueryError)) throw e;
      out.set(cf.name, NULL);
    }
  }
  return out;
}

function computedFrame(coll: string, name: string): StoredFrame {
  return { name: `*computed_field:${coll}:${name}*`, writesForbiddenIn: 'computed fields' };
}

/**
 * A document's computed fields as reads see them: each runs when read, with the document
 * itself as its argument (so it can look itself up in indexes, be tested with `isa`, read
 * other computed fields and follow references).
 */
export function lazyComputed(model: ModelTxn, schema: CollectionSchema, self: DocV): ComputedFields {
  return {
    names: schema.computed.map((c) => c.name),
    value: (name, ctx) => {
      const cf = schema.computed.find((c) => c.name === name);
      if (!cf) return Promise.resolve(NULL);
      return callDefinitionFunction(model, ctx, cf.body, [self], computedFrame(self.coll, name));
    },
  };
}

/**
 * The document view including computed fields, as index entries and constraints see it:
 * computed fields used by indexes evaluate without database access (indexed-computed.ts).
 */
export async function fullDocView(
  model: ModelTxn, outer: EvalContext | undefined, schema: CollectionSchema, d: DocVersion,
): Promise<ObjectV> {
  const view = docView(d);
  if (schema.computed.length === 0) return view;
  const indexed = new Set(indexedComputedNames(schema));
  const m = new Map(view.v);
  for (const cf of schema.computed) {
    m.set(cf.name, indexed.has(cf.name)
      ? await evalPure((pure) => callDefinitionFunction(pure, outer, cf.body, [view]))
      : await callDefinitionFunction(model, outer, cf.body, [view]));
  }
  return { t: 'object', v: m };
}


/** The value at a field path (null when any step is missing). */
export function valueAt(view: ObjectV, path: readonly PathPart[]): Value {
  let cur: Value = view;
  for (const p of path) {
    if (typeof p === 'number') {
      if (cur.t !== 'array') return NULL;
      cur = cur.v[p] ?? NULL;
    } else {
      if (cur.t !== 'object') return NULL;
      cur = cur.v.get(p) ?? NULL;
    }
  }
  return cur;
}
