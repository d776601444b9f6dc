// The AccessProvider module (core AccessProviders.scala): `AccessProvider.create({ name, issuer,
// jwks_uri, roles?, data? })`, `byName`, `all()`, and update/replace/delete of definitions.
// Providers are stored like the schema API stores them; reads show the derived `audience`
// (./guards.ts); JWTs authenticate through them in ./jwt-auth.ts.
import { typeName } from '../../fql/values/construct';
import { defineModule } from '../../fql/stdlib/registry';
import type { Value } from '../../fql/values/value';
import { schemaWriteFailure } from '../write-failures';
import { defineSchemaKind, validName, type SchemaAction, type SchemaKind } from './schema-kinds';
import type { EvalContext } from '../../fql/eval/context';
import { modelOf } from '../stdlib/args';
import { allDefs, stringField } from './named-store';

const FIELD_ORDER = ['name', 'issuer', 'jwks_uri', 'roles', 'data'];
const BUILTIN_ROLES = new Set(['admin', 'server', 'server-readonly', 'client']);
const ROLE_TYPE = 'String | { role: String, predicate: String }';

function checkRoles(action: SchemaAction, roles: Value): void {
  const fail = (path: string, message: string) => schemaWriteFailure(action, 'AccessProvider', path, message);
  const items = roles.t === 'array' ? roles.v : [roles];
  items.forEach((r, i) => {
    const path = roles.t === 'array' ? `roles.${i}` : 'roles';
    const role = r.t === 'string' ? r : r.t === 'object' ? r.v.get('role') : undefined;
    if (role === undefined || role.t !== 'string') throw fail(path, `Expected ${ROLE_TYPE}, provided ${typeName(r)}`);
    // core reports builtin roles on the `roles` field itself.
    if (BUILTIN_ROLES.has(role.v)) throw fail('roles', `Builtin role \`${role.v}\` not allowed.`);
  });
  // core FQL2AccessProviderSpec "fail to create with two same role entries".
  const names = items.map((r) => (r.t === 'string' ? r.v : ((r as { v: ReadonlyMap<string, Value> }).v.get('role') as { v: string }).v));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw fail('roles', `The role \`${twice}\` is present more than once, there can only be one entry per role.`);
}

/**
 * core's unique index on `issuer` (FQL2AccessProviderSpec "issuer must be unique"): the issuer of
 * a JWT names exactly one provider of its database. (Core's message is not in its tests; this is
 * the one of other unique-constraint failures.)
 */
async function refuseDuplicateIssuer(ctx: EvalContext, action: SchemaAction, fields: ReadonlyMap<string, Value>, previous?: ReadonlyMap<string, Value>): Promise<void> {
  const issuer = fields.get('issuer') as { v: string };
  const self = previous?.get('name');
  const others = await allDefs(modelOf(ctx).kv, modelOf(ctx).db, 'AccessProvider');
  if (others.some((d) => d.name !== (self?.t === 'string' ? self.v : undefined) && stringField(d.data, 'issuer') === issuer.v)) {
    throw schemaWriteFailure(action, 'AccessProvider', 'issuer', 'Failed unique constraint');
  }
}

const accessProviderKind: SchemaKind = {
  coll: 'AccessProvider',
  async shape(_ctx, action, fields) {
    const fail = (path: string, message: string) => schemaWriteFailure(action, 'AccessProvider', path, message);
    validName(accessProviderKind, action, fields.get('name'));
    for (const k of fields.keys()) {
      if (k === 'audience') throw fail(k, 'Failed to update field because it is readonly');
      if (!FIELD_ORDER.includes(k)) throw fail(k, 'Unexpected field provided.');
    }
    for (const k of ['issuer', 'jwks_uri']) {
      const v = fields.get(k);
      if (v === undefined) throw fail(k, 'Missing required field of type String');
      if (v.t !== 'string') throw fail(k, `Expected String, provided ${typeName(v)}`);
    }
    const uri = (fields.get('jwks_uri') as { v: string }).v;
    if (!/^https:\/\/[^/\s]+/.test(uri)) throw fail('jwks_uri', `\`${uri}\` must be a valid https URI.`);
    const roles = fields.get('roles');
    if (roles !== undefined) checkRoles(action, roles);
    const out = new Map<string, Value>();
    for (const k of FIELD_ORDER) {
      const v = fields.get(k);
      if (v !== undefined) out.set(k, v);
    }
    return out;
  },
  checkNames: refuseDuplicateIssuer,
};

/** Registers the `AccessProvider` module and access provider definitions (called by src/model/identity/index.ts). */
export function wireAccessProviders(): void {
  defineModule('AccessProvider');
  defineSchemaKind(accessProviderKind);
}
