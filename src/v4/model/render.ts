// Documents as v4 shows them (core doc/*IOConfig): `{ref, ts, ...}` with `ts` in µs. User
// documents keep their fields under `data`; identity documents show `instance` (stored as
// v10's `document`) and, to admin callers only, their hashes (v10 hides them from everyone;
// a hash shown to a server key would be an offline password or secret guess away); a key's or
// token's secret appears only in the query that created it.
import type { Value } from '../../fql/values/value';
import type { DocData, NamedData } from '../../model/model-api';
import type { ModelTxnImpl } from '../../model/model-txn';
import { isBuiltin } from '../../auth/principal';
import { authState, freshSecret } from '../../model/identity/auth-state';
import { HASHED_PASSWORD, HASHED_SECRET } from '../../model/identity/system';
import type { Position } from '../errors';
import { type ObjectV4, type RefV4, type V4Value, docRef, long4, schemaRef, str4, version4 } from '../values';
import { fromModel, namedRefOf } from './convert';

const µs = (ts: bigint): V4Value => long4(ts);

function userDoc(out: Map<string, V4Value>, doc: DocData, conv: (v: Value) => V4Value): void {
  if (doc.data.size > 0) out.set('data', conv({ t: 'object', v: doc.data }));
  if (doc.ttl !== undefined) out.set('ttl', { t: 'time', ns: doc.ttl });
}

/** Whether the caller sees stored hashes: admin keys (and root, and trusted internal reads). */
function showsHashes(model: ModelTxnImpl): boolean {
  const principal = authState(model)?.principal;
  return principal === undefined || isBuiltin(principal, 'admin');
}

const HASHES: ReadonlySet<string> = new Set([HASHED_SECRET, HASHED_PASSWORD]);

function identityDoc(out: Map<string, V4Value>, doc: DocData, conv: (v: Value) => V4Value, hideHashes: boolean): void {
  const document = doc.data.get('document');
  if (document) out.set('instance', conv(document));
  if (doc.ttl !== undefined) out.set('ttl', { t: 'time', ns: doc.ttl });
  for (const [k, v] of doc.data) {
    if (k === 'document' || (HASHES.has(k) && hideHashes)) continue;
    out.set(k, conv(v));
  }
}

function keyDoc(out: Map<string, V4Value>, doc: DocData, conv: (v: Value) => V4Value, secret: string | undefined, hideHash: boolean, db?: RefV4): void {
  for (const [k, v] of doc.data) {
    if (k === HASHED_SECRET) continue;
    out.set(k, k === 'database' && v.t === 'string' ? schemaRef('databases', v.v, db) : conv(v));
  }
  if (doc.ttl !== undefined) out.set('ttl', { t: 'time', ns: doc.ttl });
  if (secret !== undefined) out.set('secret', str4(secret));
  const hash = doc.data.get(HASHED_SECRET);
  if (hash && !hideHash) out.set(HASHED_SECRET, conv(hash));
}

/** A document version; `collRef` is its collection's v4 ref, `db` the scope it was read in. */
export function renderDoc(model: ModelTxnImpl, collRef: RefV4, doc: DocData, pos: Position, db?: RefV4): ObjectV4 {
  const conv = (v: Value) => fromModel(v, pos, db);
  const out = new Map<string, V4Value>([['ref', docRef(collRef, doc.id)], ['ts', µs(doc.ts)]]);
  const secret = freshSecret(model, doc.coll, doc.id);
  const hideHashes = !showsHashes(model);
  switch (doc.coll) {
    case 'Credential': identityDoc(out, doc, conv, hideHashes); break;
    // Login's answer shows the secret instead of its hash (core TokenWriteConfig.write).
    case 'Token':
      identityDoc(out, doc, conv, hideHashes || secret !== undefined);
      if (secret !== undefined) out.set('secret', str4(secret));
      break;
    case 'Key': keyDoc(out, doc, conv, secret, hideHashes, db); break;
    default: userDoc(out, doc, conv);
  }
  return version4(out);
}

/** A schema definition (Collection, Database, Function, Role, Index). */
export function renderNamed(named: NamedData, pos: Position, db?: RefV4): ObjectV4 {
  const out = new Map<string, V4Value>([['ref', namedRefOf(named.coll, named.name, db)], ['ts', µs(named.ts)]]);
  const fields = new Map(named.data);
  if (named.coll === 'Collection') {
    // v10 definition fields without a v4 meaning stay out of the v4 view.
    for (const k of ['indexes', 'constraints', 'fields', 'computed_fields', 'migrations', 'wildcard', 'document_ttls']) fields.delete(k);
    out.set('history_days', fromModel(fields.get('history_days') ?? { t: 'int', v: 0 }, pos, db));
    fields.delete('history_days');
  }
  out.set('name', str4(named.name));
  for (const [k, v] of fields) if (k !== 'name') out.set(k, fromModel(v, pos, db));
  return version4(out);
}
