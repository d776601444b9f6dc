// Error summaries: errors raised inside stored code (UDFs, computed fields, checks) show the
// stored source with Fauna's frame names, then every call site out to the query, each pointing
// at the argument list of the call. Source: core ext/api/src/test/scala/fql2/
// FQL2ErrorRenderingSpec.scala (api tests) and FQL2FunctionSpec.scala unless noted.
import type { ConformanceArea, ConformanceCase } from '../case';

const RENDER = 'FQL2ErrorRenderingSpec.scala';
const FUNC = 'FQL2FunctionSpec.scala';
const BASIC = 'FQL2BasicSpec.scala';
const TRACE = 'FQLInterpreter.scala (evalMethodChain0, evalApply), ValueSet.scala (prependStackTrace), QueryFailure.scala (hints = trace.drop(1))';

const lines = (...l: string[]): string => l.join('\n');

const cases: ConformanceCase[] = [
  {
    name: 'abort across two UDFs',
    query: '\neventuallyError()\n',
    error: {
      code: 'abort', message: 'Query aborted.',
      summary: lines(
        'error: Query aborted.', 'at *udf:errFunc*:1:12', '  |', '1 | () => abort("tracer")', '  |            ^^^^^^^^^^', '  |',
        'at *udf:eventuallyError*:1:14', '  |', '1 | () => errFunc()', '  |              ^^', '  |',
        'at *query*:2:16', '  |', '2 | eventuallyError()', '  |                ^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'index out of bounds across two UDFs',
    query: '\neventuallyIdx()\n',
    error: {
      code: 'index_out_of_bounds', message: 'index 2 out of bounds for length 1',
      summary: lines(
        'error: index 2 out of bounds for length 1', 'at *udf:errIdx*:1:10', '  |', '1 | () => [1][2]', '  |          ^^^', '  |',
        'at *udf:eventuallyIdx*:1:13', '  |', '1 | () => errIdx()', '  |             ^^', '  |',
        'at *query*:2:14', '  |', '2 | eventuallyIdx()', '  |              ^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'unbound variable across two UDFs',
    query: '\neventuallyUnbound()\n',
    error: {
      code: 'unbound_variable', message: 'Unbound variable `a`',
      summary: lines(
        'error: Unbound variable `a`', 'at *udf:errUnbound*:1:7', '  |', '1 | () => a', '  |       ^', '  |',
        'at *udf:eventuallyUnbound*:1:17', '  |', '1 | () => errUnbound()', '  |                 ^^', '  |',
        'at *query*:2:18', '  |', '2 | eventuallyUnbound()', '  |                  ^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'invalid argument inside a UDF',
    query: '\neventuallyConcat()\n',
    error: {
      code: 'invalid_argument', message: 'expected value for `other` of type String, received { *: Any }',
      summary: lines(
        'error: expected value for `other` of type String, received { *: Any }', 'at *udf:eventuallyConcat*:1:18', '  |',
        '1 | () => "hi".concat({ cast: "this" })', '  |                  ^^^^^^^^^^^^^^^^^^', '  |',
        'at *query*:2:17', '  |', '2 | eventuallyConcat()', '  |                 ^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'invalid argument inside a UDF keeps the UDF frame',
    query: '\neventuallyConcat()\n',
    error: { code: 'invalid_argument', summaryIncludes: 'at *udf:eventuallyConcat*:1:' },
    source: RENDER,
  },
  {
    name: 'field access on a deleted document across two UDFs',
    query: "\nlet doc = TestColl.byId('1')!\ndoc.delete()\neventuallyField(doc)\n",
    error: {
      code: 'document_not_found', message: 'Collection `TestColl` does not contain document with id 1.',
      summary: lines(
        'error: Collection `TestColl` does not contain document with id 1.', 'at *udf:errField*:1:10', '  |', '1 | (doc) => doc.a', '  |          ^^^', '  |',
        'at *udf:eventuallyField*:1:18', '  |', '1 | (doc) => errField(doc)', '  |                  ^^^^^', '  |',
        'at *query*:4:16', '  |', '4 | eventuallyField(doc)', '  |                ^^^^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'field access on a deleted document keeps both UDF frames',
    query: "\nlet doc = TestColl.byId('2')!\ndoc.delete()\neventuallyField(doc)\n",
    error: {
      code: 'document_not_found',
      summaryIncludes: lines('at *udf:eventuallyField*:1:18', '  |', '1 | (doc) => errField(doc)', '  |                  ^^^^^', '  |',
        'at *query*:4:16', '  |', '4 | eventuallyField(doc)', '  |                ^^^^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'null hints across UDFs',
    query: '\nlet a = null\neventuallyField(a)\n',
    error: {
      code: 'invalid_null_access',
      summary: lines(
        'error: Cannot access `a` on null.', 'at *udf:errField*:1:14', '  |', '1 | (doc) => doc.a', '  |              ^', '  |',
        'hint: Null value created here', 'at *query*:2:9', '  |', '2 | let a = null', '  |         ^^^^', '  |',
        'trace:', 'at *udf:eventuallyField*:1:18', '  |', '1 | (doc) => errField(doc)', '  |                  ^^^^^', '  |',
        'at *query*:3:16', '  |', '3 | eventuallyField(a)', '  |                ^^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'null access inside a UDF points at the field',
    query: '\nlet a = null\neventuallyField(a)\n',
    error: { code: 'invalid_null_access', message: 'Cannot access `a` on null.', summaryIncludes: 'at *udf:errField*:1:14\n  |\n1 | (doc) => doc.a\n  |              ^\n  |' },
    source: RENDER,
  },
  {
    name: 'nested UDFs render every body',
    query: 'Test1("foo")',
    error: {
      code: 'invalid_function_invocation', message: 'The function `someFunc` does not exist on `String`',
      summary: lines(
        'error: The function `someFunc` does not exist on `String`', 'at *udf:Test0*:1:8', '  |', '1 | x => x.someFunc()', '  |        ^^^^^^^^', '  |',
        'at *udf:Test1*:1:11', '  |', '1 | x => Test0(x)', '  |           ^^^', '  |',
        'at *query*:1:6', '  |', '1 | Test1("foo")', '  |      ^^^^^^^', '  |'),
    },
    source: FUNC,
  },
  {
    name: 'frames of UDFs the caller may not read are omitted',
    query: 'Test1("foo")', secret: '@role/callOnly',
    error: {
      code: 'invalid_function_invocation',
      summary: lines('error: The function `someFunc` does not exist on `String`', 'at *query*:1:6', '  |', '1 | Test1("foo")', '  |      ^^^^^^^', '  |'),
    },
    source: FUNC + " (omit stack frame if doesn't have permissions)",
  },
  {
    name: 'abort inside Set.map in a UDF',
    query: '\nmyFunc(2)\n',
    error: { code: 'abort', summaryIncludes: 'at *udf:myFunc*:1:32\n  |\n1 | _ => [1].toSet().map(i => abort("ahhhhh"))\n  |                                ^^^^^^^^^^\n  |' },
    source: RENDER,
  },
  {
    name: 'abort inside Set.map in a UDF ends at the query',
    query: '\nmyFunc(2)\n',
    error: { code: 'abort', summaryIncludes: 'at *query*:2:7\n  |\n2 | myFunc(2)\n  |       ^^^\n  |' },
    source: RENDER,
  },
  {
    name: 'abort inside Set.map shows the map call as a frame',
    query: '\nmyFunc(2)\n',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *udf:myFunc*:1:32', '  |', '1 | _ => [1].toSet().map(i => abort("ahhhhh"))', '  |                                ^^^^^^^^^^', '  |',
        '  |', '1 | _ => [1].toSet().map(i => abort("ahhhhh"))', '  |                     ^^^^^^^^^^^^^^^^^^^^^^', '  |',
        'at *query*:2:7', '  |', '2 | myFunc(2)', '  |       ^^^', '  |'),
    },
    source: RENDER,
  },
  {
    name: 'a set returned through two UDFs shows both calls',
    query: '\nouterSet(2)\n',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *udf:myFunc*:1:32', '  |', '1 | _ => [1].toSet().map(i => abort("ahhhhh"))', '  |                                ^^^^^^^^^^', '  |',
        '  |', '1 | _ => [1].toSet().map(i => abort("ahhhhh"))', '  |                     ^^^^^^^^^^^^^^^^^^^^^^', '  |',
        'at *udf:outerSet*:1:12', '  |', '1 | _ => myFunc(1)', '  |            ^^^', '  |',
        'at *query*:2:9', '  |', '2 | outerSet(2)', '  |         ^^^', '  |'),
    },
    source: RENDER + ' (error in Set.map renders with query stack trace; renders stack trace across udf calls)',
  },
  {
    name: 'a set from a UDF the caller may not read fails at the call',
    query: '\nmyFunc(2)\n', secret: '@role/callOnly',
    error: { code: 'abort', summary: lines('error: Query aborted.', 'at *query*:2:7', '  |', '2 | myFunc(2)', '  |       ^^^', '  |') },
    source: FUNC + " (omit stack frame if doesn't have permissions)",
  },
  // calling
  { name: 'call a UDF', query: 'AddTwo(10)', result: 12, source: FUNC },
  { name: 'call a UDF through a variable', query: 'let f = AddTwo\nf(10)', result: 12, source: FUNC },
  {
    name: 'UDF arity', query: 'AddTwo(10, 20)',
    error: { code: 'invalid_function_invocation', message: 'callee function expects exactly 1 argument, but 2 were provided.' }, source: FUNC,
  },
  { name: 'UDF using a global', query: 'getCollection("TestColl") { name, coll }', result: { name: 'TestColl', coll: 'Collection' }, source: FUNC },
  {
    name: 'a closure cannot be a UDF body', query: 'Function.create({ name: "foo", body: (x) => x + 2 })',
    error: { code: 'invalid_type', message: 'Anonymous functions cannot be stored. Use a string of FQL instead.' }, source: FUNC,
  },
  {
    name: 'UDF body must be a lambda', query: 'Function.create({ name: "NotALambda", body: "\'foo\'.length" })',
    error: { code: 'constraint_failure', message: 'Failed to create Function.' }, source: FUNC,
  },
  {
    name: 'UDF body must parse', query: 'Function.create({ name: "Invalid", body: "&sfej23 ?rtu9" })',
    error: { code: 'constraint_failure', message: 'Failed to create Function.' }, source: FUNC,
  },
  {
    name: 'UDF update validates the body', query: 'Function.byName("AddTwo")!.update({ body: "&(#Jdfjsdfouh3tJHOEF:" })',
    error: { code: 'constraint_failure' }, source: FUNC,
  },
  {
    name: 'UDF body with trailing semicolon is refused', query: 'Function.create({ name: "MyFunction", body: "() => {};" })',
    error: { code: 'constraint_failure', message: 'Failed to create Function.' }, source: FUNC,
  },
  {
    name: 'UDF body parse errors are rendered against *body*',
    query: 'Function.create({\n  name: "MyFunction",\n  body: "() => {};"\n})\n',
    error: {
      code: 'constraint_failure', message: 'Failed to create Function.',
      summary: lines('error: Failed to create Function.', 'constraint failures:', '  body: Unable to parse FQL source code.',
        '      error: Expected end-of-input', '      at *body*:1:9', '        |', '      1 | () => {};', '        |         ^', '        |',
        'at *query*:1:16', '  |', '1 |   Function.create({', '  |  ________________^', '2 | |   name: "MyFunction",', '3 | |   body: "() => {};"', '4 | | })', '  | |__^', '  |'),
    },
    source: FUNC + ' (cannot create UDF with trailing semicolon)',
  },
  {
    name: 'a UDF body that is not a lambda gets a suggestion',
    query: 'Function.create({\n  name: "MyFunction",\n  body: "34"\n})\n',
    error: {
      code: 'constraint_failure', message: 'Failed to create Function.',
      summary: lines('error: Failed to create Function.', 'constraint failures:', '  body: Unable to parse FQL source code.',
        '      error: Body must be a lambda expression.', '      at *body*:1:1', '        |', '      1 | 34', '        | ^^ Expression is not a lambda.', '        |',
        '      hint: Declare a lambda.', '        |', '      1 | () => 34', '        | ++++++', '        |',
        'at *query*:1:16', '  |', '1 |   Function.create({', '  |  ________________^', '2 | |   name: "MyFunction",', '3 | |   body: "34"', '4 | | })', '  | |__^', '  |'),
    },
    source: FUNC + ' (not a lambda suggestion)',
  },
  {
    name: 'UDF body with an unfinished let',
    query: 'Function.create({\n  name: "MyFunction",\n  body: "let a"\n})\n',
    error: { code: 'constraint_failure', summaryIncludes: '  body: Unable to parse FQL source code.\n      error: Expected `:` or `=`\n      at *body*:1:6' },
    source: FUNC + ' (validation errors)',
  },
  { name: 'a multi-line UDF body', query: 'Function.create({ name: "greeting", body: "name => {\\n  let greet = \\"Hello, \\" + name\\n\\n  greet + \\".\\"\\n}\\n" }); null', result: null, source: FUNC },
  { name: 'calling the multi-line UDF', query: 'greeting("John Doe")', result: 'Hello, John Doe.', source: FUNC },
  // computed fields and checks (the other two kinds of stored code)
  {
    name: 'divide by zero in a computed field',
    query: 'let foo = Cz.create({})\nfoo.bar!',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *computed_field:Cz:bar*:1:' },
    source: 'FQL2ComputedFieldsSpec.scala (can fail at runtime)',
  },
  {
    name: 'divide by zero points at the divisor',
    query: 'let foo = Cz.create({})\nfoo.bar!',
    error: { code: 'divide_by_zero', summary: lines('error: Attempted integer division by zero.', 'at *computed_field:Cz:bar*:1:11', '  |', '1 | _ => 10 / 0', '  |           ^', '  |', 'at *query*:2:5', '  |', '2 | foo.bar!', '  |     ^^^', '  |') },
    source: 'FQL2ComputedFieldsSpec.scala (can fail at runtime)',
  },
  {
    name: 'check constraint error frame',
    query: 'Ck.create({ n: 0 })',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *check_constraint:inv*:1:' },
    source: 'FQL2CheckConstraintsSpec.scala (handle evaluation errors)',
  },
  {
    name: 'check constraint error trace is the write arguments',
    query: 'Ck.create({ n: 0 })',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *query*:1:10\n  |\n1 | Ck.create({ n: 0 })\n  |          ^^^^^^^^^^\n  |' },
    source: 'FQL2CheckConstraintsSpec.scala (handle evaluation errors)',
  },
  {
    name: 'UDF calling a computed field that fails',
    query: 'readBar()',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *udf:readBar*:1:' },
    source: RENDER,
  },
  {
    name: 'a lambda from the query failing inside a UDF points into the query',
    query: 'mapIt([1, 0], x => 10 / x)',
    error: { code: 'divide_by_zero', summaryIncludes: 'error: Attempted integer division by zero.\nat *query*:1:25\n  |\n1 | mapIt([1, 0], x => 10 / x)\n  |                         ^\n  |' },
    source: RENDER,
  },
  {
    name: 'a lambda from the query failing inside a UDF ends at the UDF call',
    query: 'mapIt([1, 0], x => 10 / x)',
    // The call is on the error's own line of the query: its frame, rendered as a hint of the
    // error, has no `at` line.
    error: { code: 'divide_by_zero', summaryIncludes: '  |\n  |\n1 | mapIt([1, 0], x => 10 / x)\n  |      ^^^^^^^^^^^^^^^^^^^^^\n  |' },
    source: `${RENDER}; Diagnostic.scala (renderBodyWithSource: no \`at\` line on the parent's line and source)`,
  },
  {
    name: 'a check failing inside a UDF write: check frame',
    query: 'createCk(0)',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *check_constraint:inv*:1:' },
    source: 'FQL2CheckConstraintsSpec.scala, FQL2ErrorRenderingSpec.scala',
  },
  {
    name: 'a check failing inside a UDF write: the write in the UDF',
    query: 'createCk(0)',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *udf:createCk*:1:15\n  |\n1 | n => Ck.create({ n: n })\n  |               ^^^^^^^^^^\n  |' },
    source: 'FQL2CheckConstraintsSpec.scala, FQL2ErrorRenderingSpec.scala',
  },
  {
    name: 'a check failing inside a UDF write: the UDF call',
    query: 'createCk(0)',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *query*:1:9\n  |\n1 | createCk(0)\n  |         ^^^\n  |' },
    source: 'FQL2CheckConstraintsSpec.scala, FQL2ErrorRenderingSpec.scala',
  },
  {
    name: 'a check constraint failure inside a UDF points at the write in the UDF',
    query: 'createCk(-1)',
    error: { code: 'constraint_failure', summaryIncludes: 'Document failed check constraint `inv`\nat *udf:createCk*:1:15' },
    source: 'FQL2CheckConstraintsSpec.scala',
  },
  {
    name: 'abort inside nested lets of a UDF',
    query: 'nestedAbort()',
    error: { code: 'abort', summary: lines('error: Query aborted.', 'at *udf:nestedAbort*:3:8', '  |', '3 |   abort(x)', '  |        ^^^', '  |', 'at *query*:1:12', '  |', '1 | nestedAbort()', '  |            ^^', '  |') },
    source: RENDER,
  },
  {
    name: 'abort carries its value out of a UDF',
    query: 'nestedAbort()',
    error: { code: 'abort', message: 'Query aborted.' },
    source: RENDER,
  },
  {
    name: 'a UDF reading a failing computed field: all three frames',
    query: 'readBar()',
    error: { code: 'divide_by_zero', summaryIncludes: 'at *computed_field:Cz:bar*:1:11\n  |\n1 | _ => 10 / 0\n  |           ^\n  |\nat *udf:readBar*:1:21\n  |\n1 | () => Cz.create({}).bar\n  |                     ^^^\n  |\nat *query*:1:8' },
    source: RENDER + ', FQL2ComputedFieldsSpec.scala',
  },
  // A null that fails `!` away from where it was made (core QueryRuntimeFailure.NullValue): the
  // error gets the null's hint, and the call frames below it the `trace:` header.
  {
    name: 'nulls show hints and traces',
    query: 'let myVal = null\n[1, 2].firstWhere(v => myVal!)',
    error: {
      code: 'null_value', message: 'Null literal value',
      summary: lines('error: Null literal value', 'at *query*:2:24', '  |', '2 | [1, 2].firstWhere(v => myVal!)', '  |                        ^^^^^^', '  |',
        'hint: Null value created here', 'at *query*:1:13', '  |', '1 | let myVal = null', '  |             ^^^^', '  |',
        'trace:', '  |', '2 | [1, 2].firstWhere(v => myVal!)', '  |                  ^^^^^^^^^^^^^', '  |'),
    },
    source: `${BASIC} (nulls show hints and traces)`,
  },
  {
    name: "nulls don't show hints and traces when overlapping",
    query: '[1, 2].firstWhere(v => null!)',
    error: {
      code: 'null_value', message: 'Null literal value',
      summary: lines('error: Null literal value', 'at *query*:1:24', '  |', '1 | [1, 2].firstWhere(v => null!)', '  |                        ^^^^^', '  |',
        '  |', '1 | [1, 2].firstWhere(v => null!)', '  |                  ^^^^^^^^^^^^', '  |'),
    },
    source: `${BASIC} (nulls don't show hints and traces when overlapping)`,
  },
  {
    name: 'multiple traces are shown',
    query: '[1].firstWhere(v => [1, 2].firstWhere(v => v == null!) == 3)',
    error: {
      code: 'null_value', message: 'Null literal value',
      summary: lines('error: Null literal value', 'at *query*:1:49', '  |', '1 | [1].firstWhere(v => [1, 2].firstWhere(v => v == null!) == 3)', '  |                                                 ^^^^^', '  |',
        '  |', '1 | [1].firstWhere(v => [1, 2].firstWhere(v => v == null!) == 3)', '  |                                      ^^^^^^^^^^^^^^^^^', '  |',
        '  |', '1 | [1].firstWhere(v => [1, 2].firstWhere(v => v == null!) == 3)', '  |               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^', '  |'),
    },
    source: `${BASIC} (multiple traces are shown)`,
  },
  {
    name: 'null hint for a missing field in the query',
    query: 'let x = {}\nx.y + 1',
    error: { code: 'invalid_function_invocation', summary: lines('error: The function `+` does not exist on `Null`', 'at *query*:2:5', '  |', '2 | x.y + 1', '  |     ^', '  |', 'hint: Null value created here', '  |', '2 | x.y + 1', '  |   ^', '  |') },
    source: RENDER + ' (renders null hints)',
  },
  {
    name: 'null hint for a null literal on another line',
    query: 'let a = null\na.b',
    error: { code: 'invalid_null_access', summary: lines('error: Cannot access `b` on null.', 'at *query*:2:3', '  |', '2 | a.b', '  |   ^', '  |', 'hint: Null value created here', 'at *query*:1:9', '  |', '1 | let a = null', '  |         ^^^^', '  |') },
    source: RENDER + ' (renders null hints)',
  },
  {
    name: 'null hint inside a set order lambda in a UDF',
    query: '\norderErr(2)\n',
    error: {
      code: 'invalid_null_access',
      summary: lines('error: Cannot access `accessError` on null.', 'at *udf:orderErr*:1:36', '  |', '1 | _ => [1].toSet().order(i => i.name.accessError)', '  |                                    ^^^^^^^^^^^', '  |',
        'hint: Null value created here', '  |', '1 | _ => [1].toSet().order(i => i.name.accessError)', '  |                               ^^^^', '  |',
        'trace:', '  |', '1 | _ => [1].toSet().order(i => i.name.accessError)', '  |                       ^^^^^^^^^^^^^^^^^^^^^^^^^', '  |',
        'at *query*:2:9', '  |', '2 | orderErr(2)', '  |         ^^^', '  |'),
    },
    source: RENDER + ' (error in ordering a set renders with query stack trace)',
  },
  {
    name: 'an unbound name inside a UDF fails when called',
    query: 'callsMissing()',
    error: { code: 'unbound_variable', summary: lines('error: Unbound variable `nope`', 'at *udf:callsMissing*:1:7', '  |', '1 | () => nope()', '  |       ^^^^', '  |', 'at *query*:1:13', '  |', '1 | callsMissing()', '  |             ^^', '  |') },
    source: RENDER + ' (renders UnboundVariable stack trace across udf calls)',
  },
  {
    name: 'a recursive UDF overflows the stack',
    query: 'rec(1)',
    error: { code: 'stack_overflow', summaryIncludes: 'error: number of stack frames exceeded limit' },
    source: 'QueryRuntimeFailure.scala (StackOverflow)',
  },
  {
    name: 'a recursive UDF names itself in the trace',
    query: 'rec(1)',
    error: { code: 'stack_overflow', summaryIncludes: 'at *udf:rec*:1:' },
    source: 'QueryRuntimeFailure.scala (StackOverflow)',
  },
  {
    name: 'abort inside a check names the check',
    query: 'Felon.create({})',
    error: { code: 'abort', summary: lines('error: Query aborted.', 'at *check_constraint:isGuilty*:1:11', '  |', '1 | _ => abort(0)', '  |           ^^^', '  |', 'at *query*:1:13', '  |', '1 | Felon.create({})', '  |             ^^^^', '  |') },
    source: 'FQL2CheckConstraintsSpec.scala (allow miscreants to transmit information via abort)',
  },
  {
    name: 'a write inside a computed field called from a UDF',
    query: 'readWr()',
    error: { code: 'invalid_effect', summaryIncludes: 'at *computed_field:WrC:bar*:1:16' },
    source: 'FQL2ComputedFieldsSpec.scala (fail on writes)',
  },
  { name: 'interpolation in a UDF body', query: 'greet2("John Doe")', result: 'Hello, John Doe.', source: FUNC + ' (can create UDF with non interpolated string bodies)' },
  { name: 'a variadic UDF', query: 'countArgs(1, 2, 3)', result: 3, source: FUNC + ' (parse arguments)' },
  { name: 'a variadic UDF with no extra arguments', query: 'countArgs()', result: 0, source: FUNC },
  {
    name: 'errors in the query itself have one frame',
    query: '[1][2]',
    error: { code: 'index_out_of_bounds', summary: lines('error: index 2 out of bounds for length 1', 'at *query*:1:4', '  |', '1 | [1][2]', '  |    ^^^', '  |') },
    source: RENDER,
  },
  {
    name: 'abort points at its arguments',
    query: 'abort("x")',
    error: { code: 'abort', summary: lines('error: Query aborted.', 'at *query*:1:6', '  |', '1 | abort("x")', '  |      ^^^^^', '  |') },
    source: RENDER,
  },
  // Native calls of the query as frames. Core runs every method call and application with its
  // argument list pushed on the stack trace, a lambda's body in its caller's trace, and a lazy
  // set's lambdas with the trace of the call that built the set prepended to the trace of the
  // call reading it (FQLInterpreter.scala evalMethodChain0/evalAp `withStackFrame(span)`,
  // evalApply; ValueSet.scala `prependStackTrace(stackTrace)`); every span after the first is
  // a trace hint (QueryFailure.scala QueryRuntimeFailure.hints), printed without its `at` line
  // on the error's own line and source. Format as FQL2PureSpec "writes within set functions
  // make nice errors" and FQL2ErrorRenderingSpec "error in Set.map renders with query stack trace".
  {
    name: 'abort in Array.map: the map call is a frame',
    query: '[1, 2].map(x => abort(x))',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *query*:1:22', '  |', '1 | [1, 2].map(x => abort(x))', '  |                      ^^^', '  |',
        '  |', '1 | [1, 2].map(x => abort(x))', '  |           ^^^^^^^^^^^^^^^', '  |'),
    },
    source: TRACE,
  },
  {
    name: 'abort in Set.where read by toArray: the where and toArray calls are frames',
    query: 'Set.sequence(0, 3).where(i => abort(i)).toArray()',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *query*:1:36', '  |', '1 | Set.sequence(0, 3).where(i => abort(i)).toArray()', '  |                                    ^^^', '  |',
        '  |', '1 | Set.sequence(0, 3).where(i => abort(i)).toArray()', '  |                         ^^^^^^^^^^^^^^^', '  |',
        '  |', '1 | Set.sequence(0, 3).where(i => abort(i)).toArray()', '  |                                                ^^', '  |'),
    },
    source: TRACE,
  },
  {
    name: 'abort in Set.map read at the end of the query: the map call is the only frame',
    query: 'Set.sequence(0, 2).map(i => abort(i))',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *query*:1:34', '  |', '1 | Set.sequence(0, 2).map(i => abort(i))', '  |                                  ^^^', '  |',
        '  |', '1 | Set.sequence(0, 2).map(i => abort(i))', '  |                       ^^^^^^^^^^^^^^^', '  |'),
    },
    source: TRACE,
  },
  {
    name: 'abort in Set.forEach: the forEach call is a frame',
    query: 'Set.sequence(0, 2).forEach(i => abort(i))',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *query*:1:38', '  |', '1 | Set.sequence(0, 2).forEach(i => abort(i))', '  |                                      ^^^', '  |',
        '  |', '1 | Set.sequence(0, 2).forEach(i => abort(i))', '  |                           ^^^^^^^^^^^^^^^', '  |'),
    },
    source: TRACE,
  },
  {
    name: 'abort in nested lambdas: each map call is a frame, innermost first',
    query: '[1].map(x => [2].map(y => abort(y)))',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *query*:1:32', '  |', '1 | [1].map(x => [2].map(y => abort(y)))', '  |                                ^^^', '  |',
        '  |', '1 | [1].map(x => [2].map(y => abort(y)))', '  |                     ^^^^^^^^^^^^^^^', '  |',
        '  |', '1 | [1].map(x => [2].map(y => abort(y)))', '  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^', '  |'),
    },
    source: TRACE,
  },
  {
    name: 'a UDF called from a lambda: the UDF call, then the map call',
    query: '[1].map(x => errFunc())',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *udf:errFunc*:1:12', '  |', '1 | () => abort("tracer")', '  |            ^^^^^^^^^^', '  |',
        'at *query*:1:21', '  |', '1 | [1].map(x => errFunc())', '  |                     ^^', '  |',
        'at *query*:1:8', '  |', '1 | [1].map(x => errFunc())', '  |        ^^^^^^^^^^^^^^^^', '  |'),
    },
    source: `${TRACE}; ${RENDER} (renders stack trace across udf calls)`,
  },
  {
    name: 'a lambda from the query mapped inside a UDF: the map call in the UDF, then the UDF call',
    query: 'mapIt([1, 0], x => 10 / x)',
    error: {
      code: 'divide_by_zero',
      summary: lines('error: Attempted integer division by zero.', 'at *query*:1:25', '  |', '1 | mapIt([1, 0], x => 10 / x)', '  |                         ^', '  |',
        'at *udf:mapIt*:1:20', '  |', '1 | (arr, f) => arr.map(f)', '  |                    ^^^', '  |',
        '  |', '1 | mapIt([1, 0], x => 10 / x)', '  |      ^^^^^^^^^^^^^^^^^^^^^', '  |'),
    },
    source: TRACE,
  },
  {
    name: 'a lambda applied in the query: the application is a frame',
    query: 'let f = x => abort(x)\nf(1)',
    error: {
      code: 'abort',
      summary: lines('error: Query aborted.', 'at *query*:1:19', '  |', '1 | let f = x => abort(x)', '  |                   ^^^', '  |',
        'at *query*:2:2', '  |', '2 | f(1)', '  |  ^^^', '  |'),
    },
    source: `${TRACE} (evalAp: \`withStackFrame(span).evalApply\`)`,
  },
];

export const area: ConformanceArea = {
  area: 'errors',
  setup: [
    `Function.create({ name: "errFunc", body: '() => abort("tracer")' })
     Function.create({ name: "eventuallyError", body: '() => errFunc()' })
     Function.create({ name: "errIdx", body: '() => [1][2]' })
     Function.create({ name: "eventuallyIdx", body: '() => errIdx()' })
     Function.create({ name: "errUnbound", body: '() => a' })
     Function.create({ name: "eventuallyUnbound", body: '() => errUnbound()' })
     Function.create({ name: "eventuallyConcat", body: '() => "hi".concat({ cast: "this" })' })
     Function.create({ name: "errField", body: '(doc) => doc.a' })
     Function.create({ name: "eventuallyField", body: '(doc) => errField(doc)' })
     Function.create({ name: "Test0", body: "x => x.someFunc()" })
     Function.create({ name: "Test1", body: "x => Test0(x)" })
     Function.create({ name: "myFunc", body: '_ => [1].toSet().map(i => abort("ahhhhh"))' })
     Function.create({ name: "AddTwo", body: "x => x + 2" })
     Function.create({ name: "getCollection", body: "name => Collection.byName(name)" })
     Collection.create({ name: "TestColl" })
     Collection.create({ name: "Cz", computed_fields: { bar: { body: "_ => 10 / 0" } } })
     Collection.create({ name: "Ck", constraints: [{ check: { name: "inv", body: "doc => 1 / doc.n > 0" } }] })
     Role.create({ name: "callOnly", privileges: [{ resource: "Test0", actions: { call: true } }, { resource: "Test1", actions: { call: true } }, { resource: "myFunc", actions: { call: true } }] })
     null`,
    `Function.create({ name: "readBar", body: '() => Cz.create({}).bar' })
     Function.create({ name: "mapIt", body: '(arr, f) => arr.map(f)' })
     Function.create({ name: "orderErr", body: '_ => [1].toSet().order(i => i.name.accessError)' })
     Function.create({ name: "outerSet", body: '_ => myFunc(1)' })
     Function.create({ name: "callsMissing", body: '() => nope()' })
     Function.create({ name: "rec", body: 'x => rec(x)' })
     Collection.create({ name: "Felon", constraints: [{ check: { name: "isGuilty", body: "_ => abort(0)" } }] })
     Collection.create({ name: "WrC", computed_fields: { bar: { body: "_ => WrC.create({})" } } })
     Function.create({ name: "greet2", body: 'name => {\\n  let greet = "Hello, #{name}."\\n  greet\\n}' })
     Function.create({ name: "countArgs", body: '(...xs) => xs.length' })
     Function.create({ name: "createCk", body: 'n => Ck.create({ n: n })' })
     Function.create({ name: "nestedAbort", body: "() => {\\n  let x = { a: 1 }\\n  abort(x)\\n}" })
     TestColl.create({ id: "1" }); TestColl.create({ id: "2" })
     Function.create({ name: "readWr", body: '() => WrC.create({ id: "1" }).bar' })
     null`,
  ],
  cases,
};
