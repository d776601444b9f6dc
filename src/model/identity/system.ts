// The system collections of identity documents. They live in the ordinary document keyspace
// under fixed reserved collection ids (user collections start at 1024), so reads, writes,
// scans and history reuse the model unchanged.
import { defineModule } from '../../fql/stdlib/registry';
import { defineSystemCollection } from '../model-txn';

export const KEY_COLL = defineSystemCollection('Key', 1);
export const TOKEN_COLL = defineSystemCollection('Token', 2);
export const CREDENTIAL_COLL = defineSystemCollection('Credential', 3);

for (const name of ['Key', 'Token', 'Credential', 'Function', 'Role', 'Database']) defineModule(name);

export const SYSTEM_COLLECTIONS: ReadonlySet<string> = new Set([KEY_COLL.name, TOKEN_COLL.name, CREDENTIAL_COLL.name]);

/** Stored on keys and tokens (the digest of their secret); never shown to any query. */
export const HASHED_SECRET = 'hashed_secret';
/** Stored on credentials (a bcrypt hash); never shown to any query in v10. */
export const HASHED_PASSWORD = 'hashed_password';
/** The plaintext password field of Credential.create / update; never stored. */
export const PASSWORD = 'password';

/** Collections whose documents only admin may see or change (Fauna's RootClassIDs). */
export const ADMIN_ONLY = new Set(['Key', 'Role', 'Database', 'AccessProvider']);
