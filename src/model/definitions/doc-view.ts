// A document as stored code and index definitions see it: an object with the document's
// metadata (`id`, `coll`, `ts`, `ttl`), its data fields and its computed fields. Built from a
// version in hand (the one being written, or an old one being replaced), so that hooks that
// run before a write see the new version and index maintenance can recompute old entries.
import type { EvalContext } from '../../fql/eval/context';
import type { DocV, ObjectV, Value } from '../../fql/values/value';
import { idValue } from '../../fql/values/construct';
import type { ComputedFields, ModelTxn } from '../model-api';
import type { CollectionSchema } from './schema';
import type { PathPart } from './field-path';
import { callDefinitionFunction, type StoredFrame } from './stored-lambda';
import { evalPure, indexedComputedNames } from './indexed-computed';
import { dataObject, isUserDocument, showsOnlyUnderData } from '../doc-fields';

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
    ['id', idValue(d.id)],
    ['coll', { t: 'module', name: d.coll }],
    ['ts', { t: 'time', ns: d.ts * 1000n }],
  ]);
  if (d.ttl !== undefined) m.set('ttl', { t: 'time', ns: d.ttl });
  if (!isUserDocument(d.coll)) {
    for (const [k, v] of d.data) m.set(k, v);
    return { t: 'object', v: m };
  }
  for (const [k, v] of d.data) if (!showsOnlyUnderData(k)) m.set(k, v);
  m.set('data', dataObject(d.data));
  return { t: 'object', v: m };
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
 * The document view as index entries and unique constraints see it: the stored fields plus
 * the computed fields that indexes use, evaluated without database access
 * (indexed-computed.ts). Other computed fields are left out: nothing written reads them, and
 * Fauna runs a computed field only when it is read. Evaluating them here ran them on a plain
 * object instead of the document (so `order.items` in another computed field was null) and
 * with the writer's reads, failing writes over fields no index needs.
 */
export async function fullDocView(
  _model: ModelTxn, outer: EvalContext | undefined, schema: CollectionSchema, d: DocVersion,
): Promise<ObjectV> {
  const view = docView(d);
  const indexed = new Set(indexedComputedNames(schema));
  if (indexed.size === 0) return view;
  // Nor do they see the version's `ts` (core: "doesn't allow indexing if the ts field is used").
  const withoutTs: ObjectV = { t: 'object', v: new Map([...view.v].filter(([k]) => k !== 'ts')) };
  const m = new Map(view.v);
  for (const cf of schema.computed) {
    if (indexed.has(cf.name)) m.set(cf.name, await evalPure((pure) => callDefinitionFunction(pure, outer, cf.body, [withoutTs])));
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
