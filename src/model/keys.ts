// The keyspace. Every key starts with the owning database's numeric id, so a database's whole
// contents are one contiguous range (child databases come with the identity work).
//
//   [db, 's', <schema coll>, <name>]      named schema documents (Collection, Function, ...)
//   [db, 'sv']                            schema version: ts of the last schema change
//   [db, 'c', <collId>, <docId>]          current version of a document
//   [db, 'h', <collId>, <docId>, -ts]     historical versions, newest first
//   ['g', 'collid']                       collection id allocator
//   [db, 'i', <collId>, <index>, ...terms, ...values, <docId>]   index entries (src/model/indexes)
//   [db, 'u', <collId>, <constraint>, ...values]  unique constraint entries → owning doc id
//   [db, 'i4', <index>, ...terms, ...values, <ref>]  FQL v4 index entries (src/v4/model/index-entries.ts)
import { encodeKey, encodeKeyWithPrefixEnd, prefixEnd, type KeyPart } from '../storage/tuple';

export type DbId = number;
export const ROOT_DB: DbId = 0;

export const schemaKey = (db: DbId, coll: string, name: string) => encodeKey([db, 's', coll, name]);
export const schemaPrefix = (db: DbId, coll: string) => encodeKey([db, 's', coll]);
export const schemaVersionKey = (db: DbId) => encodeKey([db, 'sv']);
export const docKey = (db: DbId, collId: number, docId: bigint) => encodeKey([db, 'c', collId, docId]);
export const docPrefix = (db: DbId, collId: number) => encodeKey([db, 'c', collId]);
export const versionKey = (db: DbId, collId: number, docId: bigint, ts: bigint) =>
  encodeKey([db, 'h', collId, docId, -ts]);
export const versionPrefix = (db: DbId, collId: number, docId: bigint) => encodeKey([db, 'h', collId, docId]);
/** versionKey and prefixEnd(versionPrefix) together (views of one buffer): a document's versions from `ts` back. */
export const versionsFrom = (db: DbId, collId: number, docId: bigint, ts: bigint) => {
  const { key, prefixEnd: end } = encodeKeyWithPrefixEnd([db, 'h', collId, docId, -ts], 4);
  return { start: key, end };
};
export const collIdAllocatorKey = () => encodeKey(['g', 'collid']);
export const indexKey = (db: DbId, collId: number, index: string, parts: readonly KeyPart[]) =>
  encodeKey([db, 'i', collId, index, ...parts]);
/** Every index entry of a collection (`index` omitted) or of one index. */
export const indexPrefix = (db: DbId, collId: number, index?: string) =>
  encodeKey(index === undefined ? [db, 'i', collId] : [db, 'i', collId, index]);
export const uniqueKey = (db: DbId, collId: number, constraint: string, parts: readonly KeyPart[]) =>
  encodeKey([db, 'u', collId, constraint, ...parts]);
/** Every unique-constraint entry of a collection (`constraint` omitted) or of one constraint. */
export const uniquePrefix = (db: DbId, collId: number, constraint?: string) =>
  encodeKey(constraint === undefined ? [db, 'u', collId] : [db, 'u', collId, constraint]);
/** FQL v4 index entries: v4 indexes belong to the database, not to one collection. */
export const v4IndexKey = (db: DbId, index: string, parts: readonly KeyPart[]) => encodeKey([db, 'i4', index, ...parts]);
export const collVersionsPrefix = (db: DbId, collId: number) => encodeKey([db, 'h', collId]);

/**
 * The history garbage queue: one entry per superseded version,
 *   ['gc', db, collId, supersededTs, docId, versionTs]
 * so the sweep finds the versions that fell out of a collection's `history_days` window by
 * reading a key range, never by scanning the whole history.
 */
export const gcKey = (db: DbId, collId: number, supersededTs: bigint, docId: bigint, versionTs: bigint) =>
  encodeKey(['gc', db, collId, supersededTs, docId, versionTs]);
export const gcRootPrefix = () => encodeKey(['gc']);
export const gcCollPrefix = (db: DbId, collId: number) => encodeKey(['gc', db, collId]);
/** Entries of a collection superseded strictly before `ts`. */
export const gcCollBound = (db: DbId, collId: number, ts: bigint) => encodeKey(['gc', db, collId, ts]);

export { prefixEnd };

// Identity and access control:
//   ['g', 'secret', <sha256 of secret>]   → the key or token a secret belongs to (db, coll, id)
//   ['g', 'dbid']                         database id allocator
//   ['g', 'cursorkey']                    → the key authenticating set cursors' snapshot times (src/model/cursor-key.ts)
//   [db, 'cred', <collId>, <docId>]       → id of the credential of an identity document
export const secretLookupKey = (hash: string) => encodeKey(['g', 'secret', hash]);
export const dbIdAllocatorKey = () => encodeKey(['g', 'dbid']);
export const cursorKeyKey = () => encodeKey(['g', 'cursorkey']);
export const credentialByDocKey = (db: DbId, collId: number, docId: bigint) => encodeKey([db, 'cred', collId, docId]);
/** Every key of one database (its documents, schema and indexes). */
export const databasePrefix = (db: DbId) => encodeKey([db]);

// Document expiry (src/model/temporal/expiry.ts), across databases so one sweep finds them all:
//   ['g', 'ttl', <expiry ns>, db, <collId>, <docId>]   → empty
export const expiryKey = (ttlNs: bigint, db: DbId, collId: number, docId: bigint) =>
  encodeKey(['g', 'ttl', ttlNs, db, collId, docId]);
export const expiryPrefix = () => encodeKey(['g', 'ttl']);

// The change log (event streams and feeds, src/streams): one key per document a transaction
// wrote, in transaction-time order per collection, so that a stream reads the writes after
// its cursor as one range:
//   ['ev', db, collId, ts, docId]   → empty
// Several writes of one document in one transaction leave one key (the net change). Retained
// like history (the history sweep removes entries outside the collection's window).
export const changeKey = (db: DbId, collId: number, ts: bigint, docId: bigint) => encodeKey(['ev', db, collId, ts, docId]);
export const changeCollPrefix = (db: DbId, collId: number) => encodeKey(['ev', db, collId]);
/** Entries of a collection written strictly before `ts`. */
export const changeCollBound = (db: DbId, collId: number, ts: bigint) => encodeKey(['ev', db, collId, ts]);
/** Every change-log key starts with these bytes (the encoded part 'ev'). */
export const CHANGE_LOG_PREFIX: Uint8Array = encodeKey(['ev']);
