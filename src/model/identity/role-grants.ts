// Which roles a caller may hand out. A key or function names a built-in role or a Role of its
// database (roleExists). Fauna has one rule beyond the permission checks every write
// goes through (core SchemaCollection.UserFunction, `FunctionPermissionsValidation`): a caller
// holding the built-in `server` role may write functions, but may not make one run as `admin`,
// since calling it would then do anything admin can (create admin keys, read every key). It may
// neither create a function with role `admin` nor change a function's role to `admin`; rewriting
// a function whose role already is `admin`, role unchanged, stays allowed (core tests that).
//
// The other holders of roles need no rule of their own, as in core (Permissions.scala): keys,
// roles, databases and access providers may be written only by admin, or by a user role an admin
// granted privileges on them (ADMIN_ONLY in ./system.ts); a token holds no role, only an identity
// document whose roles an admin defined. The schema API needs no rule either: only admin may push
// or commit schema (../../schema-api/endpoint.ts), and its dry runs change nothing.
import { QueryError } from '../../fql/errors';
import type { EvalContext } from '../../fql/eval/context';
import type { Value } from '../../fql/values/value';
import { isBuiltin } from '../../auth/principal';
import { modelOf } from '../stdlib/args';
import { authState, dryRunExempts } from './auth-state';
import { readDef } from './named-store';
import type { SchemaAction } from './schema-kinds';

/** Core `Key.Role.Builtin.Names`: the roles a key or function may name without a Role document. */
export const BUILTIN_ROLE_NAMES: ReadonlySet<string> = new Set(['admin', 'server', 'server-readonly', 'client']);

/** Whether a key or function may name the role `name`: built in, or a Role of the database. */
export async function roleExists(ctx: EvalContext, name: string): Promise<boolean> {
  return BUILTIN_ROLE_NAMES.has(name) || (await readDef(modelOf(ctx), 'Role', name)) !== undefined;
}

const roleOf = (fields: ReadonlyMap<string, Value> | undefined): string | undefined => {
  const v = fields?.get('role');
  return v?.t === 'string' ? v.v : undefined;
};

/** Core's message for a failed write of a named schema document: the old name on updates. */
function failure(action: SchemaAction, before: ReadonlyMap<string, Value> | undefined, message: string): QueryError {
  const name = before?.get('name');
  const what = action === 'create' || name?.t !== 'string' ? 'Function' : `Function \`${name.v}\``;
  // Replace is an update of the stored document, as core reports it.
  const verb = action === 'create' ? 'create' : 'update';
  return new QueryError('constraint_failure', `Failed to ${verb} ${what}.`, undefined, {
    constraintFailures: [{ paths: [['role']], message }],
  });
}

/**
 * Throws unless the caller may give a function the role in `after` (its fields after the write;
 * `before`: its stored fields, on update and replace).
 */
export function checkFunctionRole(
  ctx: EvalContext, action: SchemaAction, before: ReadonlyMap<string, Value> | undefined, after: ReadonlyMap<string, Value>,
): void {
  const state = authState(ctx.model);
  // No state: internal work, trusted. The schema API's own writes in a dry run (a diff) change
  // nothing; stored code it runs is checked (dryRunExempts).
  if (!state || dryRunExempts(state, ctx) || !isBuiltin(state.principal, 'server')) return;
  if (roleOf(after) !== 'admin') return;
  if (action === 'create') {
    throw failure(action, before, 'Cannot create a function with admin permissions using the server role.');
  }
  if (roleOf(before) !== 'admin') {
    throw failure(action, before, 'Cannot grant a function admin permissions using the server role.');
  }
}
