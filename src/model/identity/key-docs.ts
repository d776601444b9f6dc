// The `Key` collection (core Keys.scala): `Key.create({ role, database?, ttl?, data? })` returns
// the key with its `secret`, shown this once. Only admin may see or change keys.
import type { EvalContext } from '../../fql/eval/context';
import { obj, typeName } from '../../fql/values/construct';
import type { ObjectV, Value } from '../../fql/values/value';
import { modelOf } from '../stdlib/args';
import { createDocument, type WriteShaper } from '../write-broker';
import { bindKey, unbind } from './secret-bindings';
import { readDef } from './named-store';
import { roleExists } from './role-grants';
import { issueSecret, keepSecret, registerSecret } from './secret-docs';
import { checkFields, defineSystemCollectionModule, rewrittenSecretFields } from './system-modules';
import { nativeWriteFailure } from '../write-failures';
import { HASHED_SECRET, KEY_COLL } from './system';

const KEY_FIELDS: ReadonlySet<string> = new Set(['role', 'database', 'ttl', 'data']);

/** A key's role is built-in or a role of the database; `database` names an existing child. */
async function validateKey(ctx: EvalContext, action: 'create' | 'update' | 'replace', data: ReadonlyMap<string, Value>, id?: string): Promise<void> {
  const fail = (path: string, message: string) => nativeWriteFailure(action, KEY_COLL.name, path, message, id);
  const model = modelOf(ctx);
  const role = data.get('role');
  if (!role) throw fail('role', 'Missing required field of type String');
  if (role.t !== 'string') throw fail('role', `Expected String, provided ${typeName(role)}`);
  if (!(await roleExists(ctx, role.v))) {
    throw fail('role', `Field refers to an unknown role name \`${role.v}\`.`);
  }
  const database = data.get('database');
  if (database !== undefined && database.t !== 'null') {
    if (database.t !== 'string') throw fail('database', 'Expected String | Null');
    if (!(await readDef(model, 'Database', database.v))) throw fail('database', `Database \`${database.v}\` does not exist.`);
  }
}

/**
 * A new key and its secret. `id` is a chosen id (FQL v4 `Create(Ref(Keys(), "123"), ...)`,
 * faunadb-js test/query.test.js 'recursive refs'); taken ids fail as for any document.
 */
export async function createKey(ctx: EvalContext, data: ObjectV, id?: string): Promise<Value> {
  checkFields(data.v, KEY_FIELDS, (p, m) => nativeWriteFailure('create', KEY_COLL.name, p, m));
  await validateKey(ctx, 'create', data.v);
  const issued = issueSecret();
  const fields = new Map(data.v);
  fields.set(HASHED_SECRET, { t: 'string', v: issued.digest });
  if (id !== undefined) fields.set('id', { t: 'string', v: id });
  const ref = await createDocument(ctx, KEY_COLL, obj(fields));
  registerSecret(ctx, 'Key', ref.id, issued);
  return ref;
}

/** Shapes every Key write: keeps the secret's hash, validates the role, binds the key. */
export const shapeKeyWrite: WriteShaper = async (ctx, w) => {
  const shaped = keepSecret(ctx, w);
  const visible = rewrittenSecretFields(shaped, KEY_COLL.name, KEY_FIELDS);
  if (visible) await validateKey(ctx, w.action as 'update' | 'replace', visible, w.id);
  // Bind the key to the identities its (validated) names denote now.
  if (shaped.after) await bindKey(ctx, w.id, shaped.after.data, w.before?.data);
  else unbind(ctx, 'Key', w.id);
  return shaped;
};

/** Registers the `Key` module (called by src/model/identity/index.ts). */
export function wireKeys(): void {
  defineSystemCollectionModule(KEY_COLL, (ctx, data) => createKey(ctx, data));
}
