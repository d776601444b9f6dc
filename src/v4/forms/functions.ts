// User-defined functions and roles (core WriteFunctions.scala CreateFunction/CreateRole,
// BasicFunctions.scala CallFunction). Both are the same Function and Role definitions v10 uses:
// a v4 function's body and a v4 role's predicates are stored `Query(Lambda(...))` values that
// the v4 evaluator runs (src/model/identity/fql4-lambdas.ts), and a v10 function called from v4
// runs in the v10 evaluator.
import { QueryError } from '../../fql/errors';
import { authState, runAs } from '../../model/identity/auth-state';
import { accessForRole } from '../../model/identity/authenticate';
import { fql4QueryOf } from '../../model/identity/fql4-lambdas';
import { callUserFunction } from '../../model/identity/functions';
import { readDef, stringField } from '../../model/identity/named-store';
import { requireCall } from '../../model/identity/permissions';
import { type Position, V4Error, invalidArgument, invalidRef } from '../errors';
import { Evaluator, type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { fromModel, lambdaOfQuery, toModel } from '../model/convert';
import { fromQueryError } from '../model/failures';
import { createSchema, paramsObject } from '../model/writes';
import type { V4Query } from '../query-context';
import { type V4Value, nativeCollOf } from '../values';

/** `Call`'s function: a `Function("f")` ref of the request's database, or its name. */
function functionName(v: V4Value, pos: Position): string {
  if (v.t === 'string') return v.v;
  if (v.t === 'ref' && nativeCollOf(v) === 'functions' && !v.db) return v.id;
  throw invalidArgument(['Ref'], v, pos);
}

/** Core FunctionCallError: failures inside a function's body are the causes of one error at the call. */
function callError(e: unknown, pos: Position): unknown {
  const inner = e instanceof QueryError ? fromQueryError(e, []) : e;
  if (!(inner instanceof V4Error)) return e;
  return new V4Error('call error', 'Calling the function resulted in an error.', pos, [], [inner]);
}

async function call(ev: Evaluator, a: FormArgs): Promise<V4Value> {
  const q = ev.q;
  const name = functionName(await a.value('call'), a.at('call'));
  const argument = await a.value('arguments');
  const def = await readDef(q.model, 'Function', name);
  if (!def) throw invalidRef('function', name, a.at('call'));
  // The arguments one by one, as v10 code and `call` predicates take them.
  const args = (argument.t === 'array' ? argument.v : [argument]).map((x) => toModel(x, a.at('arguments')));
  const query = fql4QueryOf(def.data.get('body'));
  if (query === undefined) return fromModel(await callUserFunction(q.ctx, name, args, {}), a.pos);
  await requireCall(q.ctx, name, args);
  const fn = lambdaOfQuery(query);
  const role = stringField(def.data, 'role');
  const state = authState(q.model);
  // The body sees the `arguments` value as a lambda sees its argument (one value, or an array
  // its parameters destructure), and runs with the function's role when it has one.
  const run = (as: V4Query) => new Evaluator(as, ev.readOnly).apply(fn, argument, []);
  try {
    if (!state || role === undefined) return await run(q);
    const principal = { ...state.principal, access: accessForRole(role) };
    return await runAs(state, principal, () => run({ ...q, principal }));
  } catch (e) {
    throw callError(e, a.pos);
  }
}

const FUNCTION_FORMS: readonly FormSpec[] = [
  { keys: ['call', 'arguments'], run: call },
  {
    keys: ['create_function'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'Function', paramsObject(await a.value('create_function'), a.at('create_function')), a.pos),
  },
  {
    keys: ['create_role'], writes: true,
    run: async (ev, a) => createSchema(ev.q, 'Role', paramsObject(await a.value('create_role'), a.at('create_role')), a.pos),
  },
];

/** Registers the user-defined function and role forms (called by src/v4/forms/index.ts). */
export function wireFunctionForms(): void {
  defineForms(FUNCTION_FORMS);
}
