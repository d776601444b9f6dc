// Access providers as v4 shows and writes them (core AccessProvider.scala, WriteAdaptor.scala
// AccessProviderWriteConfig). They are the definitions the v10 `AccessProvider` module stores
// (src/model/identity/access-providers.ts), so `AccessProvider.byName` and FSL see the same
// ones: v4 names roles by `Role("r")` refs where v10 stores role names, and shows the
// `audience` core derives from the database (`JWTToken.canonicalDBUrl`).
import type { Value } from '../../fql/values/value';
import type { NamedData } from '../../model/model-api';
import type { ModelTxnImpl } from '../../model/model-txn';
import { BUILTIN_ROLE_NAMES } from '../../model/identity/role-grants';
import { allDefs, readDef } from '../../model/identity/named-store';
import { type Position, type ValidationFailure, V4Error, invalidArgument, validationFailed, valueRequired } from '../errors';
import { type ObjectV4, type RefV4, type V4Value, long4, nativeCollOf, schemaRef, str4, version4 } from '../values';
import { typeName } from '../../fql/values/construct';
import { fromModel, toModel } from './convert';
import { audienceOf } from '../../model/identity/audience';

/** The fields v4 writes (core AccessProvider fields; `audience` is derived, never written). */
export const ACCESS_PROVIDER_FIELDS = ['name', 'issuer', 'jwks_uri', 'roles', 'data'] as const;

/** A role of `roles`: `Role("r")` (or a name) is stored by name, as v10 stores it. */
function roleToModel(v: V4Value, pos: Position): Value {
  if (v.t === 'ref' && nativeCollOf(v) === 'roles') return str4(v.id) as Value;
  if (v.t === 'string') return v;
  throw invalidArgument(['Role Ref'], v, pos);
}

function roleEntryToModel(v: V4Value, pos: Position): Value {
  if (v.t !== 'object') return roleToModel(v, pos);
  const out = new Map<string, Value>();
  for (const [k, x] of v.v) out.set(k, k === 'role' ? roleToModel(x, pos) : toModel(x, pos));
  return { t: 'object', v: out };
}

/** `roles` as v10 stores it: one role or an array of `Role` refs or `{role, predicate}` objects. */
export function rolesToModel(v: V4Value, pos: Position): Value {
  if (v.t === 'null') return v;
  return v.t === 'array' ? { t: 'array', v: v.v.map((x) => roleEntryToModel(x, pos)) } : roleEntryToModel(v, pos);
}

/** A stored role (a user role's name) as v4 shows it: `Role("r")`. */
function roleFromModel(v: Value, pos: Position, db?: RefV4): V4Value {
  if (v.t === 'string' && !BUILTIN_ROLE_NAMES.has(v.v)) return schemaRef('roles', v.v, db);
  if (v.t === 'object') {
    return { t: 'object', v: new Map([...v.v].map(([k, x]) => [k, k === 'role' ? roleFromModel(x, pos, db) : fromModel(x, pos, db)] as const)) };
  }
  return fromModel(v, pos, db);
}

/** `{ref, ts, name, issuer, jwks_uri, roles?, data?, audience}` (core AccessProviderIOConfig). */
export function renderAccessProvider(model: ModelTxnImpl, named: NamedData, pos: Position, db?: RefV4): ObjectV4 {
  const out = new Map<string, V4Value>([['ref', schemaRef('access_providers', named.name, db)], ['ts', long4(named.ts)]]);
  out.set('name', str4(named.name));
  for (const [k, v] of named.data) {
    if (k === 'name') continue;
    if (k === 'roles') {
      out.set(k, v.t === 'array' ? { t: 'array', v: v.v.map((r) => roleFromModel(r, pos, db)) } : roleFromModel(v, pos, db));
    } else {
      out.set(k, fromModel(v, pos, db));
    }
  }
  out.set('audience', str4(audienceOf(model.db)));
  return version4(out);
}

// ------------------------------------------------------------------------------ validation

/** Core `URLT`: a `java.net.URL` with the https protocol. */
function validHttpsUrl(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:';
  } catch {
    return false;
  }
}

const V4_TYPE_NAMES: Readonly<Record<string, string>> = { Int: 'Integer', Long: 'Integer' };
const invalidType = (field: string, v: Value, expected: string): ValidationFailure =>
  ({ field: [field], code: 'invalid type', description: `Invalid type ${V4_TYPE_NAMES[typeName(v)] ?? typeName(v)}, expected type ${expected}.` });

const roleNames = (roles: Value | undefined): string[] => {
  const items = roles === undefined || roles.t === 'null' ? [] : roles.t === 'array' ? roles.v : [roles];
  return items.flatMap((r) => {
    const role = r.t === 'object' ? r.v.get('role') : r;
    return role?.t === 'string' ? [role.v] : [];
  });
};

/**
 * Core's access provider validators (AccessProvider.VersionValidator, IssuerValidator,
 * RolesValidator) on the state a write leaves (`fields` over the definition it changes, as
 * update merges and replace keeps name, issuer, jwks_uri and roles): `issuer` and `jwks_uri`
 * required, `jwks_uri` an https URL, `issuer` unique, roles user roles that exist.
 */
export async function checkAccessProvider(model: ModelTxnImpl, fields: ReadonlyMap<string, Value>, pos: Position, current?: string): Promise<void> {
  const before = current === undefined ? undefined : await readDef(model, 'AccessProvider', current);
  const state = new Map([...(before?.data ?? []), ...fields]);
  const failures: ValidationFailure[] = [];
  const issuer = state.get('issuer');
  if (issuer === undefined || issuer.t === 'null') failures.push(valueRequired(['issuer']));
  else if (issuer.t !== 'string') failures.push(invalidType('issuer', issuer, 'String'));
  const uri = state.get('jwks_uri');
  if (uri === undefined || uri.t === 'null') failures.push(valueRequired(['jwks_uri']));
  else if (uri.t !== 'string') failures.push(invalidType('jwks_uri', uri, 'URI'));
  else if (!validHttpsUrl(uri.v)) failures.push({ field: ['jwks_uri'], code: 'invalid uri', description: `\`${uri.v}\` is a not valid URI` });
  if (failures.length === 0 && issuer?.t === 'string') {
    const others = (await allDefs(model.kv, model.db, 'AccessProvider')).filter((d) => d.name !== current);
    if (others.some((d) => { const i = d.data.get('issuer'); return i?.t === 'string' && i.v === issuer.v; })) {
      failures.push({ field: ['issuer'], code: 'duplicate value', description: 'Value is not unique.' });
    }
  }
  for (const role of roleNames(state.get('roles'))) {
    if (BUILTIN_ROLE_NAMES.has(role)) {
      failures.push({ field: ['roles'], code: 'validation failure', description: `Builtin role \`${role}\` not allowed.` });
    } else if (!(await readDef(model, 'Role', role))) {
      failures.push({ field: ['roles'], code: 'validation failure', description: `Role \`${role}\` does not exist.` });
    }
  }
  if (failures.length > 0) throw validationFailed(pos, failures);
}
