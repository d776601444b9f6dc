// Internal escalation: v4 functions that core runs with fixed rights (Login issuing a token
// with server rights, Logout deleting tokens, the `credentials` field writing credentials).
import type { BuiltinRole } from '../../auth/principal';
import { authState, runAs } from '../../model/identity/auth-state';
import type { V4Query } from '../query-context';

export async function asBuiltin<T>(q: V4Query, role: BuiltinRole, f: () => Promise<T>): Promise<T> {
  const state = authState(q.model);
  if (!state) return f();
  return runAs(state, { ...state.principal, access: { kind: 'builtin', role } }, f);
}
