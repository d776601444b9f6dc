// Identity functions (core AuthFunctions.scala, ReadFunctions.scala KeyFromSecret; fql-v4.md
// §2.4–2.10): Login issues a token with server rights after checking the identity's
// credential, Logout deletes the caller's token(s), Identify only checks the password.
import { obj } from '../../fql/values/construct';
import type { DocV, Value } from '../../fql/values/value';
import { secretDigest } from '../../auth/secrets';
import { parseSecret } from '../../auth/secret-parse';
import { fromBytes } from '../../model/codec';
import { secretLookupKey } from '../../model/keys';
import { ModelTxnImpl } from '../../model/model-txn';
import type { SecretOwner } from '../../model/identity/authenticate';
import { TOKEN_COLL } from '../../model/identity/system';
import { createToken } from '../../model/identity/token-docs';
import { deleteDocument } from '../../model/write-broker';
import { type Position, V4Error, authenticationFailed, invalidArgument, validationFailed } from '../errors';
import { type Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { collectionRefOf, fromModel, toModel } from '../model/convert';
import { passwordMatches } from '../model/credentials';
import { locateDoc } from '../model/locate';
import { asBuiltin } from '../model/privileges';
import { getVersion } from '../model/reads';
import { renderDoc } from '../model/render';
import type { V4Query } from '../query-context';
import { type V4Value, bool4, docRef, nativeRef, typeName4 } from '../values';
import { expectBoolean, expectString } from './args';
import { firstRef } from './documents';

/** The user document an identity argument (a ref or a set) names, if any. */
async function identityOf(q: V4Query, v: V4Value, pos: Position): Promise<DocV | undefined> {
  const ref = await firstRef(q, v, pos);
  if (ref === undefined) return undefined;
  if (ref.t !== 'ref') throw invalidArgument(['Ref'], ref, pos);
  const t = await locateDoc(q, ref, pos);
  if (t.native || t.scoped) return undefined;
  return { t: 'doc', coll: t.coll, id: t.id };
}

async function login(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const q = ev.q;
  const identity = await identityOf(q, await a.value('login'), a.at('login'));
  const params = await a.value('params');
  if (params.t !== 'object') throw invalidArgument(['Object'], params, a.at('params'));
  const password = params.v.get('password');
  if (password !== undefined && password.t !== 'string') {
    throw validationFailed(a.pos, [{ field: ['password'], code: 'invalid type', description: `Invalid type ${typeName4(password)}, expected type String.` }]);
  }
  if (!identity || password === undefined || !(await passwordMatches(q.model, identity, password.v))) throw authenticationFailed(a.pos);
  const fields = new Map<string, Value>([['document', identity]]);
  for (const k of ['ttl', 'data']) {
    const v = params.v.get(k);
    if (v !== undefined && v.t !== 'null') fields.set(k, toModel(v, a.at('params')));
  }
  const ref = await asBuiltin(q, 'server', () => createToken(q.ctx, obj(fields)));
  const version = renderDoc(q.model, nativeRef('tokens'), (await q.model.getDoc(ref.coll, ref.id))!, a.pos);
  q.created.add(version);
  return version;
}

/** Tokens whose identity is `identity`, read without the caller's permissions. */
async function tokensOf(q: V4Query, identity: DocV): Promise<string[]> {
  const trusted = new ModelTxnImpl(q.model.kv, q.model.db);
  const out: string[] = [];
  let after: bigint | undefined;
  for (;;) {
    const { docs, lastId, more } = await trusted.scanDocs(TOKEN_COLL, after, 256);
    for (const d of docs) {
      const owner = d.data.get('document');
      if (owner?.t === 'doc' && owner.coll === identity.coll && owner.id === identity.id) out.push(d.id);
    }
    if (!more || lastId === undefined) return out;
    after = lastId;
  }
}

async function logout(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const q = ev.q;
  const all = expectBoolean(await a.value('logout'), a.at('logout'));
  const p = q.principal;
  const ids = all ? (p.identity ? await tokensOf(q, p.identity) : undefined) : p.token ? [p.token.id] : undefined;
  if (!ids) return bool4(false);
  // Logout deletes without permission checks (core deletes internally).
  await asBuiltin(q, 'admin', async () => {
    for (const id of ids) {
      if (await q.model.getDoc(TOKEN_COLL.name, id)) await deleteDocument(q.ctx, { t: 'doc', coll: TOKEN_COLL.name, id });
    }
  });
  return bool4(true);
}

function currentToken(q: V4Query, pos: Position): V4Value | undefined {
  const p = q.principal;
  if (p.token) return docRef(nativeRef('tokens'), p.token.id);
  // core CurrentTokenFunction: a JWT's payload.
  if (p.jwt) return fromModel(p.jwt.claims, pos);
  const owner = q.secretOwner;
  // A key's own document is visible only in the database it is stored in.
  if (owner?.coll === 'Key' && owner.db === p.db) return docRef(nativeRef('keys'), owner.id);
  return undefined;
}

async function keyFromSecret(q: V4Query, secret: string, pos: Position): Promise<V4Value> {
  const notFound = () => new V4Error('instance not found', `No key found for secret ${secret}.`, pos);
  const parsed = parseSecret(secret);
  const raw = parsed ? await q.model.kv.get(secretLookupKey(secretDigest(parsed.secret))) : undefined;
  if (!raw) throw notFound();
  const owner = fromBytes<SecretOwner>(raw);
  if (owner.db !== q.model.db) throw notFound();
  const ref = docRef(nativeRef(owner.coll === 'Key' ? 'keys' : 'tokens'), owner.id);
  try {
    return await getVersion(q, ref, pos);
  } catch (e) {
    if (e instanceof V4Error) throw notFound();
    throw e;
  }
}

const missingIdentity = (pos: Position) => new V4Error('missing identity', 'Authentication does not contain an identity', pos);

/** core CurrentIdentityFunction: a token's identity document, or a JWT's `sub` claim. */
function identityOfCaller(q: V4Query, pos: Position): V4Value | undefined {
  const { identity, jwt } = q.principal;
  if (identity) return docRef(collectionRefOf(identity.coll), identity.id);
  const sub = jwt?.claims.v.get('sub');
  return sub === undefined ? undefined : fromModel(sub, pos);
}

const currentIdentity = async (ev: Evaluator, a: FormArgs): Promise<V4Value> => {
  const identity = identityOfCaller(ev.q, a.pos);
  if (!identity) throw missingIdentity(a.pos);
  return identity;
};

const IDENTITY_FORMS: readonly FormSpec[] = [
  { keys: ['login', 'params'], writes: true, run: login },
  { keys: ['logout'], writes: true, run: logout },
  {
    keys: ['identify', 'password'],
    run: async (ev, a) => {
      const identity = await identityOf(ev.q, await a.value('identify'), a.at('identify'));
      const password = expectString(await a.value('password'), a.at('password'));
      return bool4(identity !== undefined && (await passwordMatches(ev.q.model, identity, password)));
    },
  },
  { keys: ['current_identity'], run: currentIdentity },
  { keys: ['identity'], run: currentIdentity },
  { keys: ['has_current_identity'], run: async (ev, a) => bool4(identityOfCaller(ev.q, a.pos) !== undefined) },
  { keys: ['has_identity'], run: async (ev, a) => bool4(identityOfCaller(ev.q, a.pos) !== undefined) },
  {
    keys: ['current_token'],
    run: async (ev, a) => {
      const token = currentToken(ev.q, a.pos);
      if (!token) throw new V4Error('invalid token', 'Token metadata is not accessible.', a.pos);
      return token;
    },
  },
  { keys: ['has_current_token'], run: async (ev, a) => bool4(currentToken(ev.q, a.pos) !== undefined) },
  {
    keys: ['key_from_secret'],
    run: async (ev, a) => keyFromSecret(ev.q, expectString(await a.value('key_from_secret'), a.at('key_from_secret')), a.pos),
  },
];

/** Registers the identity forms (called by src/v4/forms/index.ts). */
export function wireIdentityForms(): void {
  defineForms(IDENTITY_FORMS);
}
