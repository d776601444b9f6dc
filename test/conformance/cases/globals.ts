// Fauna's global environment: every module and global function of core's standard library
// (GlobalResolvers.singletons, StaticGlobalResolvers), the `FQL` module that holds them all,
// the `Credentials` alias, and the companion modules' constructors (`ID(x)`, `Collection(name)`,
// `Function(name)`).
import type { ConformanceArea, ConformanceCase } from '../case';

const GLOBALS = 'GlobalResolvers.scala';

/** core GlobalResolvers.modules ++ nativeColls :+ FQL: each resolves to itself. */
const MODULES = [
  'Array', 'Boolean', 'Bytes', 'Date', 'ID', 'Doc', 'Math', 'Null', 'Number', 'Int', 'Long', 'Double',
  'Float', 'Object', 'Set', 'SetCursor', 'EventSource', 'String', 'Struct', 'Time', 'TransactionTime',
  'UUID', 'Query', 'Collection', 'Function', 'Role', 'AccessProvider', 'Database', 'Key', 'Credential', 'Token', 'FQL',
];

const moduleCases: ConformanceCase[] = MODULES.flatMap((m): ConformanceCase[] => [
  { name: `module ${m} resolves`, query: m, tagged: { '@mod': m }, source: GLOBALS },
  ...(m === 'FQL' ? [] : [{ name: `FQL.${m} is the module`, query: `FQL.${m}`, tagged: { '@mod': m }, source: GLOBALS }]),
]);

export const area: ConformanceArea = {
  area: 'globals',
  setup: [
    'Collection.create({ name: "Book" })',
    'Function.create({ name: "Twice", body: "x => x * 2" })',
    'Role.create({ name: "aRole" })\nRole.create({ name: "aRole2" })',
  ],
  cases: [
    ...moduleCases,
    // AccessProvider (core FQL2AccessProviderSpec.scala).
    {
      name: 'AccessProvider.create', source: 'FQL2AccessProviderSpec.scala (create works)',
      query: 'AccessProvider.create({ name: "anAccessProvider", issuer: "https://fauna.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", roles: ["aRole", { role: "aRole2", predicate: "_ => true" }], data: { custom: "some data" } }) { name, issuer, jwks_uri, roles, data }',
      result: { name: 'anAccessProvider', issuer: 'https://fauna.auth0.com', jwks_uri: 'https://fauna.auth0.com/.well-known/jwks.json', roles: ['aRole', { role: 'aRole2', predicate: '_ => true' }], data: { custom: 'some data' } },
    },
    { name: 'AccessProvider.byName', query: 'AccessProvider.byName("anAccessProvider")!.issuer', result: 'https://fauna.auth0.com', source: 'FQL2AccessProviderSpec.scala' },
    { name: 'AccessProvider.all', query: 'AccessProvider.all().map(.name).toArray()', result: ['anAccessProvider'], source: 'FQL2AccessProviderSpec.scala' },
    { name: 'AccessProvider roles as a name', query: 'AccessProvider.create({ name: "ap0", issuer: "https://fauna0.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", roles: "aRole" }).roles', result: 'aRole', source: 'FQL2AccessProviderSpec.scala (accept roles names, objects or array)' },
    { name: 'AccessProvider roles as an object', query: 'AccessProvider.create({ name: "ap1", issuer: "https://fauna1.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", roles: { role: "aRole", predicate: "arg => true" } }).roles.role', result: 'aRole', source: 'FQL2AccessProviderSpec.scala (accept roles names, objects or array)' },
    { name: 'AccessProvider refuses builtin roles', query: 'AccessProvider.create({ name: "ap2", issuer: "https://fauna.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", roles: ["admin", "server"] })', error: { code: 'constraint_failure', message: 'Failed to create AccessProvider.', summaryIncludes: 'roles: Builtin role `admin` not allowed.' }, source: 'FQL2AccessProviderSpec.scala (rejects builtin roles)' },
    { name: 'AccessProvider audience is read-only', query: 'AccessProvider.create({ name: "ap3", issuer: "https://fauna.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", audience: "https://db.fauna.com/db/yyyyyyyyyy", roles: "aRole" })', headers: { 'x-typecheck': 'false' }, error: { code: 'constraint_failure', message: 'Failed to create AccessProvider.', summaryIncludes: 'audience: Failed to update field because it is readonly' }, source: 'FQL2AccessProviderSpec.scala (fail to create with audience)' },
    { name: 'AccessProvider jwks_uri must be https', query: 'AccessProvider.create({ name: "ap4", issuer: "https://fauna.auth0.com", jwks_uri: "http://fauna.auth0.com/.well-known/jwks.json", roles: "aRole" })', error: { code: 'constraint_failure', message: 'Failed to create AccessProvider.', summaryIncludes: 'jwks_uri: `http://fauna.auth0.com/.well-known/jwks.json` must be a valid https URI.' }, source: 'FQL2AccessProviderSpec.scala (fail to create with invalid fields)' },
    { name: 'AccessProvider with a missing role', query: 'AccessProvider.create({ name: "ap5", issuer: "https://fauna5.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", roles: "anotherRole" })', error: { code: 'invalid_schema', summaryIncludes: 'Invalid database schema update.\n    error: Role `anotherRole` does not exist' }, source: 'FQL2AccessProviderSpec.scala (fail if role name does not exist)' },
    { name: 'AccessProvider audience', query: 'AccessProvider.byName("anAccessProvider")!.audience isa String', result: true, source: 'FQL2AccessProviderSpec.scala (audience is the canonical database URL)' },
    { name: 'AccessProvider audience is the database URL', query: 'AccessProvider.byName("anAccessProvider")!.audience.startsWith("https://db.fauna.com/db/")', result: true, source: 'FQL2AccessProviderSpec.scala (create works: audience == JWTToken.canonicalDBUrl(db))' },
    { name: 'AccessProvider issuer is unique', query: 'AccessProvider.create({ name: "dupIssuer", issuer: "https://fauna.auth0.com", jwks_uri: "https://other.example.com/jwks.json", roles: "aRole" })', error: { code: 'constraint_failure', message: 'Failed to create AccessProvider.', summaryIncludes: 'issuer: Failed unique constraint' }, source: 'FQL2AccessProviderSpec.scala (issuer must be unique: constraint_failure labelled issuer; the message is not in core\'s tests)' },
    { name: 'AccessProvider role entries are unique', query: 'AccessProvider.create({ name: "dupRoles", issuer: "https://dup.auth0.com", jwks_uri: "https://fauna.auth0.com/.well-known/jwks.json", roles: ["aRole", { role: "aRole", predicate: "_ => true" }] })', error: { code: 'constraint_failure', message: 'Failed to create AccessProvider.', summaryIncludes: 'roles: The role `aRole` is present more than once, there can only be one entry per role.' }, source: 'FQL2AccessProviderSpec.scala (fail to create with two same role entries)' },
    { name: 'AccessProvider update', query: 'AccessProvider.byName("ap0")!.update({ issuer: "https://other.auth0.com" }).issuer', result: 'https://other.auth0.com', source: 'FQL2AccessProviderSpec.scala' },
    { name: 'AccessProvider delete', query: 'AccessProvider.byName("ap0")!.delete()\nAccessProvider.byName("ap0").exists()', result: false, source: 'FQL2AccessProviderSpec.scala' },
    { name: 'Credentials is an alias of Credential', query: 'Credentials', tagged: { '@mod': 'Credential' }, source: `${GLOBALS} ("Credentials" -> CredentialCompanion)` },
    { name: 'Credentials.all() is the credentials set', query: 'Credentials.all().count()', result: 0, source: GLOBALS },
    { name: 'Credentials == Credential', query: 'Credentials == Credential', result: true, source: GLOBALS },
    { name: 'FQL.Credentials', query: 'FQL.Credentials', tagged: { '@mod': 'Credential' }, source: GLOBALS },
    // Global functions, directly and as members of FQL.
    { name: 'newId() is a numeric string', query: 'newId().toString().length > 0', result: true, source: 'FQL2IDSpec.scala' },
    // core: newId() is an ID, not a String (FQL2Spec "newId": matchPattern Value.ID).
    { name: 'FQL.newId()', query: 'FQL.newId() isa ID', result: true, source: 'FQL2Spec.scala (newId)' },
    { name: 'newId() is not a String', query: 'newId() isa String', result: false, source: 'FQL2Spec.scala (newId); StringCompanion.contains' },
    { name: 'FQL.abort', query: 'FQL.abort("x")', error: { code: 'abort', message: 'Query aborted.' }, source: GLOBALS },
    { name: 'FQL.log returns null', query: 'FQL.log("a")', result: null, source: GLOBALS },
    { name: 'FQL.dbg returns its argument', query: 'FQL.dbg(3)', result: 3, source: GLOBALS },
    { name: 'FQL.asc', query: '[3, 1, 2].toSet().order(FQL.asc(x => x)).toArray()', result: [1, 2, 3], source: GLOBALS },
    { name: 'FQL.desc', query: '[3, 1, 2].toSet().order(FQL.desc(x => x)).toArray()', result: [3, 2, 1], source: GLOBALS },
    { name: 'FQL.Math.abs', query: 'FQL.Math.abs(-2)', result: 2, source: GLOBALS },
    { name: 'FQL.Time("...")', query: 'FQL.Time("2020-01-01T00:00:00Z").year', result: 2020, source: GLOBALS },
    { name: 'asc builds an ordering object', query: 'asc(.a) isa Object', result: true, source: GLOBALS },
    { name: 'asc checks the accessor arity', query: 'asc((a, b) => a)', error: { code: 'invalid_argument', message: '`accessor` should accept 1 parameter, provided function requires exactly 2 parameters.' }, source: `${GLOBALS} (checkArgArity)` },
    { name: 'desc checks the accessor arity', query: 'desc(() => 1)', error: { code: 'invalid_argument', message: '`accessor` should accept 1 parameter, provided function requires no parameters.' }, source: `${GLOBALS} (checkArgArity)` },
    { name: 'abort with an object', query: 'abort({ a: 1 })', error: { code: 'abort', message: 'Query aborted.' }, source: GLOBALS },
    { name: 'log takes any number of arguments', query: 'log(1, "a", [2])', result: null, source: GLOBALS },
    { name: 'dbg of an object', query: 'dbg({ a: [1, 2] })', result: { a: [1, 2] }, source: GLOBALS },
    // ID
    { name: 'ID from a number', query: 'ID(123)', result: '123', source: 'FQL2IDSpec.scala' },
    { name: 'ID from a string', query: 'ID("123")', result: '123', source: 'FQL2IDSpec.scala' },
    { name: 'ID rejects a non-numeric string', query: 'ID("foo")', error: { code: 'invalid_id', message: '`"foo"` is not a valid ID.' }, source: 'FQL2IDSpec.scala' },
    { name: 'ID rejects a double', query: 'ID(12.3)', error: { code: 'invalid_id', message: '`12.3` is not a valid ID.' }, source: 'FQL2IDSpec.scala' },
    { name: 'ID rejects a huge number', query: 'ID(12333333333333333333333333333333333333333333333333)', error: { code: 'invalid_id', message: '`1.2333333333333334E49` is not a valid ID.' }, source: 'FQL2IDSpec.scala' },
    { name: 'ID toString', query: 'ID(123).toString()', result: '123', source: 'FQL2IDSpec.scala' },
    { name: 'ID compares with numbers', query: 'ID(123) == 123', result: true, source: 'FQL2IDSpec.scala' },
    { name: 'ID orders against numbers', query: 'ID(123) < 124', result: true, source: 'FQL2IDSpec.scala' },
    { name: 'ID compares with strings', query: 'ID(123) == "123"', result: true, source: 'FQL2IDSpec.scala' },
    { name: 'ID orders against strings', query: 'ID(123) < "124"', result: true, source: 'FQL2IDSpec.scala' },
    { name: 'ID orders against strings (false)', query: 'ID(123) < "122"', result: false, source: 'FQL2IDSpec.scala' },
    { name: 'a document id is an ID', query: 'Book.create({}).id isa ID', result: true, source: 'FQL2IDSpec.scala' },
    // Companion constructors of the schema collections.
    { name: 'Collection(name) is the collection', query: 'Collection("Book")', tagged: { '@mod': 'Book' }, source: 'Collections.scala (CollectionDefCompanion defApply)' },
    { name: 'Collection(name) can create documents', query: 'Collection("Book").create({ t: 1 }).t', result: 1, source: 'Collections.scala (CollectionDefCompanion defApply)' },
    {
      name: 'Collection(name) of a missing collection', query: 'Collection("Nope")',
      error: { code: 'invalid_argument', message: 'invalid argument `collection`: No such user collection `Nope`.' }, source: 'Collections.scala (CollectionDefCompanion defApply)',
    },
    {
      name: 'Collection(name) wants a string', query: 'Collection(1)',
      error: { code: 'invalid_argument', message: 'expected value for `collection` of type String, received Int' }, source: 'Collections.scala (defApply "collection" -> tt.Str)',
    },
    { name: 'Function(name) is the function', query: 'Function("Twice")(4)', result: 8, source: 'Functions.scala (FunctionDefCompanion defApply)' },
    { name: 'Function(name).definition', query: 'Function("Twice").definition.name', result: 'Twice', source: 'Functions.scala (FunctionDefCompanion defApply)' },
    {
      name: 'Function(name) of a missing function', query: 'Function("Nope")',
      error: { code: 'invalid_argument', message: 'invalid argument `function`: No such user function `Nope`.' }, source: 'Functions.scala (FunctionDefCompanion defApply)',
    },
    {
      name: 'Function(name) does not find collections', query: 'Function("Book")',
      error: { code: 'invalid_argument', message: 'invalid argument `function`: No such user function `Book`.' }, source: 'Functions.scala (FunctionDefCompanion defApply)',
    },
    {
      name: 'Collection(name) does not find functions', query: 'Collection("Twice")',
      error: { code: 'invalid_argument', message: 'invalid argument `collection`: No such user collection `Twice`.' }, source: 'Collections.scala (CollectionDefCompanion defApply)',
    },
    { name: 'Book(id) is Book.byId(id)', query: 'Book("1") == Book.byId("1")', result: true, source: 'Collections.scala (IDedCollectionCompanion defApply)' },
    { name: 'Key(id) is Key.byId(id)', query: 'Key("1") == Key.byId("1")', result: true, source: 'Collections.scala (IDedCollectionCompanion defApply)' },
    // Companion modules as types (isa).
    { name: 'null isa Null', query: 'null isa Null', result: true, source: 'Null.scala (NullCompanion.contains)' },
    { name: '0 isa Null', query: '0 isa Null', result: false, source: 'Null.scala (NullCompanion.contains)' },
    { name: 'a document isa Doc', query: 'Book.create({}) isa Doc', result: true, source: 'Docs.scala (DocCompanion.contains)' },
    { name: 'an object is not a Doc', query: '{ id: "1" } isa Doc', result: false, source: 'Docs.scala (DocCompanion.contains)' },
    { name: 'a collection definition isa Doc', query: 'Book.definition isa Doc', result: true, source: 'Docs.scala (DocCompanion.contains)' },
    { name: 'an object isa Struct', query: '{ a: 1 } isa Struct', result: true, source: 'Structs.scala' },
    { name: 'an object isa Object', query: '{ a: 1 } isa Object', result: true, source: 'Objects.scala' },
    { name: 'a document isa Book', query: 'Book.create({}) isa Book', result: true, source: 'Collections.scala (CollectionCompanion.contains)' },
    { name: 'a number is not a Book', query: '1 isa Book', result: false, source: 'Collections.scala (CollectionCompanion.contains)' },
    { name: '1 isa Int', query: '1 isa Int', result: true, source: 'Numbers.scala' },
    { name: '1 isa Number', query: '1 isa Number', result: true, source: 'Numbers.scala' },
    { name: '1 isa Long', query: '1 isa Long', result: false, source: 'Numbers.scala' },
    { name: 'big isa Long', query: '2147483648 isa Long', result: true, source: 'Numbers.scala' },
    { name: '1.5 isa Double', query: '1.5 isa Double', result: true, source: 'Numbers.scala' },
    { name: '"a" isa String', query: '"a" isa String', result: true, source: 'Strings.scala' },
    { name: 'true isa Boolean', query: 'true isa Boolean', result: true, source: 'Booleans.scala' },
    { name: '[] isa Array', query: '[] isa Array', result: true, source: 'Arrays.scala' },
    { name: 'a set isa Set', query: 'Book.all() isa Set', result: true, source: 'Sets.scala' },
    { name: 'an array is not a Set', query: '[] isa Set', result: false, source: 'Sets.scala' },
    { name: 'Time isa Time', query: 'Time.now() isa Time', result: true, source: 'Time.scala' },
    { name: 'Date isa Date', query: 'Date.today() isa Date', result: true, source: 'Date.scala' },
    { name: 'Bytes isa Bytes', query: 'Bytes("AQI=") isa Bytes', result: true, source: 'Bytes.scala' },
    // Unknown names.
    { name: 'an unknown global', query: 'Nope', error: { code: 'invalid_query', message: 'The query failed 1 validation check' }, source: 'FQL2TypecheckSpec.scala (unbound variables fail the check)', todo: 'unbound names fail at run time (unbound_variable) here; core fails the static check' },
    { name: 'an unknown global with typechecking off', query: 'Nope', headers: { 'x-typecheck': 'false' }, error: { code: 'unbound_variable', message: 'Unbound variable `Nope`' }, source: 'QueryFailure.scala (UnboundVariable)' },
  ],
};
