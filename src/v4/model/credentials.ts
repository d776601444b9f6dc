// Credentials as v4 uses them (fql-v4.md §2): one credential document per identity, found
// through the identity → credential entry the v10 Credential collection maintains, holding a
// bcrypt `hashed_password` that v4 shows and v10 hides.
import { verifyPassword } from '../../auth/passwords';
import type { DocV, Value } from '../../fql/values/value';
import { obj } from '../../fql/values/construct';
import { fromBytes } from '../../model/codec';
import { credentialByDocKey } from '../../model/keys';
import type { ModelTxnImpl } from '../../model/model-txn';
import { CREDENTIAL_COLL, HASHED_PASSWORD, SYSTEM_COLLECTIONS } from '../../model/identity/system';
import { createDocument, rewriteDocument } from '../../model/write-broker';
import type { V4Query } from '../query-context';
import { asBuiltin } from './privileges';

/** The id of the credential of an identity document, if it has one. */
export async function credentialIdOf(model: ModelTxnImpl, identity: DocV): Promise<string | undefined> {
  if (SYSTEM_COLLECTIONS.has(identity.coll)) return undefined;
  const def = await model.collection(identity.coll);
  if (!def) return undefined;
  const raw = await model.kv.get(credentialByDocKey(model.db, def.id, BigInt(identity.id)));
  return raw ? fromBytes<string>(raw) : undefined;
}

/** Whether `password` matches the identity's credential (false when anything is missing). */
export async function passwordMatches(model: ModelTxnImpl, identity: DocV, password: string): Promise<boolean> {
  if (!(await model.getDoc(identity.coll, identity.id))) return false;
  const credId = await credentialIdOf(model, identity);
  const cred = credId === undefined ? undefined : await model.getDoc(CREDENTIAL_COLL.name, credId);
  const hash = cred?.data.get(HASHED_PASSWORD);
  return hash?.t === 'string' && verifyPassword(password, hash.v);
}

/**
 * The `credentials` field of a user document write (core UserDocumentWriteConfig.customWrite):
 * create the identity's credential, or update the existing one, with server rights.
 */
export async function writeCredentials(q: V4Query, identity: DocV, fields: ReadonlyMap<string, Value>): Promise<void> {
  await asBuiltin(q, 'server', async () => {
    const credId = await credentialIdOf(q.model, identity);
    if (credId === undefined) {
      await createDocument(q.ctx, CREDENTIAL_COLL, obj([['document', identity], ...fields]), 'v4');
    } else {
      await rewriteDocument(q.ctx, { t: 'doc', coll: CREDENTIAL_COLL.name, id: credId }, obj(fields), 'update', 'v4');
    }
  });
}
