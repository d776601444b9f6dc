// Names in the selected database that the views offer: collections (with their indexes),
// functions and user roles, for completion, "Run as" and the role matrix.
import { data } from './api';

export interface Names {
  readonly collections: { name: string; indexes: string[] }[];
  readonly functions: string[];
  readonly roles: string[];
}

export function loadNames(secret: string): Promise<Names> {
  return data<Names>(secret, `{
  collections: Collection.all().map(c => { name: c.name, indexes: Object.keys(c.indexes ?? {}) }).toArray(),
  functions: Function.all().map(f => f.name).toArray(),
  roles: Role.all().map(r => r.name).toArray()
}`);
}

/** Words offered by the shell's completion. */
export function completionWords(n: Names): string[] {
  const words = new Set<string>(['Collection', 'Function', 'Role', 'Key', 'Database', 'Credential', 'Token', 'AccessProvider', 'Query', 'Time', 'Date', 'Math', 'Set', 'Object', 'Array', 'String']);
  for (const c of n.collections) {
    words.add(c.name);
    for (const i of c.indexes) words.add(i);
  }
  for (const f of n.functions) words.add(f);
  return [...words].sort();
}
