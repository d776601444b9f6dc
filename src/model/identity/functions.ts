// User-defined functions (core Functions.scala, UserFunction): `Function.create({ name, body,
// role?, signature?, data? })`, calls `Name(args)`, `Name.definition`. A call needs the `call`
// privilege; a function with a `role` runs with that role's permissions, otherwise with the
// caller's; who may give a function which role is ./role-grants.ts.
import { renamePrivilegeResources } from './references';
import { inStoredCall } from '../../fql/eval/stored-calls';
import { QueryCheckError, QueryError } from '../../fql/errors';
import { renderSummary, type DetailedDiagnostic } from '../../fql/summary';
import { setUdfInvoker } from '../../fql/eval/calls';
import { missingField } from '../../fql/eval/nulls';
import { defineFields, type FieldImpl } from '../../fql/stdlib/registry';
import type { CallSite, Value } from '../../fql/values/value';
import type { EvalContext } from '../../fql/eval/context';
import { modelOf } from '../stdlib/args';
import { authState, runAs } from './auth-state';
import { accessForRole } from './authenticate';
import { readDef, stringField } from './named-store';
import { mayReadNamed, requireCall } from './permissions';
import { checkFunctionRole, roleExists } from './role-grants';
import { defineSchemaKind, validName, type SchemaKind } from './schema-kinds';
import { callStoredLambda, parseStoredLambda } from '../stored-lambda';
import { parseQuery } from '../../fql/parse/parse';
import { fql4QueryOf, runFql4 } from './fql4-lambdas';
import { schemaWriteFailure } from '../write-failures';
import { refuseImpureIndexedFields } from '../definitions/indexed-computed';
import { refuseNameConflicts } from '../definitions/global-names';

const FIELD_ORDER = ['name', 'alias', 'body', 'role', 'signature', 'data'];

/** A v10 body must parse as a lambda with spelled-out parameters. */
function checkBodySource(source: string, fail: (path: string, message: string) => QueryError): void {
  try {
    // Core parses the body as a query body (statements) first, then requires one lambda: a
    // bad statement fails as a statement (`let a`: "Expected `:` or `=`", FQL2FunctionSpec).
    parseQuery(source);
    const expr = parseStoredLambda(source);
    if (expr.kind === 'shortLambda') {
      // core FQL2UserFunctionSpec "disallows short lambdas": the body must spell its parameters.
      const at = [{ message: 'Short form lambdas are not allowed here', span: expr.body.span }];
      throw fail('body', `Unable to parse FQL source code.\n${renderSummary(source, at, 'error', '*body*')}`);
    }
    if (expr.kind !== 'lambda') {
      // Core FQL2FunctionSpec ("not a lambda suggestion"): the body with a proposed `() => `.
      throw new QueryCheckError([{
        message: 'Body must be a lambda expression.', span: expr.span, annotation: 'Expression is not a lambda.',
        hints: [{ message: 'Declare a lambda.', span: { start: expr.span.start, end: expr.span.start }, suggestion: '() => ' }],
      } as DetailedDiagnostic]);
    }
  } catch (e) {
    if (!(e instanceof QueryCheckError)) throw e;
    // Fauna renders the parse errors against the stored text, named `*body*`.
    throw fail('body', `Unable to parse FQL source code.\n${renderSummary(source, e.diagnostics, 'error', '*body*')}`);
  }
}

const functionKind: SchemaKind = {
  coll: 'Function',
  async shape(ctx, action, fields, before) {
    const fail = (path: string, message: string) => schemaWriteFailure(action, 'Function', path, message);
    validName(functionKind, action, fields.get('name'));
    for (const k of fields.keys()) if (!FIELD_ORDER.includes(k)) throw fail(k, 'Unexpected field provided.');
    const body = fields.get('body');
    // Core FQL2FunctionSpec ("closures produce a readable error"): a lambda value is not source.
    if (body?.t === 'function') throw new QueryError('invalid_type', 'Anonymous functions cannot be stored. Use a string of FQL instead.');
    // A body written through FQL v4 is a `Query(Lambda(...))`, run by the v4 evaluator.
    if (fql4QueryOf(body) === undefined) {
      if (!body || body.t !== 'string') throw fail('body', 'Missing required field of type String');
      checkBodySource(body.v, fail);
    }
    const role = fields.get('role');
    // `role: null` is no role (Fauna's type for it is `String | Null`).
    if (role !== undefined && role.t !== 'null') {
      if (role.t !== 'string') throw fail('role', 'Expected String | Null');
      if (!(await roleExists(ctx, role.v))) {
        // Core's NameValidationHook message (FQL2UserFunctionSpec "validates role name").
        throw fail('role', `Field refers to an unknown role name \`${role.v}\`.`);
      }
    }
    checkFunctionRole(ctx, action, before, fields);
    const out = new Map<string, Value>();
    for (const k of FIELD_ORDER) if (fields.has(k) && fields.get(k)!.t !== 'null') out.set(k, fields.get(k)!);
    return out;
  },
  checkNames: (ctx, action, fields, previous) => refuseNameConflicts(ctx, 'Function', action, fields, previous),
  // A function name may make an indexed computed field call a UDF.
  onCreate: (ctx, name) => refuseImpureIndexedFields(ctx, { udf: name }),
  onRename: async (ctx, def, name) => {
    await refuseImpureIndexedFields(ctx, { udf: name });
    await renamePrivilegeResources(ctx, def.name, name);
  },
};

/**
 * Call the UDF `name` (from v10, and from v4 for functions with a v10 body): the `call`
 * privilege, then the body as the function's role or the caller. A v4 body runs in the v4
 * evaluator (Fauna lets v10 call v4 functions, fql-v4.md §5).
 */
export async function callUserFunction(ctx: EvalContext, name: string, args: readonly Value[], site: CallSite): Promise<Value> {
  const def = await readDef(modelOf(ctx), 'Function', name);
  if (!def) throw new QueryError('invalid_function_invocation', `The function \`${name}\` does not exist`, site.span);
  await requireCall(ctx, name, args);
  const v4Body = fql4QueryOf(def.data.get('body'));
  const body = stringField(def.data, 'body') ?? '';
  const role = stringField(def.data, 'role');
  const state = authState(ctx.model);
  const origin = { text: body, name: `*udf:${name}*` };
  const readable = () => mayReadNamed(modelOf(ctx), { coll: 'Function', name, ts: def.ts, data: def.data });
  const run = () => (v4Body !== undefined
    ? runFql4(ctx, v4Body, args)
    // Sets built in the body remember this call (their lambdas may run after it returned).
    : inStoredCall(ctx, { origin, callSpan: site.span, visible: readable }, () => callStoredLambda(ctx, body, args, site, origin.name)));
  try {
    if (!state || role === undefined) return await run();
    return await runAs(state, { ...state.principal, access: accessForRole(role) }, run);
  } catch (e) {
    if (e instanceof QueryError) {
      if (v4Body === undefined && await readable()) {
        // Spans inside the body refer to the function's source: the call site becomes a frame.
        e.leaveStored(origin, site.span);
      } else {
        // A caller that may not read the function sees no frame inside it (core FQL2FunctionSpec).
        e.hideStoredFrames(site.span);
      }
    }
    throw e;
  }
}

const FUNCTION_FIELDS: Record<string, FieldImpl> = {
  definition: (_ctx, self) =>
    self.t === 'function' && self.fn.kind === 'udf' ? { t: 'named', coll: 'Function', name: self.fn.name } : missingField('definition'),
};

/**
 * Registers the `Function` module and function definitions, how the evaluator calls a UDF, and
 * the fields of function values (called by src/model/identity/index.ts).
 */
export function wireFunctions(): void {
  defineSchemaKind(functionKind);
  setUdfInvoker(callUserFunction);
  defineFields('function', FUNCTION_FIELDS);
}
