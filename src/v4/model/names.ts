// How v4 names the collections of the shared storage: user collections keep their names; the
// identity collections and schema kinds are v4's native collections.
import type { NativeName } from '../values';

/** v10 system collections with numeric document ids ↔ v4 native collections. */
export const DOC_NATIVES: ReadonlyMap<NativeName, string> = new Map([
  ['credentials', 'Credential'], ['tokens', 'Token'], ['keys', 'Key'],
]);

/** v10 named schema kinds ↔ v4 native collections (Index is kept by the v4 layer). */
export const SCHEMA_NATIVES: ReadonlyMap<NativeName, string> = new Map([
  ['collections', 'Collection'], ['databases', 'Database'], ['functions', 'Function'], ['roles', 'Role'], ['indexes', 'Index'],
  ['access_providers', 'AccessProvider'],
]);

const invert = (m: ReadonlyMap<NativeName, string>): ReadonlyMap<string, NativeName> =>
  new Map([...m].map(([k, v]) => [v, k] as const));

export const NATIVE_OF_DOC_COLL = invert(DOC_NATIVES);
export const NATIVE_OF_SCHEMA_COLL = invert(SCHEMA_NATIVES);

/** Core's display name of a native collection in `<X> not found.` messages. */
export const NATIVE_TITLES: Readonly<Record<string, string>> = {
  credentials: 'Credentials', tokens: 'Token', keys: 'Key', collections: 'Collection', databases: 'Database',
  functions: 'Function', roles: 'Role', indexes: 'Index',
};
