// The schema definitions of a database as stored (what FQL created or FSL applied), and the
// canonical FSL of a definition or of a file's item, used to tell whether they match.
import type { Value } from '../fql/values/value';
import type { ConstraintFailure } from '../fql/errors';
import type { SchemaItem } from '../fsl/schema';
import type { ModelTxnImpl } from '../model/model-txn';
import { allDefs } from '../model/identity/named-store';
import { normalizeDefinition } from '../model/definitions/validate';
import { generateItem } from './generate';
import { KIND_OF, type SchemaKindName, definitionFields } from './translate';

export interface StoredDefinition {
  readonly kind: SchemaKindName;
  readonly name: string;
  /** Every field, `name` included. */
  readonly data: ReadonlyMap<string, Value>;
}

/** Kinds in the order their definitions are created (later kinds may refer to earlier ones). */
export const KINDS: readonly SchemaKindName[] = ['Collection', 'Role', 'Function', 'AccessProvider'];

export const defKey = (kind: SchemaKindName, name: string): string => `${kind}\u0000${name}`;

export async function storedDefinitions(model: ModelTxnImpl): Promise<Map<string, StoredDefinition>> {
  const out = new Map<string, StoredDefinition>();
  for (const c of await model.allCollections()) out.set(defKey('Collection', c.name), { kind: 'Collection', name: c.name, data: c.data });
  for (const kind of KINDS.slice(1)) {
    for (const d of await allDefs(model.kv, model.db, kind)) out.set(defKey(kind, d.name), { kind, name: d.name, data: d.data });
  }
  return out;
}

/** The definition fields an item stands for, as they would be stored. */
export function itemDefinition(item: SchemaItem): Map<string, Value> {
  const fields = definitionFields(item);
  if (item.kind !== 'collection') return fields;
  const given = new Map(fields);
  given.delete('name');
  const failures: ConstraintFailure[] = [];
  const normalized = normalizeDefinition(item.name, given, failures);
  return failures.length > 0 ? fields : normalized;
}

export const canonicalOfItem = (item: SchemaItem): string =>
  generateItem(KIND_OF[item.kind], item.name, itemDefinition(item));

export const canonicalOfDefinition = (def: StoredDefinition): string => generateItem(def.kind, def.name, def.data);
