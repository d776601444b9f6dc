// Installs the model's extension points: identity's guards and permission checks, the sets the
// model decodes from cursors, reads served by index entries, collection schemas (computed fields,
// constraints, index entries, defaults, `ttl_days`), temporal reads and expiry, and FQL v4's
// indexes. The parts export their hooks; this is the one place that registers them, called by the
// runtime's composition root (src/exec/wiring.ts `wireRuntime`) and by tests that build a query
// service without it.
//
// Why this order (it is the order the parts registered themselves in when loaded by their
// imports): hooks of one kind run in the order installed, and the first to throw decides the error.
// - Document write hooks: the expiry entry first (it only records the `ttl`; a refused write is
//   rolled back with its transaction); then the caller's permission, so that a caller who may not
//   write learns permission_denied rather than anything the document's schema would say about
//   it; then the collection's schema (field types, unique constraints, index entries); last, FQL
//   v4 index entries, which follow a write the v10 schema accepted.
// - Write shapers for every collection: `ttl_days` then field defaults (they change different parts
//   of the write, `ttl` and data).
// - Schema write hooks: the caller's permission first, then noting names the query creates (so a
//   refused create notes nothing).
// The rest are one per key (set decoders, per-collection shapers, model hooks), single settings
// or lists of one (expiry removals), for which order does not matter.
import { defineHistoricalReader, defineIndexResolver, defineReadDecorator, defineSetDecoder, modelHooks } from './model-txn';
import { defineCoveredReader } from '../fql/eval/fields';
import { afterDocumentWrite, defineWriteGate, onDocumentWrite, onSchemaWrite, shapeAllWrites, shapeWrites } from './write-broker';
import { decodeIndexSet, defineIndexReadGuard } from './sets/index-set';
import { decodeCollectionScan } from './sets/collection-scan';
import { decodeNamedScan } from './sets/named-scan';
import { coveredDoc } from './sets/covered';
import {
  identityIndexReadGuard, identityReadHooks, identitySchemaWriteCheck, identityWriteCheck, identityWriteGate,
} from './identity/guards';
import { decodeTokensOfDocument, shapeTokenWrite } from './identity/token-docs';
import { shapeKeyWrite } from './identity/key-docs';
import { shapeCredentialWrite } from './identity/credential-docs';
import { KEY_COLL, TOKEN_COLL, CREDENTIAL_COLL } from './identity/system';
import { collectionIndexMethod } from './indexes/index-method';
import { computedFieldsOnRead, enforceCheckConstraints, enforceCollectionSchema } from './indexes/register';
import { noteCreatedSchemaName } from './stdlib/collections';
import { readVersionAt } from './temporal/history';
import { onExpiredRemoval, trackExpiry } from './temporal/expiry';
import { applyTtlDays } from './temporal/ttl-days';
import { applyFieldDefaults } from './definitions/field-defaults';
import { maintainV4IndexEntries, removeExpiredV4IndexEntries, v4SchemaHooks } from '../v4/model/index-defs';

let wired = false;

/** Installs every model hook, once per process: later calls do nothing. */
export function wireModel(): void {
  if (wired) return;
  wired = true;

  // Reads: what the caller may see, named schema documents, UDF names, past versions, computed
  // fields, index methods, fields served by index entries, and what v4 indexes must hear of
  // schema changes.
  Object.assign(modelHooks, identityReadHooks, v4SchemaHooks);
  defineIndexReadGuard(identityIndexReadGuard);
  defineHistoricalReader(readVersionAt);
  defineReadDecorator(computedFieldsOnRead);
  defineIndexResolver(collectionIndexMethod);
  defineCoveredReader(coveredDoc);

  // Sets a cursor can name.
  defineSetDecoder('index', decodeIndexSet);
  defineSetDecoder('collAll', decodeCollectionScan);
  defineSetDecoder('tokensOfDocument', decodeTokensOfDocument);
  defineSetDecoder('namedAll', decodeNamedScan);

  // Document writes, in the order they see a write (write-broker.ts `store`): the gate, the
  // collection's shaper, the shapers for every collection, the hooks, then after the write.
  defineWriteGate(identityWriteGate);
  shapeWrites(KEY_COLL.name, shapeKeyWrite);
  shapeWrites(TOKEN_COLL.name, shapeTokenWrite);
  shapeWrites(CREDENTIAL_COLL.name, shapeCredentialWrite);
  shapeAllWrites(applyTtlDays);
  shapeAllWrites(applyFieldDefaults);
  onDocumentWrite(trackExpiry);
  onDocumentWrite(identityWriteCheck);
  onDocumentWrite(enforceCollectionSchema);
  onDocumentWrite(maintainV4IndexEntries);
  afterDocumentWrite(enforceCheckConstraints);

  // Schema writes.
  onSchemaWrite(identitySchemaWriteCheck);
  onSchemaWrite(noteCreatedSchemaName);

  // What the expiry sweep removes with an expired document besides its v10 index entries.
  onExpiredRemoval(removeExpiredV4IndexEntries);
}
