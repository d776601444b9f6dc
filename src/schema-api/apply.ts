// Makes a database's definitions match a set of FSL files: creates what is new, replaces what
// changed and deletes definitions no file mentions (a deleted collection takes its documents
// with it, as in Fauna). Every change runs through the method an FQL query would call
// (`Collection.create`, `Role.byName(x).replace`, `Function.byName(x).delete`, ...), with the
// caller's permissions; user `data` of a replaced definition is kept (core `SchemaUpdate`).
import { pathLabel } from '../model/definitions/field-path';
import { QueryError } from '../fql/errors';
import { renderSummary } from '../fql/summary';
import { lookupMethod } from '../fql/stdlib/registry';
import { obj } from '../fql/values/construct';
import type { Value } from '../fql/values/value';
import type { SchemaItem } from '../fsl/schema';
import { checkSchemaWrite } from '../model/write-broker';
import { deleteDef, putDef, readDef } from '../model/identity/named-store';
import { badRequest } from './errors';
import { KINDS, type StoredDefinition, canonicalOfDefinition, canonicalOfItem, defKey, storedDefinitions } from './catalog';
import { type ParsedFile, activeFiles, parseFiles } from './schema-files';
import type { SchemaSession } from './session';
import { KIND_OF, type SchemaKindName, definitionFields } from './translate';

interface Located { readonly item: SchemaItem; readonly file: ParsedFile }

const KIND_WORD: Record<SchemaKindName, string> = {
  Collection: 'collection', Function: 'function', Role: 'role', AccessProvider: 'access provider',
};
const BUILTIN_ROLES = new Set(['admin', 'server', 'server-readonly']);

/**
 * A failure of one item, rendered against its file like a query error: at the item's name, or,
 * for a collection write's constraint failures, at the whole item (core SchemaManagerSpec
 * protected mode: ``Failed to update Collection `Foo`.`` at main.fsl:1:1 over the collection).
 */
function itemFailure(at: Located, message: string, wholeItem = false): Error {
  const span = wholeItem ? at.item.span : at.item.nameSpan;
  return badRequest(renderSummary(at.file.content, [{ message, span }], 'error', at.file.filename));
}

const hasConstraintFailures = (e: QueryError): boolean => (e.extra.constraintFailures?.length ?? 0) > 0;

function failureText(e: QueryError, headline = e.message): string {
  const failures = e.extra.constraintFailures ?? [];
  if (failures.length === 0) return headline;
  const lines = failures.map((f) => {
    const path = f.paths.map((p) => pathLabel(p)).join(',');
    return `  ${path ? `${path}: ` : ''}${f.message}`;
  });
  return `${headline}\nconstraint failures:\n${lines.join('\n')}`;
}

/**
 * Core's schema manager updates an existing definition's document, so its failures read
 * ``Failed to update Collection `Foo`.`` where the `replace` call made here says replace.
 */
const asUpdate = (headline: string): string => headline.replace(/^Failed to replace /, 'Failed to update ');

/** The items of all files by kind and name; a name defined twice is an error. */
export function collectItems(files: readonly ParsedFile[]): Map<string, Located> {
  const out = new Map<string, Located>();
  for (const file of files) {
    for (const item of file.items) {
      const key = defKey(KIND_OF[item.kind], item.name);
      const previous = out.get(key);
      if (previous) {
        throw itemFailure({ item, file }, `Duplicate ${KIND_WORD[KIND_OF[item.kind]]} \`${item.name}\` (also defined in ${previous.file.filename})`);
      }
      out.set(key, { item, file });
    }
  }
  return out;
}

async function call(s: SchemaSession, keys: readonly string[], method: string, self: Value, args: readonly Value[]): Promise<void> {
  const m = lookupMethod(keys, method);
  if (!m) throw new Error(`schema method ${keys[0]}.${method} is not registered`);
  await m.impl(s.ctx, self, args, {});
}

/** Access providers have no FQL module here; they are checked and stored directly. */
async function writeAccessProvider(s: SchemaSession, at: Located, fields: Map<string, Value>, exists: boolean): Promise<void> {
  await checkSchemaWrite(s.ctx, 'AccessProvider', exists ? 'replace' : 'create');
  const roles = fields.get('roles');
  for (const r of roles?.t === 'array' ? roles.v : []) {
    const name = r.t === 'string' ? r.v : r.t === 'object' && r.v.get('role')?.t === 'string' ? (r.v.get('role') as { v: string }).v : '';
    if (!BUILTIN_ROLES.has(name) && !(await readDef(s.model, 'Role', name))) throw itemFailure(at, `Role \`${name}\` does not exist.`);
  }
  if (fields.get('issuer') === undefined) throw itemFailure(at, 'Missing required field `issuer`.');
  if (fields.get('jwks_uri') === undefined) throw itemFailure(at, 'Missing required field `jwks_uri`.');
  putDef(s.model, 'AccessProvider', at.item.name, fields);
}

async function upsert(s: SchemaSession, at: Located, current: StoredDefinition | undefined): Promise<void> {
  const kind = KIND_OF[at.item.kind];
  const fields = definitionFields(at.item);
  const data = current?.data.get('data');
  if (data !== undefined) fields.set('data', data);
  try {
    if (kind === 'AccessProvider') return await writeAccessProvider(s, at, fields, current !== undefined);
    if (current === undefined) {
      await call(s, ['module:' + kind], 'create', { t: 'module', name: kind }, [obj(fields)]);
    } else {
      await call(s, ['named:' + kind], 'replace', { t: 'named', coll: kind, name: at.item.name }, [obj(fields)]);
    }
  } catch (e) {
    if (e instanceof QueryError) throw itemFailure(at, failureText(e, asUpdate(e.message)), hasConstraintFailures(e) && at.item.kind === 'collection');
    throw e;
  }
}

/**
 * A refused deletion (protected mode) in core's words, at the deleted item as the active files
 * show it. (Core points at the deleted item's old span within the new file.)
 */
async function deletionFailure(s: SchemaSession, def: StoredDefinition, e: QueryError): Promise<Error> {
  for (const file of parseFiles(await activeFiles(s.model))) {
    const item = file.items.find((i) => KIND_OF[i.kind] === def.kind && i.name === def.name);
    if (item) return itemFailure({ item, file }, failureText(e), true);
  }
  return badRequest(`error: ${failureText(e)}`);
}

async function remove(s: SchemaSession, def: StoredDefinition): Promise<void> {
  try {
    if (def.kind === 'AccessProvider') {
      await checkSchemaWrite(s.ctx, 'AccessProvider', 'delete');
      deleteDef(s.model, 'AccessProvider', def.name);
      return;
    }
    await call(s, ['named:' + def.kind], 'delete', { t: 'named', coll: def.kind, name: def.name }, []);
  } catch (e) {
    if (e instanceof QueryError && hasConstraintFailures(e)) throw await deletionFailure(s, def, e);
    if (e instanceof QueryError) throw badRequest(`error: Failed to delete ${KIND_WORD[def.kind]} \`${def.name}\`: ${failureText(e)}`);
    throw e;
  }
}

/** Applies the files to the session's database; returns whether anything changed. */
export async function applyFiles(s: SchemaSession, files: readonly ParsedFile[]): Promise<boolean> {
  const wanted = collectItems(files);
  const current = await storedDefinitions(s.model);
  let changed = false;
  for (const kind of KINDS) {
    for (const [key, at] of wanted) {
      if (KIND_OF[at.item.kind] !== kind) continue;
      const def = current.get(key);
      if (def && canonicalOfDefinition(def) === canonicalOfItem(at.item)) continue;
      await upsert(s, at, def);
      changed = true;
    }
  }
  for (const kind of [...KINDS].reverse()) {
    for (const [key, def] of current) {
      if (def.kind !== kind || wanted.has(key)) continue;
      await remove(s, def);
      changed = true;
    }
  }
  return changed;
}
