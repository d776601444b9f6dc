// How definitions hold their lists of references, read the same way by the permission checks,
// JWT authentication and the schema's reference check (a module of its own: those import much
// of the model, and the schema check is imported by the model's stores).
import type { ProviderRole } from '../../auth/principal';
import type { Value } from '../../fql/values/value';

/** A list-valued role field: Fauna accepts one object or an array of objects. */
export function entries(v: Value | undefined): ReadonlyMap<string, Value>[] {
  if (!v) return [];
  if (v.t === 'object') return [v.v];
  if (v.t === 'array') return v.v.flatMap((x) => (x.t === 'object' ? [x.v] : []));
  return [];
}

/** A provider's `roles`: a role name, `{ role, predicate }`, or an array of them. */
export function providerRoles(v: Value | undefined): ProviderRole[] {
  if (v === undefined) return [];
  if (v.t === 'array') return v.v.flatMap(providerRoles);
  if (v.t === 'string') return [{ role: v.v }];
  if (v.t !== 'object') return [];
  const role = v.v.get('role');
  if (role?.t !== 'string') return [];
  const predicate = v.v.get('predicate');
  return [predicate === undefined || predicate.t === 'null' ? { role: role.v } : { role: role.v, predicate }];
}
