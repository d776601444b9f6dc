// What a v4 stream watches (core Casts.Streamable, StreamSubscription.scala): one document (a
// Ref of a user collection, or a version of one), the documents of a user collection
// (`Documents(Collection(..))`) or the matches of an index (`Match(Index(..), terms)`); any other
// value is refused with core's NonStreamableType message. v4 indexes are kept by the v4 layer
// (model/index-defs.ts), so an index stream watches the index's source collection and asks the
// Match set which versions belong to it.
import { QueryError } from '../../fql/errors';
import { V4Error, type Position } from '../errors';
import { fromQueryError } from '../model/failures';
import { collectionRefOf } from '../model/convert';
import { locate } from '../model/locate';
import { MatchSet } from '../model/index-defs';
import { DocumentsSet } from '../model/sets';
import type { V4Query } from '../query-context';
import { type RefV4, type V4Value, nativeCollOf, scopeOf, typeName4, versionRef } from '../values';

export type V4Source =
  | { readonly kind: 'doc'; readonly coll: string; readonly collRef: RefV4; readonly id: string }
  | { readonly kind: 'documents'; readonly coll: string; readonly collRef: RefV4 }
  | { readonly kind: 'match'; readonly coll: string; readonly collRef: RefV4; readonly set: MatchSet };

/** The stream request's expression is the root of its positions (core RootPosition). */
const ROOT: Position = [];

const nonStreamable = (v: V4Value): V4Error =>
  new V4Error('invalid argument', `Expected a Document Ref or Version, or a Set Ref, got ${typeName4(v)}.`, ROOT);

/** A user collection's ref in the caller's own database (`Collection("x")`). */
const isUserCollection = (ref: RefV4): boolean => nativeCollOf(ref) === 'collections' && scopeOf(ref) === undefined;

export async function streamSource(q: V4Query, v: V4Value): Promise<V4Source> {
  const ref = v.t === 'ref' ? v : versionRef(v);
  if (ref) {
    // An undefined collection fails as core's UnresolvedRefError ("Ref refers to undefined collection").
    const t = await locate(q, ref, ROOT);
    if (t.kind !== 'doc' || t.native !== undefined || t.scoped) throw nonStreamable(v);
    return { kind: 'doc', coll: t.coll, collRef: t.collRef, id: t.id };
  }
  if (v.t === 'set') {
    const set = v.set;
    if (set instanceof DocumentsSet && isUserCollection(set.collRef)) return { kind: 'documents', coll: set.coll, collRef: set.collRef };
    if (set instanceof MatchSet && scopeOf(set.ref) === undefined && set.source !== '') {
      // Streaming a Match reads the index: `read` or `unrestricted_read` on it, as Paginate needs.
      await set.checkReadable().catch((e: unknown) => {
        throw e instanceof QueryError ? fromQueryError(e, ROOT) : e;
      });
      return { kind: 'match', coll: set.source, collRef: collectionRefOf(set.source), set };
    }
  }
  throw nonStreamable(v);
}
