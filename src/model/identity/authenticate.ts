// Authentication inside the query's own transaction (core `Auth.fromInfo`/`AuthScope`): the
// secret's digest names a key or token; reading that document (and a token's identity) in the
// same transaction means a deleted key, logged-out token or deleted identity fails at once, in
// every server process sharing the storage.
import type { Credentials, ScopedRole } from '../../auth/credentials';
import type { Access, BuiltinRole, Principal } from '../../auth/principal';
import { secretDigest } from '../../auth/secrets';
import { isJwtSecret } from '../../auth/jwt';
import { providerKeys, type JwksCache } from '../../auth/jwks';
import { authenticateJwt, type JwtOutcome } from './jwt-auth';
import type { DocV } from '../../fql/values/value';
import type { KvTxn } from '../../storage/kv';
import { fromBytes } from '../codec';
import { DbId, ROOT_DB, secretLookupKey } from '../keys';
import { ModelTxnImpl } from '../model-txn';
import { resolveDatabasePath } from './databases-path';
import { readBinding, stillBound } from './secret-bindings';
import { readDefRaw, stringField } from './named-store';
import { HASHED_SECRET, KEY_COLL, SYSTEM_COLLECTIONS, TOKEN_COLL } from './system';

/** What the secret lookup entry holds. */
export interface SecretOwner { readonly db: DbId; readonly coll: 'Key' | 'Token'; readonly id: string }

const BUILTIN_ROLES: readonly string[] = ['admin', 'server', 'server-readonly', 'client'];

export function accessForRole(role: string): Access {
  return BUILTIN_ROLES.includes(role) ? { kind: 'builtin', role: role as BuiltinRole } : { kind: 'roles', names: [role] };
}

/**
 * Who the credentials authenticate as: a principal, a refusal (HTTP 401), or, for a JWT whose
 * provider's keys are not known yet, a request to fetch them (outside the transaction) and try
 * again. `isRoot`: the secret is a root secret (checked by the caller against configuration).
 * A JWT may not carry a scope (core parses it as a JWT, which then fails to decode).
 */
export async function authenticate(kv: KvTxn, creds: Credentials, isRoot: boolean, keys: JwksCache = providerKeys): Promise<JwtOutcome> {
  if (!isRoot && isJwtSecret(creds.secret)) {
    return creds.scopeRole ? { kind: 'refused', reason: 'a JWT takes no scope' } : authenticateJwt(kv, creds.secret, keys);
  }
  const principal = await authenticateSecret(kv, creds, isRoot);
  return principal ? { kind: 'principal', principal } : { kind: 'refused', reason: 'unknown secret' };
}

/** The principal of a key, token or root secret, or null. */
async function authenticateSecret(kv: KvTxn, creds: Credentials, isRoot: boolean): Promise<Principal | null> {
  if (isRoot) return scoped(kv, ROOT_DB, 'admin', creds);
  const raw = await kv.get(secretLookupKey(secretDigest(creds.secret)));
  if (!raw) return null;
  const owner = fromBytes<SecretOwner>(raw);
  const model = new ModelTxnImpl(kv, owner.db);
  const doc = await model.getDoc(owner.coll, owner.id);
  const hash = doc?.data.get(HASHED_SECRET);
  if (!doc || hash?.t !== 'string' || hash.v !== secretDigest(creds.secret)) return null;
  if (owner.coll === TOKEN_COLL.name) {
    // A token's scope, if any, is ignored (as in core).
    const identity = doc.data.get('document');
    if (identity?.t !== 'doc') return null;
    // Its identity's collection must be the one the token was issued in, not a newer one of
    // the same name (whose documents may reuse ids).
    const coll = await model.collection(identity.coll);
    const bound = (await readBinding(kv, owner.db, TOKEN_COLL.name, doc.id))?.collection;
    if (!coll || (bound !== undefined && bound !== coll.id)) return null;
    if (!(await model.getDoc(identity.coll, identity.id))) return null;
    return {
      db: owner.db, access: { kind: 'identity' }, identity, token: { t: 'doc', coll: TOKEN_COLL.name, id: doc.id },
      secretDoc: { db: owner.db, coll: owner.coll, id: doc.id, ts: doc.ts },
    };
  }
  if (owner.coll !== KEY_COLL.name) return null;
  const role = stringField(doc.data, 'role') ?? 'client';
  const database = stringField(doc.data, 'database');
  // The names must still denote the definitions the key was bound to (secret-bindings.ts).
  const binding = await readBinding(kv, owner.db, KEY_COLL.name, doc.id);
  let db = owner.db;
  if (database !== undefined) {
    if (!(await stillBound(kv, owner.db, 'Database', database, binding?.database))) return null;
    const child = await resolveDatabasePath(kv, owner.db, [database]);
    if (child === undefined) return null;
    db = child;
  } else if (!(await stillBound(kv, owner.db, 'Role', role, binding?.role))) {
    return null;
  }
  const principal = await scoped(kv, db, role, creds);
  return principal && { ...principal, secretDoc: { db: owner.db, coll: owner.coll, id: doc.id, ts: doc.ts } };
}

/** Apply a secret's scope (`:<db/path>:<role>`) to a key or root secret with role `role`. */
async function scoped(kv: KvTxn, db: DbId, role: string, creds: Credentials): Promise<Principal | null> {
  const scope = creds.scopeRole;
  if (!scope) return { db, access: accessForRole(role) };
  const isAdmin = role === 'admin';
  // Only admin keys (and root) may choose a scope; a server key may name an @doc identity in
  // its own database.
  const mayScope = scope.kind === 'doc' && creds.scopePath.length === 0 ? isAdmin || role === 'server' : isAdmin;
  if (!mayScope) return null;
  const target = await resolveDatabasePath(kv, db, creds.scopePath);
  if (target === undefined) return null;
  return scopedPrincipal(kv, target, scope);
}

async function scopedPrincipal(kv: KvTxn, db: DbId, scope: ScopedRole): Promise<Principal | null> {
  switch (scope.kind) {
    case 'builtin': return { db, access: { kind: 'builtin', role: scope.role } };
    case 'userRole':
      return (await readDefRaw(kv, db, 'Role', scope.name)) ? { db, access: { kind: 'roles', names: [scope.name] } } : null;
    case 'doc': {
      // Only documents of user collections can be identities.
      const model = new ModelTxnImpl(kv, db);
      const coll = await model.collection(scope.coll);
      if (!coll || SYSTEM_COLLECTIONS.has(scope.coll) || !/^\d+$/.test(scope.id)) return null;
      if (!(await model.getDoc(scope.coll, scope.id))) return null;
      const identity: DocV = { t: 'doc', coll: scope.coll, id: scope.id };
      return { db, access: { kind: 'identity' }, identity };
    }
  }
}
