// Permission checks (core Permissions.scala / RoleEvalContext.scala): every document read goes
// through the model's read guard, every document write through a write hook, every schema
// write through a schema hook and every UDF call through `mayCall`.
//
//   admin            everything in its database
//   server           everything except Key, Role, Database (and AccessProvider) documents
//   server-readonly  reads of the same; no writes, no calls
//   client           nothing
//   user roles       the union of the roles' privileges: per resource (a collection, a
//                    function, Credential, Token, ...) and action, `true` or a predicate
//   tokens / @doc    the roles whose membership matches the identity document, plus reading
//                    the identity's own credential and reading/deleting its own tokens
import { QueryError, QueryTimeout } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import { obj, str } from '../../fql/values/construct';
import type { DocV, NullDocV, Value } from '../../fql/values/value';
import type { Principal } from '../../auth/principal';
import type { DocData, NamedData } from '../model-api';
import type { ModelTxnImpl } from '../model-txn';
import { moduleValue } from '../../fql/eval/state';
import { authState, memoOf, runAs, type AuthState } from './auth-state';
import type { DbId } from '../keys';
import { allDefs, type NamedDef } from './named-store';
import { callStoredLambda } from '../stored-lambda';
import { fql4QueryOf, runFql4 } from './fql4-lambdas';
import { ADMIN_ONLY, CREDENTIAL_COLL, TOKEN_COLL } from './system';
import { dataObject, isUserDocument } from '../doc-fields';
import { entries } from './definition-lists';

export type Action =
  | 'read' | 'write' | 'create' | 'create_with_id' | 'delete'
  | 'history_read' | 'history_write' | 'unrestricted_read' | 'call';

export const ACTIONS: ReadonlySet<string> = new Set<Action>([
  'read', 'write', 'create', 'create_with_id', 'delete', 'history_read', 'history_write', 'unrestricted_read', 'call',
]);

const READS: ReadonlySet<Action> = new Set<Action>(['read', 'history_read']);

export function permissionDenied(): QueryError {
  return new QueryError('permission_denied', 'Insufficient privileges to perform the action.');
}

/**
 * A role predicate in the language it was written in: v10 roles keep FQL source text, v4 roles
 * `Query(Lambda(...))` values (./fql4-lambdas.ts). Each runs in its own language, with that
 * language's arguments (core RoleEvalAction `lambdaArgs` vs `fqlxLambdaArgs`).
 */
type Predicate = { readonly lang: 'fql10'; readonly source: string } | { readonly lang: 'fql4'; readonly query: string };

/** A privilege action: granted outright, or by a predicate. */
type Grant = true | Predicate;

/** The arguments of a predicate, for the language it is written in. */
export type PredicateArgs = (lang: 'fql10' | 'fql4') => readonly Value[];

interface ParsedRole {
  readonly name: string;
  /** resource → action → grants (several roles may grant the same action). */
  readonly privileges: ReadonlyMap<string, ReadonlyMap<string, Grant>>;
  readonly membership: readonly { readonly resource: string; readonly predicate?: Predicate }[];
}

function predicateOf(v: Value | undefined): Predicate | undefined {
  if (v?.t === 'string') return { lang: 'fql10', source: v.v };
  const query = fql4QueryOf(v);
  return query === undefined ? undefined : { lang: 'fql4', query };
}

/**
 * The resource a privilege or membership names: a v10 role names it (`"users"`, `"Credential"`),
 * a v4 role holds a ref (`Collection("users")`, `Function("f")`, `Credentials()`); v4 index
 * privileges get a name of their own (v10 roles cannot name v4 indexes).
 */
export function resourceName(v: Value | undefined): string | undefined {
  if (v?.t === 'string') return v.v;
  if (v?.t === 'named') return v.coll === 'Index' ? `Index:${v.name}` : v.name;
  if (v?.t === 'module') return v.name;
  return undefined;
}

function parseRole(def: NamedDef): ParsedRole {
  const privileges = new Map<string, Map<string, Grant>>();
  for (const p of entries(def.data.get('privileges'))) {
    const resource = resourceName(p.get('resource'));
    const actions = p.get('actions');
    if (resource === undefined || actions?.t !== 'object') continue;
    let m = privileges.get(resource);
    if (!m) privileges.set(resource, (m = new Map()));
    for (const [action, grant] of actions.v) {
      const predicate = predicateOf(grant);
      if (grant.t === 'boolean' && grant.v) m.set(action, true);
      else if (predicate && m.get(action) !== true) m.set(action, predicate);
    }
  }
  const membership = entries(def.data.get('membership')).flatMap((m) => {
    const resource = resourceName(m.get('resource'));
    if (resource === undefined) return [];
    return [{ resource, predicate: predicateOf(m.get('predicate')) }];
  });
  return { name: def.name, privileges, membership };
}

/** Run a role predicate read-only; anything but `true` (including a failure) denies. */
async function predicateHolds(state: AuthState, predicate: Predicate, args: PredicateArgs): Promise<boolean> {
  const p = state.principal;
  const internal: Principal = { db: p.db, access: { kind: 'predicate' }, identity: p.identity, token: p.token, jwt: p.jwt };
  state.predicateDepth++;
  try {
    const r = await runAs(state, internal, () => (predicate.lang === 'fql10'
      ? callStoredLambda(state.ctx, predicate.source, args('fql10'))
      : runFql4(state.ctx, predicate.query, args('fql4'))));
    return r.t === 'boolean' && r.v;
  } catch (e) {
    if (e instanceof QueryTimeout) throw e;
    return false;
  } finally {
    state.predicateDepth--;
  }
}

/**
 * Whether an access provider's role predicate (v10 source text or a v4 lambda) accepts a JWT's
 * claims (core JWTToken.evalPredicate: the payload is the only argument).
 */
export function providerRoleHolds(state: AuthState, predicate: Value, claims: Value): Promise<boolean> {
  const p = predicateOf(predicate);
  return p ? predicateHolds(state, p, () => [claims]) : Promise.resolve(false);
}

/**
 * Every role of a database, parsed. Cached per process by the database's schema version, which
 * every role change bumps and which is read inside the query's transaction: a role changed by
 * another process is seen by the next query.
 */
const roleCache = new Map<DbId, { readonly version: bigint; readonly roles: ReadonlyMap<string, ParsedRole> }>();

async function rolesOfDatabase(model: ModelTxnImpl): Promise<ReadonlyMap<string, ParsedRole>> {
  const version = await model.schemaVersion();
  const hit = roleCache.get(model.db);
  if (hit && hit.version === version) return hit.roles;
  const roles = new Map((await allDefs(model.kv, model.db, 'Role')).map((d) => [d.name, parseRole(d)] as const));
  roleCache.set(model.db, { version, roles });
  return roles;
}

/** The roles the current principal holds (memoised per query and principal). */
async function rolesOf(state: AuthState): Promise<readonly ParsedRole[]> {
  const memo = memoOf(state);
  const cached = memo.get('roles') as readonly ParsedRole[] | undefined;
  if (cached) return cached;
  const p = state.principal;
  const all = await rolesOfDatabase(state.ctx.model as ModelTxnImpl);
  let roles: ParsedRole[] = [];
  if (p.access.kind === 'roles') {
    for (const name of p.access.names) {
      const role = all.get(name);
      if (role) roles.push(role);
    }
  } else if (p.access.kind === 'identity' && p.identity) {
    const identity = p.identity;
    for (const role of all.values()) {
      for (const m of role.membership) {
        if (m.resource !== identity.coll) continue;
        if (m.predicate === undefined || (await predicateHolds(state, m.predicate, () => [identity]))) {
          roles.push(role);
          break;
        }
      }
    }
  }
  memo.set('roles', roles);
  return roles;
}

/** Whether baseline() grants `action` on `resource` for some document. */
function baselineMayGrant(resource: string, action: Action): boolean {
  if (resource === CREDENTIAL_COLL.name) return action === 'read';
  if (resource === TOKEN_COLL.name) return action === 'read' || action === 'delete';
  return false;
}

/** Non-revocable rights of an identity over its own credential and tokens. */
function baseline(p: Principal, resource: string, action: Action, subject: DocData | undefined): boolean {
  if (!p.identity || !subject) return false;
  const isOwn = () => {
    const d = subject.data.get('document');
    return d?.t === 'doc' && d.coll === p.identity!.coll && d.id === p.identity!.id;
  };
  if (resource === CREDENTIAL_COLL.name) return action === 'read' && isOwn();
  if (resource === TOKEN_COLL.name) return (action === 'read' || action === 'delete') && isOwn();
  return false;
}

/**
 * Whether the current principal may perform `action` on `resource` (a collection or schema
 * collection name, or a function name for `call`). `args` builds the predicate arguments;
 * `subject` is the document concerned, for the identity baseline.
 */
export function isAllowed(
  state: AuthState, resource: string, action: Action, args: PredicateArgs, subject?: DocData,
): Promise<boolean> {
  return decide(state, resource, action, args, subject);
}

/**
 * Whether the caller may perform `action` on any document of `resource` without a predicate
 * having to hold (built-in roles, privileges granted as `true`).
 */
export function allowedUnconditionally(state: AuthState, resource: string, action: Action): Promise<boolean> {
  return decide(state, resource, action, undefined, undefined);
}

/**
 * core checkReadCollectionPermission: whether the caller may read some documents of `coll`
 * (a read privilege, granted or with a predicate), without looking at any document.
 */
export function mayReadCollection(state: AuthState, coll: string): Promise<boolean> {
  return holdsGrant(state, coll, 'read');
}

/**
 * Whether the caller holds any grant of `action` on `resource`: outright or by a predicate (not
 * evaluated), create_with_id also through both create and history_write (mayCreateWithId).
 * Without one, the action is refused for every document, so it can be refused before anything
 * is looked up. The identity baseline (an identity reads its own credential and tokens, and
 * deletes its own tokens: logging out) depends on the document, so those count as held.
 */
export async function holdsGrant(state: AuthState, resource: string, action: Action): Promise<boolean> {
  const p = state.principal;
  if (p.access.kind !== 'roles' && p.access.kind !== 'identity') return decide(state, resource, action, undefined, undefined);
  if (p.identity && baselineMayGrant(resource, action)) return true;
  const roles = await rolesOf(state);
  const holds = (a: Action) => roles.some((role) => role.privileges.get(resource)?.get(a) !== undefined);
  if (action === 'create_with_id') return holds('create_with_id') || (holds('create') && holds('history_write'));
  return holds(action);
}

/** The predicate arguments of each privilege that may allow creating a document with a chosen id. */
export interface CreateWithIdArgs {
  readonly withId: PredicateArgs;
  readonly create: PredicateArgs;
  /** core HistoryWrite: [ref, ts, action, data] (historyWriteArgs). */
  readonly historyWrite: PredicateArgs;
}

/**
 * core Auth.checkCreateWithIDPermission: `create_with_id`, or else both `create` and
 * `history_write` (writing a version at a chosen id is a history write). history_write alone
 * allows no create: it would let a role without `create` make documents. FQL v10 (`language`
 * 'fql10') checks `create` as well (FQLInterpreter.checkCreatePermission with an id), which
 * makes it `create` and either of the others; FQL v4 (WriteAdaptor.create) checks only the id
 * rule. Each predicate is evaluated at most once.
 */
export async function mayCreateWithId(
  state: AuthState, resource: string, args: CreateWithIdArgs, language: 'fql10' | 'fql4',
): Promise<boolean> {
  const withId = () => isAllowed(state, resource, 'create_with_id', args.withId);
  const create = () => isAllowed(state, resource, 'create', args.create);
  const historyWrite = () => isAllowed(state, resource, 'history_write', args.historyWrite);
  if (language === 'fql10') return (await create()) && ((await withId()) || historyWrite());
  return (await withId()) || ((await create()) && historyWrite());
}

/** core HistoryWrite.lambdaArgs, the same in both languages: the ref, the time (µs), the action and the data. */
export function historyWriteArgs(ref: DocV, ts: bigint, action: string, data: Value): readonly Value[] {
  return [ref, { t: 'long', v: ts }, str(action), data];
}

/** `args` undefined: answer without evaluating predicates (a predicate grant does not count). */
async function decide(
  state: AuthState, resource: string, action: Action, args: PredicateArgs | undefined, subject?: DocData,
): Promise<boolean> {
  const p = state.principal;
  switch (p.access.kind) {
    case 'builtin':
      switch (p.access.role) {
        case 'admin': return true;
        // core ServerPermissions: no unrestricted_read, so index entries are read as their
        // documents are (an FQL v4 index over Keys() shows a server key no key).
        case 'server': return action === 'call' || (action !== 'unrestricted_read' && !ADMIN_ONLY.has(resource));
        case 'server-readonly': return READS.has(action) && !ADMIN_ONLY.has(resource);
        case 'client': return false;
      }
      break;
    case 'predicate':
      return (action === 'call' || action === 'read') && !ADMIN_ONLY.has(resource);
    case 'roles': case 'identity': {
      if (baseline(p, resource, action, subject)) return true;
      const grants: Grant[] = [];
      for (const role of await rolesOf(state)) {
        const g = role.privileges.get(resource)?.get(action);
        if (g === true) return true;
        if (g !== undefined) grants.push(g);
      }
      if (!args) return false;
      for (const g of grants) if (await predicateHolds(state, g as Predicate, args)) return true;
      return false;
    }
  }
  return false;
}

/** A document as a predicate sees a version that is not stored yet: its fields plus id/coll/ts. */
export function versionValue(coll: string, id: string, ts: bigint, data: ReadonlyMap<string, Value>, ttl?: bigint): Value {
  const m = new Map<string, Value>([['id', str(id)], ['coll', moduleValue(coll)], ['ts', { t: 'time', ns: ts * 1000n }]]);
  if (ttl !== undefined) m.set('ttl', { t: 'time', ns: ttl });
  for (const [k, v] of data) m.set(k, v);
  // As on a stored user document, `.data` is its user fields (FQL2RoleSpec "new version .data access").
  if (isUserDocument(coll) && !m.has('data')) m.set('data', dataObject(data));
  return obj(m);
}

/**
 * Whether the caller may read a stored document (memoised per version object). Reading a past
 * version (`at()`) needs `history_read` rather than `read`.
 */
export async function mayRead(txn: ModelTxnImpl, doc: DocData, historical = false): Promise<boolean> {
  const state = authState(txn);
  if (!state) return true;
  const action: Action = historical ? 'history_read' : 'read';
  const memo = memoOf(state);
  let verdicts = memo.get(action) as WeakMap<DocData, boolean> | undefined;
  if (!verdicts) memo.set(action, (verdicts = new WeakMap()));
  const known = verdicts.get(doc);
  if (known !== undefined) return known;
  const ref: DocV = { t: 'doc', coll: doc.coll, id: doc.id };
  const verdict = await isAllowed(state, doc.coll, action, () => [ref], doc);
  verdicts.set(doc, verdict);
  return verdict;
}

export async function mayReadNamed(txn: ModelTxnImpl, doc: NamedData): Promise<boolean> {
  const state = authState(txn);
  if (!state) return true;
  return isAllowed(state, doc.coll, 'read', () => [{ t: 'named', coll: doc.coll, name: doc.name }]);
}

export const deniedDoc = (doc: DocData): NullDocV => ({ t: 'nulldoc', coll: doc.coll, id: doc.id, cause: 'permission denied' });

/** Throws permission_denied unless the caller may call the UDF `name` with `args`. */
export async function requireCall(ctx: EvalContext, name: string, args: readonly Value[]): Promise<void> {
  const state = authState(ctx.model);
  if (state && !(await isAllowed(state, name, 'call', () => args))) throw permissionDenied();
}

