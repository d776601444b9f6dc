// What an event source watches, decoded from its token's set description (token.ts) and
// resolved by name in the caller's database on every connect and poll (spec §1: the token is
// not bound to a database; a renamed or deleted collection or index fails, one re-created under
// the same name is the new one). A source is a base — all documents of a collection, the
// entries of a user index for some terms, or one document — plus the `where`/`map` steps the
// set applied, in order, and the fields `eventsOn` watches.
import { QueryError } from '../fql/errors';
import type { FunctionV, Value } from '../fql/values/value';
import { deserializeValue } from '../fql/values/serialize';
import type { KeyPart } from '../storage/tuple';
import { decodeValue } from '../model/codec';
import type { CollectionDef, ModelTxnImpl } from '../model/model-txn';
import { schemaOf, type IndexDef } from '../model/definitions/schema';
import { termParts } from '../model/indexes/index-range';
import { checkIndexRead } from '../model/sets/index-set';
import type { FieldPath } from './token';

export type SourceBase =
  | { readonly kind: 'all'; readonly coll: string }
  | { readonly kind: 'index'; readonly coll: string; readonly index: string; readonly terms: readonly Value[] }
  | { readonly kind: 'single'; readonly coll: string; readonly id: string };

export interface SourceStep { readonly kind: 'where' | 'map'; readonly fn: FunctionV }

export interface SourceSpec {
  readonly base: SourceBase;
  /** Applied in this order (innermost first). */
  readonly steps: readonly SourceStep[];
}

/** Thrown for a description that is not a streamable set of ours (a forged or foreign token). */
export class InvalidSourceError extends Error {}

type Description = Record<string, unknown>;

const isObject = (x: unknown): x is Description => typeof x === 'object' && x !== null && !Array.isArray(x);

function fnOf(j: unknown): FunctionV {
  const v = deserializeValue(j as never);
  if (v.t !== 'function') throw new InvalidSourceError('expected a function');
  return v;
}

/**
 * The base and steps of a set description (pure; names are resolved later). A token is
 * whatever its client sends: a value in it that does not decode (a function that is no
 * function, a malformed serialized value) is an invalid source, not an internal error.
 */
export function parseSource(desc: unknown): SourceSpec {
  try {
    return parseSourceSteps(desc);
  } catch (e) {
    if (e instanceof InvalidSourceError) throw e;
    throw new InvalidSourceError(e instanceof Error ? e.message : String(e));
  }
}

function parseSourceSteps(desc: unknown): SourceSpec {
  const steps: SourceStep[] = [];
  let d = desc;
  for (let depth = 0; depth < 1000; depth++) {
    if (!isObject(d)) break;
    if (d.src === 'where' || d.src === 'map') {
      // Sets built inside `at()` are refused when the source is made; a token claiming one is forged.
      if (d.at !== undefined) break;
      steps.push({ kind: d.src, fn: fnOf(d.fn) });
      d = d.inner;
      continue;
    }
    // `.pageSize(n)` is accepted and dropped (spec §2).
    if (d.src === 'paged') { d = d.inner; continue; }
    steps.reverse();
    if (d.kind === 'collAll' && typeof d.coll === 'string' && d.at === undefined && d.from === undefined && d.to === undefined && d.reverse !== true) {
      return { base: { kind: 'all', coll: d.coll }, steps };
    }
    if (d.kind === 'index' && typeof d.coll === 'string' && typeof d.index === 'string' && Array.isArray(d.terms)
      && d.range === undefined && d.at === undefined && d.rev === undefined) {
      const terms = (d.terms as never[]).map((t) => decodeValue(t));
      return { base: { kind: 'index', coll: d.coll, index: d.index, terms }, steps };
    }
    if (d.src === 'single') {
      const item = deserializeValue(d.item as never);
      if (item.t === 'doc') return { base: { kind: 'single', coll: item.coll, id: item.id }, steps };
    }
    break;
  }
  throw new InvalidSourceError('not an event source');
}

/** A source bound to the collection (and index) its names denote now. */
export interface ResolvedSource {
  readonly spec: SourceSpec;
  readonly def: CollectionDef;
  /** For index sources: the index and the key parts of the terms. */
  readonly index?: { readonly def: IndexDef; readonly terms: readonly KeyPart[] };
  /** For `Set.single` sources: the document id. */
  readonly docId?: bigint;
  readonly fields?: readonly FieldPath[];
}

/**
 * Resolve the names of `spec` in the caller's database and check the caller may read from the
 * collection (core: IndexSet/SingletonSet permission at evaluation). Failures are QueryErrors,
 * reported as "Error evaluating provided stream, <message>".
 */
export async function resolveSource(model: ModelTxnImpl, spec: SourceSpec, fields: readonly FieldPath[] | undefined): Promise<ResolvedSource> {
  const coll = spec.base.coll;
  const def = await model.collection(coll);
  if (!def) throw new QueryError('invalid_argument', `Collection \`${coll}\` does not exist.`);
  switch (spec.base.kind) {
    case 'all':
      await checkIndexRead(model, def.name);
      return { spec, def, fields };
    case 'index': {
      const idx = schemaOf(def).indexes.get(spec.base.index);
      if (!idx) throw new QueryError('invalid_argument', `The index \`${coll}.${spec.base.index}\` does not exist.`);
      if (!idx.queryable) throw new QueryError('invalid_index_invocation', `The index \`${coll}.${idx.name}\` is not queryable.`);
      await checkIndexRead(model, def.name);
      return { spec, def, index: { def: idx, terms: termParts(idx, spec.base.terms) }, fields };
    }
    case 'single': {
      const doc = await model.readDoc({ t: 'doc', coll, id: spec.base.id });
      if ('cause' in doc && doc.cause === 'permission denied') {
        throw new QueryError('permission_denied', 'Insufficient privileges to create a stream on the source document.');
      }
      return { spec, def, docId: BigInt(spec.base.id), fields };
    }
  }
}
