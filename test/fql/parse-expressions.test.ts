import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseExpression, parseQuery, parseType } from '../../src/fql/parse/parse';
import { queryError, queryErrors, showExpr, showQuery, showType } from './parse-helpers';

describe('operator precedence and associativity', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '(+ int:1 (* int:2 int:3))'],
    ['1 * 2 + 3', '(+ (* int:1 int:2) int:3)'],
    ['1 - 2 - 3', '(- (- int:1 int:2) int:3)'],
    ['2 ** 3 ** 2', '(** int:2 (** int:3 int:2))'],
    ['2 * 3 ** 2', '(* int:2 (** int:3 int:2))'],
    ['10 % 3 / 2', '(/ (% int:10 int:3) int:2)'],
    ['a & b ^ c | d', '(| (^ (& a b) c) d)'],
    ['a + 1 & b', '(& (+ a int:1) b)'],
    ['a | b < c', '(< (| a b) c)'],
    ['a < b == c > d', '(== (< a b) (> c d))'],
    ['a == b && c != d', '(&& (== a b) (!= c d))'],
    ['a && b || c && d', '(|| (&& a b) (&& c d))'],
    ['a || b ?? c', '(?? (|| a b) c)'],
    ['a ?? b ?? c', '(?? (?? a b) c)'],
    ['x isa String', '(isa x String)'],
    ['x isa Number == true', '(== (isa x Number) true)'],
    ['x + 1 isa Number', '(isa (+ x int:1) Number)'],
    ['-a * b', '(* (- a) b)'],
    ['!a && b', '(&& (! a) b)'],
    ['!!a', '(! (! a))'],
    ['~a.b', '(~ (. a b))'],
    ['-x.y()', '(- (call (. x y)))'],
    ['(1 + 2) * 3', '(* (+ int:1 int:2) int:3)'],
    ['a >= b <= c', '(<= (>= a b) c)'],
  ];
  for (const [src, tree] of cases) it(src, () => assert.equal(showExpr(src), tree));
});

describe('member access, calls and chains', () => {
  it('builds chains left to right', () => {
    assert.equal(showExpr('Collection.al()'), '(call (. Collection al))');
    assert.equal(showExpr('a.b(1, 2)[0].c!'), '(! (. ([] (call (. a b) int:1 int:2) int:0) c))');
    assert.equal(showExpr('a?.b?.(1)?.[2]'), '(?.[] (?.call (?. a b) int:1) int:2)');
    assert.equal(showExpr('a!.b!'), '(! (. (! a) b))');
    assert.equal(showExpr('f (1)'), '(call f int:1)');
    assert.equal(showExpr('{ if: 1 }.if'), '(. {if: int:1} if)');
    assert.equal(showExpr('f(1,)'), '(call f int:1)');
    assert.equal(showExpr('x != y'), '(!= x y)');
  });

  it('keeps precise spans', () => {
    const e = parseExpression('Collection.al()');
    assert.ok(e.kind === 'call' && e.callee.kind === 'member');
    assert.deepEqual(e.callee.nameSpan, { start: 11, end: 13 });
    assert.deepEqual(e.argsSpan, { start: 13, end: 15 });
    assert.deepEqual(e.span, { start: 0, end: 15 });
    const b = parseExpression('a  +  bb');
    assert.ok(b.kind === 'binary');
    assert.deepEqual([b.span, b.opSpan, b.right.span], [{ start: 0, end: 8 }, { start: 3, end: 4 }, { start: 6, end: 8 }]);
  });

  it('parses the auth guide functions', () => {
    assert.equal(
      showQuery('let acc = Account.byEmail(email)!.first()\nCredential.byDocument(acc)!.login(password, Time.now().add(3600, "second"))'),
      '(let acc (call (. (! (call (. Account byEmail) email)) first))); '
      + '(call (. (! (call (. Credential byDocument) acc)) login) password (call (. (call (. Time now)) add) int:3600 "second"))',
    );
    assert.equal(showQuery('Query.token()!.delete()'), '(call (. (! (call (. Query token))) delete))');
  });
});

describe('newline rules', () => {
  it('separates statements on newlines and semicolons', () => {
    assert.equal(showQuery('let x = 1\nlet y = 2\nx + y'), '(let x int:1); (let y int:2); (+ x y)');
    assert.equal(showQuery('let x = 1; x;'), '(let x int:1); x');
    assert.equal(showQuery('1 // one\n// nothing\n2 /* two */'), 'int:1; int:2');
    assert.equal(showQuery('\n\n  1\n\n'), 'int:1');
  });

  it('continues a method chain on the next line', () => {
    assert.equal(showQuery('Account.all()\n  .where(.a)\n  ?.first()'), '(call (?. (call (. (call (. Account all)) where) (short (. $ a))) first))');
  });

  it('does not continue with ( [ { ! on the next line', () => {
    assert.equal(showQuery('f\n(1)'), 'f; int:1');
    assert.equal(showQuery('a\n[1]'), 'a; [int:1]');
    assert.equal(showQuery('a\n{ b: 1 }'), 'a; {b: int:1}');
    assert.equal(showQuery('a\n!b'), 'a; (! b)');
  });

  it('continues only logical and bitwise operators on the next line', () => {
    assert.equal(showQuery('a\n&& b\n|| c\n?? d'), '(?? (|| (&& a b) c) d)');
    assert.equal(showQuery('a\n| b\n^ c\n& d'), '(| a (^ b (& c d)))');
    assert.equal(showQuery('a\n- b'), 'a; (- b)');
    assert.equal(showQuery('a\n-1'), 'a; int:-1');
    assert.equal(showQuery('a +\n  b'), '(+ a b)');
  });

  it('ignores newlines inside brackets after openers and separators', () => {
    assert.equal(showQuery('f(\n  1,\n  2\n)'), '(call f int:1 int:2)');
    assert.equal(showQuery('[\n1\n,\n2\n]'), '[int:1, int:2]');
    assert.equal(showQuery('if (x)\n  1\nelse\n  2'), '(if x int:1 int:2)');
  });
});

describe('lambdas', () => {
  it('parses every parameter form', () => {
    assert.equal(showExpr('x => x + 1'), '(fn [x] (+ x int:1))');
    assert.equal(showExpr('(a, b) => a'), '(fn [a b] a)');
    assert.equal(showExpr('(a, b,) => a'), '(fn [a b] a)');
    assert.equal(showExpr('() => 1'), '(fn [] int:1)');
    assert.equal(showExpr('(...args) => args'), '(fn [args...] args)');
    assert.equal(showExpr('(a, ...rest) => rest'), '(fn [a rest...] rest)');
    assert.equal(showExpr('(_, b) => b'), '(fn [_ b] b)');
    assert.equal(showExpr('x => y => x'), '(fn [x] (fn [y] x))');
    assert.equal(showExpr('(x) => { let y = x; y }'), '(fn [x] {(let y x); y})');
    assert.equal(showExpr('(x)'), 'x');
  });

  it('parses a stored function body', () => {
    const e = parseExpression('(email, password) => {\n  let acc = Account.create({ email: email })\n  Credential.create({ document: acc, password: password })\n}');
    assert.equal(e.kind, 'lambda');
    assert.equal(
      showExpr('(email) => {\n  let acc = Account.create({ email: email })\n  acc\n}'),
      '(fn [email] {(let acc (call (. Account create) {email: email})); acc})',
    );
  });

  it('reports duplicate parameters', () => {
    const ds = queryErrors('(x, y, x) => x');
    assert.equal(ds.length, 1);
    assert.equal(ds[0].message, 'Duplicate lambda argument');
    assert.deepEqual(ds[0].span, { start: 7, end: 8 });
    assert.deepEqual(ds[0].hints?.[0].span, { start: 1, end: 2 });
  });
});

describe('short lambdas', () => {
  it('turns a leading dot into an implicit argument', () => {
    assert.equal(showExpr('f(.name)'), '(call f (short (. $ name)))');
    assert.equal(showExpr('f(.a.b())'), '(call f (short (call (. (. $ a) b))))');
    assert.equal(showExpr('f(.["x"])'), '(call f (short ([] $ "x")))');
    assert.equal(showExpr('f(.email == "x")'), '(call f (short (== (. $ email) "x")))');
    assert.equal(showExpr('f(.a > 1 && .b)'), '(call f (short (&& (> (. $ a) int:1) (. $ b))))');
    assert.equal(showExpr('f((.a + .b) / 2)'), '(call f (short (/ (+ (. $ a) (. $ b)) int:2)))');
    assert.equal(showExpr('f(!.done)'), '(call f (short (! (. $ done))))');
    assert.equal(showExpr('f(.x { a })'), '(call f (short (proj (. $ x) {a})))');
  });

  it('places the implicit argument at the dot', () => {
    const e = parseExpression('f(.email)');
    assert.ok(e.kind === 'call' && e.args[0].kind === 'shortLambda');
    const body = e.args[0].body;
    assert.ok(body.kind === 'member');
    assert.deepEqual([body.object.kind, body.object.span, body.span], ['implicitArg', { start: 2, end: 2 }, { start: 2, end: 8 }]);
  });

  it('is reported outside call arguments', () => {
    assert.deepEqual(queryError('.foo'), ['Invalid anonymous field access', 0, 4]);
    assert.deepEqual(queryError('{ let a = .foo; 3 }'), ['Invalid anonymous field access', 10, 14]);
    assert.deepEqual(queryError('2 + .foo'), ['Invalid anonymous field access', 0, 8]);
    assert.equal(parseExpression('.foo', { allowShortLambda: true }).kind, 'shortLambda');
  });
});

describe('blocks, objects, conditionals', () => {
  it('tells objects from blocks', () => {
    assert.equal(showExpr(`{'a'}`), '{"a"}');
    assert.equal(showExpr('{"a"}'), '{"a"}');
    assert.equal(showExpr('{ x }'), '{x}');
    assert.equal(showExpr('{ x: 1 }'), '{x: int:1}');
    assert.equal(showExpr('{ let x = 1; x }'), '{(let x int:1); x}');
    assert.equal(showExpr(`{ 'a'; 'b'; }`), '{"a"; "b"}');
    assert.equal(showExpr('{\n  let a = 1\n  { b: a }\n}'), '{(let a int:1); {b: a}}');
    const b = parseExpression('\n{\n\'a\'\n}\n');
    assert.deepEqual(b.span, { start: 1, end: 8 });
  });

  it('parses if/else and at', () => {
    assert.equal(showExpr('if (true) 3'), '(if true int:3)');
    assert.equal(showExpr('if (a) 1 else if (b) 2 else 3'), '(if a int:1 (if b int:2 int:3))');
    assert.equal(showExpr('{ let a = if (true) 3\na }'), '{(let a (if true int:3)); a}');
    assert.equal(showExpr('at (Time("2020-01-01T00:00:00Z")) Account.all()'), '(at (call Time "2020-01-01T00:00:00Z") (call (. Account all)))');
    assert.deepEqual(parseExpression('if (true) 3 else 4').span, { start: 0, end: 18 });
  });

  it('parses typed lets', () => {
    assert.equal(showQuery('let x: Int | Null = 1\nx'), '(let x: (Int | Null) int:1); x');
    assert.equal(showQuery('let f: (Int, Int) => Int = (a, b) => a\nf'), '(let f: ((Int, Int) => Int) (fn [a b] a)); f');
  });

  it('parses projections', () => {
    assert.equal(showExpr('x { a, b: .c + 1, d { e } }'), '(proj x {a, b: (+ (. $ c) int:1), d {e}})');
    assert.equal(showExpr('Account.all() { email }'), '(proj (call (. Account all)) {email})');
    assert.equal(showExpr('a + b { c }'), '(proj (+ a b) {c})');
    const p = parseExpression('u { name }');
    assert.deepEqual(p.span, { start: 0, end: 10 });
  });
});

describe('types', () => {
  const cases: [string, string][] = [
    ['String', 'String'],
    ['Ref<Account>', 'Ref<Account>'],
    ['Array<String | Int>', 'Array<(String | Int)>'],
    ['String?', 'String?'],
    ['{ a: Int, b?: String, *: Any }', '{ a: Int, b?: String, *: Any }'],
    ['[Int, String]', '[Int, String]'],
    ['(Int, String) => Boolean', '((Int, String) => Boolean)'],
    ['String => String', '((String) => String)'],
    ['"a" | 1 | true | null', '("a" | 1 | true | null)'],
    ['(Int | Null)?', '(Int | Null)?'],
  ];
  for (const [src, shown] of cases) it(src, () => assert.equal(showType(parseType(src)), shown));
});

describe('query shape', () => {
  it('is a block whose result is the last expression', () => {
    const q = parseQuery('let a = 1\na');
    assert.equal(q.source, 'let a = 1\na');
    assert.equal(q.body.body.length, 1);
    assert.equal(q.body.result?.kind, 'ident');
    assert.deepEqual(q.body.span, { start: 0, end: 11 });
  });
});
