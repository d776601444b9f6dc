// The system collections of identity documents. They live in the ordinary document keyspace
// under fixed reserved collection ids (user collections start at 1024), so reads, writes,
// scans and history reuse the model unchanged.
import { defineModule } from '../../fql/stdlib/registry';
import { defineSystemCollection, type CollectionDef } from '../model-txn';

const systemCollection = (name: string, id: number): CollectionDef => ({ name, id, ts: 0n, data: new Map() });

export const KEY_COLL = systemCollection('Key', 1);
export const TOKEN_COLL = systemCollection('Token', 2);
export const CREDENTIAL_COLL = systemCollection('Credential', 3);

export const SYSTEM_COLLECTIONS: ReadonlySet<string> = new Set([KEY_COLL.name, TOKEN_COLL.name, CREDENTIAL_COLL.name]);

/** Stored on keys and tokens (the digest of their secret); never shown to any query. */
export const HASHED_SECRET = 'hashed_secret';
/** Stored on credentials (a bcrypt hash); never shown to any query in v10. */
export const HASHED_PASSWORD = 'hashed_password';
/** The plaintext password field of Credential.create / update; never stored. */
export const PASSWORD = 'password';

/** Collections whose documents only admin may see or change (Fauna's RootClassIDs). */
export const ADMIN_ONLY = new Set(['Key', 'Role', 'Database', 'AccessProvider']);

/**
 * Registers the system collections with the model and the names of identity's built-in modules
 * (called by src/model/identity/index.ts).
 */
export function wireSystemCollections(): void {
  for (const def of [KEY_COLL, TOKEN_COLL, CREDENTIAL_COLL]) defineSystemCollection(def);
  for (const name of ['Key', 'Token', 'Credential', 'Function', 'Role', 'Database']) defineModule(name);
}
