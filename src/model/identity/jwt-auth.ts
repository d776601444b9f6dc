// Authentication with a JWT from an identity provider (core JWTToken.fromToken / getJWTAuth),
// inside the request's storage transaction like every other secret:
//
//   1. the token parses, is signed with RS256/384/512 and is within `exp`/`nbf` (src/auth/jwt.ts);
//   2. its `aud` holds exactly one database audience (`https://db.fauna.com/db/<global id>`):
//      that database, and only that one, is where the token can authenticate;
//   3. that database has an access provider whose `issuer` is the token's `iss` (read in this
//      transaction: a provider deleted or changed is seen by the next request);
//   4. the signature verifies with a key of the provider's `jwks_uri` (src/auth/jwks.ts); when
//      the keys are not known yet the caller is asked to fetch them outside the transaction;
//   5. the principal then holds the provider's roles whose predicates accept the claims
//      (`grantJwtRoles`, once the query's evaluation context exists); none: refused.
//
// Every refusal is the same 401 as a bad key (core answers None for all of them), so a caller
// learns nothing about which databases or providers exist.
import type { JwtLogin, Principal } from '../../auth/principal';
import { audiencesOf, parseJwt, timelyAt } from '../../auth/jwt';
import { verifyJws, type JwksCache, type KeyWant } from '../../auth/jwks';
import type { EvalContext } from '../../fql/eval/context';
import type { ObjectV, Value } from '../../fql/values/value';
import type { KvTxn } from '../../storage/kv';
import { AUDIENCE_PREFIX, audienceOf, databaseOfAudience } from './audience';
import { attachPrincipal, authState } from './auth-state';
import { allDefs, readDef, stringField } from './named-store';
import { modelOf } from '../stdlib/args';
import { providerRoleHolds } from './permissions';
import { providerRoles } from './definition-lists';

export type JwtOutcome =
  | { readonly kind: 'principal'; readonly principal: Principal }
  | { readonly kind: 'refused'; readonly reason: string }
  /** The provider's keys must be fetched (outside the transaction) before trying again. */
  | { readonly kind: 'fetchKeys'; readonly want: KeyWant };

const refused = (reason: string): JwtOutcome => ({ kind: 'refused', reason });

export async function authenticateJwt(kv: KvTxn, token: string, keys: JwksCache, nowMs = Date.now()): Promise<JwtOutcome> {
  const jwt = parseJwt(token);
  if (!jwt) return refused('not a JWT signed with RS256, RS384 or RS512');
  if (!timelyAt(jwt.payload, nowMs / 1000)) return refused('expired or not yet valid');
  const dbAudiences = audiencesOf(jwt.payload)?.filter((a) => a.startsWith(AUDIENCE_PREFIX)) ?? [];
  if (dbAudiences.length !== 1) return refused('`aud` must name exactly one database');
  const db = databaseOfAudience(dbAudiences[0]);
  if (db === undefined) return refused('`aud` names no database');
  const issuer = jwt.payload.iss;
  // Tokens Fauna itself issues (v4 IssueAccessJWT, `iss` = the audience) are not supported.
  if (typeof issuer !== 'string' || issuer === audienceOf(db)) return refused('unknown issuer');
  // A deleted database's definitions are deleted with it, so a provider found is a live one.
  const provider = (await allDefs(kv, db, 'AccessProvider')).find((d) => stringField(d.data, 'issuer') === issuer);
  const uri = provider && stringField(provider.data, 'jwks_uri');
  if (!provider || uri === undefined) return refused('unknown issuer');
  const found = keys.lookup(uri, jwt.kid, jwt.alg);
  if (found.kind === 'fetch') return { kind: 'fetchKeys', want: { uri, ...(jwt.kid !== undefined ? { kid: jwt.kid } : {}), alg: jwt.alg } };
  if (found.kind === 'missing') return refused(found.reason);
  if (!verifyJws(jwt.alg, found.key, jwt.signingInput, jwt.signature)) return refused('invalid signature');
  const login: JwtLogin = { claims: claimsValue(jwt.payload), pending: providerRoles(provider.data.get('roles')) };
  return { kind: 'principal', principal: { db, access: { kind: 'roles', names: [] }, jwt: login } };
}

/** Core `Query.toValue` / `JWTToken.toLiteral`: JSON as FQL values, whole numbers as Longs. */
function toValue(j: unknown): Value {
  if (j === null) return { t: 'null' };
  if (typeof j === 'boolean') return { t: 'boolean', v: j };
  if (typeof j === 'string') return { t: 'string', v: j };
  if (typeof j === 'number') return Number.isSafeInteger(j) ? { t: 'long', v: BigInt(j) } : { t: 'double', v: j };
  if (Array.isArray(j)) return { t: 'array', v: j.map(toValue) };
  if (typeof j === 'object') return claimsValue(j as Record<string, unknown>);
  return { t: 'null' };
}

function claimsValue(o: Readonly<Record<string, unknown>>): ObjectV {
  return { t: 'object', v: new Map(Object.entries(o).map(([k, v]) => [k, toValue(v)] as const)) };
}

/**
 * Settle a JWT principal's roles in the query's context (`ctx` carries it, attached): the
 * provider roles whose predicates return true for the claims (a role without predicate always
 * applies). Returns false, granting nothing, when no role applies (core: no roles, no auth).
 * Other principals pass unchanged.
 */
export async function grantJwtRoles(ctx: EvalContext): Promise<boolean> {
  const state = authState(ctx.model);
  const principal = state?.principal;
  const pending = principal?.jwt?.pending;
  if (!state || !principal || !pending) return true;
  const names: string[] = [];
  for (const r of pending) {
    if (names.includes(r.role)) continue;
    // A role the provider names must exist (written names are checked at commit since
    // schema-references.ts; a name may still dangle in a database from before that check).
    if (!(await readDef(modelOf(ctx), 'Role', r.role))) continue;
    if (r.predicate === undefined || (await providerRoleHolds(state, r.predicate, principal.jwt!.claims))) names.push(r.role);
  }
  if (names.length === 0) return false;
  attachPrincipal(ctx, { ...principal, access: { kind: 'roles', names }, jwt: { claims: principal.jwt!.claims } }, { schemaDryRun: state.schemaDryRun });
  return true;
}
