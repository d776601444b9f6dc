// FSL schema items → the definition fields FQL takes (`Collection.create({...})`,
// `Function.create({...})`, ...). Applying a schema runs these through the same methods FQL
// queries call, so FSL and FQL produce identical definitions, validation and permission checks.
import type { Value } from '../fql/values/value';
import { FALSE, TRUE, arr, int, obj, str } from '../fql/values/construct';
import type {
  AccessProviderDef, CollectionDef, FunctionDef, IndexField, RoleDef, SchemaItem,
} from '../fsl/schema';
import { stripParens } from './generate';

export type SchemaKindName = 'Collection' | 'Function' | 'Role' | 'AccessProvider';

export const KIND_OF: Record<SchemaItem['kind'], SchemaKindName> = {
  collection: 'Collection', function: 'Function', role: 'Role', accessProvider: 'AccessProvider',
};

type Entries = [string, Value][];

/**
 * The FQL text stored for an FSL lambda: its source without the parentheses FSL wraps it in,
 * except around a short lambda, which does not parse without them ("Invalid anonymous field
 * access"): `check foo (.bar > 3)` is stored as `"(.bar > 3)"` (core SchemaCollectionSpec,
 * "translates short lambdas from FQL to FSL" for checks and computed fields).
 */
function storedBody(text: string): string {
  const body = stripParens(text);
  return body.startsWith('.') ? `(${body})` : body;
}

function indexField(f: IndexField, withOrder: boolean): Value {
  const entries: Entries = [['field', str(f.field)]];
  if (withOrder && f.order !== undefined) entries.push(['order', str(f.order)]);
  if (f.mva) entries.push(['mva', TRUE]);
  return obj(entries);
}

/** `backfill .a = 0`, `move .a -> .b`, ... as the objects of a definition's `migrations`. */
function migration(text: string): Value {
  const m = /^(\w+)\s*([\s\S]*)$/.exec(text.trim())!;
  const [kind, rest] = [m[1], m[2].trim()];
  const arrow = rest.split(/\s*->\s*/);
  switch (kind) {
    case 'backfill': {
      const eq = rest.indexOf('=');
      return obj([[kind, obj([['field', str(rest.slice(0, eq).trim())], ['value', str(rest.slice(eq + 1).trim())]])]]);
    }
    case 'move': return obj([[kind, obj([['field', str(arrow[0])], ['to', str(arrow[1] ?? '')]])]]);
    case 'split': {
      const to = (arrow[1] ?? '').split(/\s*,\s*/).filter((s) => s !== '').map(str);
      return obj([[kind, obj([['field', str(arrow[0])], ['to', arr(to)]])]]);
    }
    case 'move_conflicts':
    case 'move_wildcard': return obj([[kind, obj([['into', str(rest)]])]]);
    case 'add_wildcard': return obj([[kind, obj([])]]);
    default: return obj([[kind, obj([['field', str(rest)]])]]);
  }
}

function collectionFields(c: CollectionDef): Map<string, Value> {
  const out = new Map<string, Value>([['name', str(c.name)]]);
  if (c.alias !== null) out.set('alias', str(c.alias));
  if (c.historyDays !== null) out.set('history_days', int(c.historyDays));
  if (c.ttlDays !== null) out.set('ttl_days', int(c.ttlDays));
  if (c.documentTtls !== null) out.set('document_ttls', c.documentTtls ? TRUE : FALSE);
  const wildcard = c.fields.find((f) => f.name === '*');
  if (wildcard) out.set('wildcard', str(wildcard.typeSource ?? 'Any'));
  const indexes: Entries = c.indexes.map((ix) => {
    const def: Entries = [];
    if (ix.terms) def.push(['terms', arr(ix.terms.map((f) => indexField(f, false)))]);
    if (ix.values) def.push(['values', arr(ix.values.map((f) => indexField(f, true)))]);
    return [ix.name, obj(def)];
  });
  out.set('indexes', obj(indexes));
  const constraints: Value[] = [
    ...c.uniqueConstraints.map((u) => obj([['unique', arr(u.fields.map((f) =>
      f.mva ? obj([['field', str(f.field)], ['mva', TRUE]]) : str(f.field)))]])),
    ...c.checkConstraints.map((k) => obj([['check', obj([['name', str(k.name)], ['body', str(storedBody(k.body))]])]])),
  ];
  out.set('constraints', arr(constraints));
  if (c.computedFields.length > 0) {
    out.set('computed_fields', obj(c.computedFields.map((f): [string, Value] => {
      const def: Entries = [['body', str(storedBody(f.body))]];
      if (f.typeSource !== null) def.push(['signature', str(f.typeSource)]);
      return [f.name, obj(def)];
    })));
  }
  const defined = c.fields.filter((f) => f.name !== '*');
  if (defined.length > 0) {
    out.set('fields', obj(defined.map((f): [string, Value] => {
      const def: Entries = [['signature', str(f.typeSource ?? 'Any')]];
      if (f.default !== null) def.push(['default', str(f.default)]);
      return [f.name, obj(def)];
    })));
  }
  if (c.migrations.length > 0) out.set('migrations', arr(c.migrations.map(migration)));
  return out;
}

function functionFields(f: FunctionDef): Map<string, Value> {
  const out = new Map<string, Value>([['name', str(f.name)]]);
  if (f.alias !== null) out.set('alias', str(f.alias));
  out.set('body', str(f.body));
  if (f.role !== null) out.set('role', str(f.role));
  if (f.signature !== null) out.set('signature', str(f.signature));
  return out;
}

const grant = (predicate: string | null): Value => (predicate === null ? TRUE : str(storedBody(predicate)));

function roleFields(r: RoleDef): Map<string, Value> {
  const out = new Map<string, Value>([['name', str(r.name)]]);
  // Absent rather than empty, as a role created through FQL without them.
  if (r.privileges.length > 0) {
    out.set('privileges', arr(r.privileges.map((p) => obj([
      ['resource', str(p.resource)],
      ['actions', obj(p.actions.map((a): [string, Value] => [a.action, grant(a.predicate)]))],
    ]))));
  }
  if (r.membership.length > 0) {
    out.set('membership', arr(r.membership.map((m) => obj(
      m.predicate === null ? [['resource', str(m.collection)]] : [['resource', str(m.collection)], ['predicate', str(storedBody(m.predicate))]],
    ))));
  }
  return out;
}

function accessProviderFields(a: AccessProviderDef): Map<string, Value> {
  const out = new Map<string, Value>([['name', str(a.name)]]);
  if (a.issuer !== null) out.set('issuer', str(a.issuer));
  if (a.jwksUri !== null) out.set('jwks_uri', str(a.jwksUri));
  out.set('roles', arr(a.roles.map((r) => (r.predicate === null
    ? str(r.role)
    : obj([['role', str(r.role)], ['predicate', str(storedBody(r.predicate))]])))));
  return out;
}

/** The definition fields (`name` included) an item stands for. */
export function definitionFields(item: SchemaItem): Map<string, Value> {
  switch (item.kind) {
    case 'collection': return collectionFields(item);
    case 'function': return functionFields(item);
    case 'role': return roleFields(item);
    case 'accessProvider': return accessProviderFields(item);
  }
}
