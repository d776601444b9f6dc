import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression } from '../../src/fql/parse/parse';
import {
  type AccessProviderDef, type CollectionDef, type FunctionDef, FslError, parseSchema, type RoleDef,
} from '../../src/fsl/schema';

const AUTH_SCHEMA = `collection Account {
  history_days 0
  index byEmail {
    terms [.email]
  }
  unique [.email]
}

collection Movie {
  history_days 0
}

function UserRegistration(email, password) {
  let acc = Account.create({ email: email })
  Credential.create({ document: acc, password: password })
}

function UserLogout() {
  Query.token()!.delete()
}

// The key that ships with the client app gets this role.
role UnAuthRole {
  privileges UserRegistration { call }
  privileges Account { create read }
  privileges Token { create }
}

role AuthRole {
  membership Account
  privileges Movie { read }
}
`;

describe('parseSchema', () => {
  it('reads the auth guide schema', () => {
    const items = parseSchema(AUTH_SCHEMA);
    assert.deepEqual(items.map((i) => `${i.kind}:${i.name}`), [
      'collection:Account', 'collection:Movie', 'function:UserRegistration', 'function:UserLogout',
      'role:UnAuthRole', 'role:AuthRole',
    ]);
    const account = items[0] as CollectionDef;
    assert.equal(account.historyDays, 0);
    assert.deepEqual(account.indexes.map((x) => [x.name, x.terms?.map((t) => [t.field, t.mva]), x.values]), [
      ['byEmail', [['.email', false]], null],
    ]);
    assert.deepEqual(account.uniqueConstraints.map((u) => u.fields.map((f) => f.field)), [['.email']]);
    const register = items[2] as FunctionDef;
    assert.equal(register.body, '(email, password) => {\n  let acc = Account.create({ email: email })\n  Credential.create({ document: acc, password: password })\n}');
    assert.equal(register.signature, null);
    assert.equal(parseExpression(register.body).kind, 'lambda');
    assert.equal((items[3] as FunctionDef).body, '() => {\n  Query.token()!.delete()\n}');
    const unauth = items[4] as RoleDef;
    assert.deepEqual(unauth.privileges.map((pr) => [pr.resource, pr.actions.map((a) => a.action)]), [
      ['UserRegistration', ['call']], ['Account', ['create', 'read']], ['Token', ['create']],
    ]);
    assert.deepEqual((items[5] as RoleDef).membership, [{ collection: 'Account', predicate: null }]);
    assert.equal(AUTH_SCHEMA.slice(items[1].span.start, items[1].span.end), 'collection Movie {\n  history_days 0\n}');
  });

  it('reads every collection member', () => {
    const [c] = parseSchema(`@alias(Person)
collection User {
  name: String
  email: String?
  tags: Array<String> = []
  *: Any
  compute fullName: String = (doc => doc.first + " " + doc.last)
  check positive (doc => doc.age >= 0)
  index byName {
    terms [.name, mva(.tags)]
    values [desc(.ts), .address.city, .["odd key"]]
  }
  unique [.email, .name]
  ttl_days 30
  document_ttls true
  migrations {
    add .tags
    move .nick -> .name
  }
}`) as CollectionDef[];
    assert.equal(c.alias, 'Person');
    assert.deepEqual(c.fields.map((f) => [f.name, f.typeSource, f.default]), [
      ['name', 'String', null], ['email', 'String?', null], ['tags', 'Array<String>', '[]'], ['*', 'Any', null],
    ]);
    assert.deepEqual(c.computedFields.map((f) => [f.name, f.typeSource, f.body]), [
      ['fullName', 'String', '(doc => doc.first + " " + doc.last)'],
    ]);
    assert.deepEqual(c.checkConstraints.map((x) => [x.name, x.body]), [['positive', '(doc => doc.age >= 0)']]);
    const idx = c.indexes[0];
    assert.deepEqual(idx.terms?.map((t) => [t.field, t.mva]), [['.name', false], ['.tags', true]]);
    assert.deepEqual(idx.values?.map((t) => [t.field, t.order, t.mva]), [
      ['.ts', 'desc', false], ['.address.city', 'asc', false], ['.["odd key"]', 'asc', false],
    ]);
    assert.deepEqual(c.uniqueConstraints[0].fields.map((f) => f.field), ['.email', '.name']);
    assert.deepEqual([c.ttlDays, c.documentTtls, c.historyDays], [30, true, null]);
    assert.deepEqual(c.migrations, ['add .tags', 'move .nick -> .name']);
  });

  it('reads a backfill whose FQL holds braces, strings with braces and lines in parentheses', () => {
    // A migration statement used to end at the first `}`, so `backfill .a = { b: 1 }.b` failed
    // with "Expected identifier" (core FSL parses the value as an FQL expression).
    const [c] = parseSchema(`collection Foo {
  migrations {
    add .a
    backfill .a = { b: "x}" }.b + (
      "y"
    )
    move .["odd}"] -> .c; drop .d
  }
}`) as CollectionDef[];
    assert.deepEqual(c.migrations, ['add .a', 'backfill .a = { b: "x}" }.b + (\n      "y"\n    )', 'move .["odd}"] -> .c', 'drop .d']);
    assert.throws(() => parseSchema('collection Foo {\n  migrations {\n    backfill .a = 1 +\n  }\n}\n'), /Expected expression/);
  });

  it('reads annotated, typed and variadic functions', () => {
    const [f, g] = parseSchema(`@role(server)
function Login(email: String, password: String): Token {
  Credential.byDocument(Account.byEmail(email).first()!)!.login(password)
}
@alias(Total) function Sum(...nums: Array<Number>) { nums.reduce((a, b) => a + b) }`) as FunctionDef[];
    assert.equal(f.role, 'server');
    assert.deepEqual(f.params, [{ name: 'email', type: 'String', variadic: false }, { name: 'password', type: 'String', variadic: false }]);
    assert.equal(f.returnType, 'Token');
    assert.equal(f.signature, '(email: String, password: String) => Token');
    assert.ok(f.body.startsWith('(email, password) => {\n  Credential'));
    assert.equal(g.alias, 'Total');
    assert.equal(g.body, '(...nums) => { nums.reduce((a, b) => a + b) }');
    assert.equal(g.signature, '(...nums: Array<Number>) => Any');
  });

  it('reads a role that is not an identifier as a string, as Fauna writes it', () => {
    // core SchemaSourceSpec: a function with role server-readonly is shown as @role("server-readonly").
    const [f] = parseSchema('@role("server-readonly")\nfunction id(x) {\n  x\n}\n') as FunctionDef[];
    assert.equal(f.role, 'server-readonly');
  });

  it('reads role predicates and access providers', () => {
    const [r, ap] = parseSchema(`role Manager {
  membership Account {
    predicate (acc => acc.manager == true)
  }
  privileges Movie {
    read
    write {
      predicate ((oldDoc, newDoc) => oldDoc.owner == Query.identity())
    }
    delete
  }
}
access provider Auth0 {
  issuer "https://example.auth0.com/"
  jwks_uri "https://example.auth0.com/.well-known/jwks.json"
  role Manager
  role Reader {
    predicate (jwt => jwt!.scope.includes("read"))
  }
}`) as [RoleDef, AccessProviderDef];
    assert.deepEqual(r.membership, [{ collection: 'Account', predicate: '(acc => acc.manager == true)' }]);
    assert.deepEqual(r.privileges[0].actions, [
      { action: 'read', predicate: null },
      { action: 'write', predicate: '((oldDoc, newDoc) => oldDoc.owner == Query.identity())' },
      { action: 'delete', predicate: null },
    ]);
    assert.equal(ap.kind, 'accessProvider');
    assert.equal(ap.issuer, 'https://example.auth0.com/');
    assert.equal(ap.jwksUri, 'https://example.auth0.com/.well-known/jwks.json');
    assert.deepEqual(ap.roles, [
      { role: 'Manager', predicate: null },
      { role: 'Reader', predicate: '(jwt => jwt!.scope.includes("read"))' },
    ]);
  });

  it('reports errors against the file name', () => {
    const fail = (src: string): FslError => {
      try {
        parseSchema(src, 'main.fsl');
      } catch (e) {
        assert.ok(e instanceof FslError);
        return e;
      }
      assert.fail('expected an FslError');
    };
    const e = fail('collection Foo {\n  index byX {\n    terms [.x\n  }\n}');
    assert.equal(e.diagnostics[0].message, 'Expected `,` or `]`');
    assert.equal(e.summary.split('\n')[1], 'at main.fsl:4:3');
    assert.equal(fail('collection Foo {\n  bogus\n}').diagnostics[0].message, 'Expected schema item');
    assert.equal(fail('collection Foo {\n  unique [.a.b()]\n}').diagnostics[0].message, 'Invalid field path');
    assert.equal(fail('collection Foo {\n  history_days "x"\n}').diagnostics[0].message, 'Expected an integer');
    assert.equal(fail('index Foo {}').diagnostics[0].message, 'Unexpected `index`');
  });

  // Core FSLParserSpec.scala ("handle nl correctly after type exprs") and FQL2CollectionSpec.scala
  // ("defaults in nested fields", "cannot set a struct with defaults to null").
  it('reads newline-separated struct fields with nested defaults', () => {
    const [c] = parseSchema('collection User {\n  address: {\n    street: Number = 10\n    city: String?\n  }\n  b: Int\n}') as CollectionDef[];
    assert.deepEqual(c.fields.map((f) => [f.name, f.typeSource]), [
      ['address', '{\n    street: Number = 10\n    city: String?\n  }'],
      ['b', 'Int'],
    ]);
    const t = c.fields[0].type;
    assert.ok(t?.kind === 'typeObject');
    assert.deepEqual(t.fields.map((f) => [f.key, f.fallback !== undefined]), [['street', true], ['city', false]]);
  });

  // Core FSLParserSpec.scala ("reject duplicate unique constraints": `.name` and `.["name"]` are
  // the same path; "render a paths in FQL form").
  it('stores selector paths in display form', () => {
    const [c] = parseSchema('collection Foo {\n  unique [.phone .email]\n  unique [.["name"], .["0baz"], .a["b c"][0]]\n}') as CollectionDef[];
    assert.deepEqual(c.uniqueConstraints.map((u) => u.fields.map((f) => f.field)), [
      ['.phone.email'],
      ['.name', '.["0baz"]', '.a["b c"][0]'],
    ]);
  });

  // Core FSLParserSpec.scala ("reject duplicated names", "reject duplicate unique constraints",
  // "reject invalid check constraints"): the error at the repeat, a hint at the original.
  it('refuses duplicate definitions with a hint at the original', () => {
    const summary = (src: string): string => {
      try {
        parseSchema(src, 'main.fsl');
      } catch (e) {
        assert.ok(e instanceof FslError);
        return e.summary;
      }
      return assert.fail('expected an FslError');
    };
    assert.equal(summary('collection Foo {\n  check a ((doc) => doc.ok)\n  check a ((doc) => !doc.ok)\n}\n'), [
      'error: Duplicate check constraint name `a`', 'at main.fsl:3:9', '  |', '3 |   check a ((doc) => !doc.ok)', '  |         ^', '  |',
      'hint: Originally defined here', 'at main.fsl:2:9', '  |', '2 |   check a ((doc) => doc.ok)', '  |         ^', '  |',
    ].join('\n'));
    assert.equal(summary('collection Foo {\n  unique [.foo, .bar]\n  unique [.bar, .foo]\n}\n'), [
      'error: Duplicate unique constraint.', 'at main.fsl:3:10', '  |', '3 |   unique [.bar, .foo]', '  |          ^^^^^^^^^^^^', '  |',
      'hint: This unique constraint covers the same fields.', 'at main.fsl:2:10', '  |', '2 |   unique [.foo, .bar]', '  |          ^^^^^^^^^^^^', '  |',
    ].join('\n'));
    assert.match(summary('collection Foo {\n  unique [.name]\n  unique [.["name"]]\n}\n'), /^error: Duplicate unique constraint\.\nat main\.fsl:3:10\n/);
    assert.match(summary('collection Foo {}\nfunction Foo() { 0 }\n'), /^error: Duplicate collection or function `Foo`\nat main\.fsl:2:10\n[\s\S]*hint: Originally defined here\nat main\.fsl:1:12\n/);
    assert.match(summary('role Foo {}\nrole Foo {}\n'), /^error: Duplicate role `Foo`\nat main\.fsl:2:6\n/);
    assert.match(summary('collection Foo {\n  index byBar { terms [.bar] }\n  index byBar { terms [.bar] }\n}\n'), /^error: Duplicate index name `byBar`\nat main\.fsl:3:9\n/);
    assert.match(summary('collection Foo {\n  history_days 42\n  history_days 24\n}\n'), /^error: Duplicate history days\nat main\.fsl:3:3\n/);
    assert.match(summary('collection Foo {\n  ttl_days 42\n  ttl_days 24\n}\n'), /^error: Duplicate ttl days\nat main\.fsl:3:3\n/);
    assert.match(summary('collection Foo {\n  document_ttls false\n  document_ttls true\n}\n'), /^error: Duplicate document TTLs\nat main\.fsl:3:3\n/);
    assert.match(summary('role Foo {\n  privileges A {}\n  privileges A {}\n}\n'), /^error: Duplicate privileges `A`\nat main\.fsl:3:14\n/);
    assert.match(summary('role Foo {\n  membership A\n  membership A\n}\n'), /^error: Duplicate membership `A`\nat main\.fsl:3:14\n/);
    assert.match(summary('role Foo {\n  privileges A {\n    read\n    read\n  }\n}\n'), /^error: Duplicate action `read`\nat main\.fsl:4:5\n/);
    // mva and non-mva over one path are different constraints.
    assert.equal((parseSchema('collection Foo {\n  unique [.name]\n  unique [mva(.name)]\n}\n')[0] as CollectionDef).uniqueConstraints.length, 2);
  });

  // Core FSLParserSpec.scala ("reject invalid check constraints", "reject invalid privilege
  // predicate", "reject role annotation", "reject annotations", "parse migrations").
  it('refuses malformed checks, predicates, annotations and migration blocks', () => {
    const first = (src: string): string => {
      try {
        parseSchema(src, 'main.fsl');
      } catch (e) {
        assert.ok(e instanceof FslError);
        return e.summary.split('\n').slice(0, 2).join('\n');
      }
      return assert.fail('expected an FslError');
    };
    assert.equal(first('collection Foo {\n  check ((doc) => doc.ok)\n}\n'), 'error: Missing required name\nat main.fsl:2:3');
    assert.equal(first('collection Foo {\n  check a true\n}\n'), 'error: Expected lambda check predicate\nat main.fsl:2:11');
    assert.equal(first('role Foo {\n  privileges Bar {\n    create {\n      predicate 42\n    }\n  }\n}\n'), 'error: Expected lambda predicate\nat main.fsl:4:17');
    assert.equal(first('role Foo {\n  membership Bar {\n    predicate 42\n  }\n}\n'), 'error: Expected lambda predicate\nat main.fsl:3:15');
    assert.equal(first('@role(Bar)\ncollection Foo {}\n'), 'error: Annotation not supported here\nat main.fsl:1:1');
    assert.equal(first('@alias(Bar) role Foo {}\n'), 'error: Annotations are not allowed here\nat main.fsl:1:1');
    assert.equal(first('collection Foo {\n  migrations {\n  }\n}\n'), 'error: Empty migration blocks are not allowed\nat main.fsl:2:3');
    const [c] = parseSchema('collection Foo {\n  check a ((doc) => doc.ok)\n  check b (() => 1)\n  check s (.x == 0)\n}\n') as CollectionDef[];
    assert.deepEqual(c.checkConstraints.map((k) => k.name), ['a', 'b', 's']);
  });
});
