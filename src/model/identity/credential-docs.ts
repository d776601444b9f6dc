// The `Credential` collection (core Credential.scala, Credentials.scala): one credential per
// identity document, holding a bcrypt hash of its password. The plaintext is hashed before
// anything is stored or checked, and the hash is removed from every read.
import { hashPassword, verifyPassword } from '../../auth/passwords';
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import { bool, obj, typeName } from '../../fql/values/construct';
import { defineMethods, type MethodDef } from '../../fql/stdlib/registry';
import type { DocV, ObjectV, Value } from '../../fql/values/value';
import { nullDocError } from '../../fql/eval/nulls';
import { fromBytes, toBytes } from '../codec';
import { credentialByDocKey } from '../keys';
import type { DocData } from '../model-api';
import { argTypeError, expectString, modelOf } from '../stdlib/args';
import { createDocument, type DocWrite, type WriteShaper } from '../write-broker';
import { checkFields, defineSystemCollectionModule } from './system-modules';
import { invalidSecret } from './failures';
import { nativeWriteFailure } from '../write-failures';
import { CREDENTIAL_COLL, HASHED_PASSWORD, PASSWORD, SYSTEM_COLLECTIONS } from './system';
import { createToken } from './token-docs';

const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set(['document', PASSWORD, 'data']);

/** The id `Credential.byDocument` names when a document has no credential (core: CredentialsID(-1)). */
const NO_CREDENTIAL_ID = '-1';

/** The storage key of the identity → credential entry, or undefined for a non-user document. */
async function identityKey(ctx: EvalContext, doc: Value | undefined): Promise<Uint8Array | undefined> {
  if (doc?.t !== 'doc' || SYSTEM_COLLECTIONS.has(doc.coll)) return undefined;
  const model = modelOf(ctx);
  const def = await model.collection(doc.coll);
  return def ? credentialByDocKey(model.db, def.id, BigInt(doc.id)) : undefined;
}

async function createCredential(ctx: EvalContext, data: ObjectV): Promise<Value> {
  const fail = (p: string, m: string) => nativeWriteFailure('create', CREDENTIAL_COLL.name, p, m);
  checkFields(data.v, CREDENTIAL_FIELDS, fail);
  const document = data.v.get('document');
  if (!document) throw fail('document', 'Missing required field of type Ref<Any>');
  if (document.t !== 'doc') throw fail('document', `Expected Ref<Any>, provided ${typeName(document)}`);
  return createDocument(ctx, CREDENTIAL_COLL, data);
}

/** Replace a plaintext `password` by its hash; keep the old hash when none is given. */
async function hashed(w: DocWrite, data: Map<string, Value>): Promise<void> {
  const password = data.get(PASSWORD);
  data.delete(PASSWORD);
  data.delete(HASHED_PASSWORD);
  if (password !== undefined) {
    if (password.t !== 'string') {
      throw nativeWriteFailure(w.action === 'create' ? 'create' : 'update', CREDENTIAL_COLL.name, PASSWORD, `Expected String, provided ${typeName(password)}`, w.id);
    }
    data.set(HASHED_PASSWORD, { t: 'string', v: await hashPassword(password.v) });
  } else {
    const previous = w.before?.data.get(HASHED_PASSWORD);
    if (previous) data.set(HASHED_PASSWORD, previous);
  }
}

/** Shapes every Credential write: one credential per identity, the password hashed. */
export const shapeCredentialWrite: WriteShaper = async (ctx, w) => {
  const model = modelOf(ctx);
  const oldKey = await identityKey(ctx, w.before?.data.get('document'));
  if (!w.after) {
    if (oldKey) model.kv.delete(oldKey);
    return w;
  }
  const data = new Map(w.after.data);
  // A replace that leaves out the identity keeps it.
  if (!data.has('document') && w.before?.data.has('document')) data.set('document', w.before.data.get('document')!);
  const newKey = await identityKey(ctx, data.get('document'));
  const action = w.action === 'create' ? 'create' : w.action === 'update' ? 'update' : 'replace';
  if (!newKey) throw nativeWriteFailure(action, CREDENTIAL_COLL.name, 'document', 'Expected document from a user-defined collection.', w.id);
  if (!oldKey || Buffer.compare(oldKey, newKey) !== 0) {
    const taken = await model.kv.get(newKey);
    if (taken && fromBytes<string>(taken) !== w.id) {
      throw nativeWriteFailure(action, CREDENTIAL_COLL.name, 'document', 'The document already has a credential.', w.id);
    }
    if (oldKey) model.kv.delete(oldKey);
    model.kv.put(newKey, toBytes(w.id));
  }
  await hashed(w, data);
  return { ...w, after: { ...w.after, data } };
};

/** The stored credential behind `self`, after checking the caller may read it. */
async function storedCredential(ctx: EvalContext, self: Value, method: string): Promise<DocData> {
  if (self.t !== 'doc' || self.coll !== CREDENTIAL_COLL.name) {
    throw new QueryError('invalid_function_invocation', `The function \`${method}\` does not exist on \`${typeName(self)}\``);
  }
  const model = modelOf(ctx);
  const visible = await model.readDoc(self);
  if ('cause' in visible) throw nullDocError(visible);
  ctx.stats.readOps += 1;
  return (await model.getDoc(self.coll, self.id))!;
}

async function passwordMatches(cred: DocData, password: string): Promise<boolean> {
  const hash = cred.data.get(HASHED_PASSWORD);
  return hash?.t === 'string' && verifyPassword(password, hash.v);
}

const CREDENTIAL_METHODS: Record<string, MethodDef> = {
  login: {
    arity: [1, 2],
    impl: async (ctx, self, [secret, ttl]) => {
      const password = expectString(secret, 'secret').v;
      if (ttl !== undefined && ttl.t !== 'time') throw argTypeError('ttl', 'Time', ttl);
      const cred = await storedCredential(ctx, self, 'login');
      if (!(await passwordMatches(cred, password))) throw invalidSecret();
      const fields = new Map<string, Value>([['document', cred.data.get('document')!]]);
      if (ttl !== undefined) fields.set('ttl', ttl);
      return createToken(ctx, obj(fields));
    },
  },
  verify: {
    arity: 1,
    impl: async (ctx, self, [secret]) => {
      const password = expectString(secret, 'secret').v;
      return bool(await passwordMatches(await storedCredential(ctx, self, 'verify'), password));
    },
  },
};

const CREDENTIAL_MODULE_METHODS: Record<string, MethodDef> = {
  byDocument: {
    arity: 1,
    impl: async (ctx, _self, [doc]): Promise<Value> => {
      // Core declares `Doc | NullDoc` but checks for a document, naming the type `Doc`
      // (Credential.scala byDocument; ValueType.AnyDocType.displayString).
      if (doc.t !== 'doc' && doc.t !== 'nulldoc') throw argTypeError('document', 'Doc', doc);
      // As core (CredentialCompanion.byDocument, Credentials.idByDocument): the lookup checks no
      // privilege and returns a reference. Reading it is checked like any document: a caller
      // without `read` on Credential gets a null document (cause "permission denied"),
      // FQL2CredentialSpec "login" / "respect permissions". With no credential, the reference
      // names id -1, which no document has (core's `CredentialsID(-1)`).
      const key = await identityKey(ctx, doc.t === 'doc' ? doc : undefined);
      const raw = key ? await modelOf(ctx).kv.get(key) : undefined;
      const ref: DocV = { t: 'doc', coll: CREDENTIAL_COLL.name, id: raw ? fromBytes<string>(raw) : NO_CREDENTIAL_ID };
      return ref;
    },
  },
};

/** Registers the members of credentials and the `Credential` module (called by src/model/identity/index.ts). */
export function wireCredentials(): void {
  defineMethods(`doc:${CREDENTIAL_COLL.name}`, CREDENTIAL_METHODS);
  defineSystemCollectionModule(CREDENTIAL_COLL, createCredential, CREDENTIAL_MODULE_METHODS);
}
