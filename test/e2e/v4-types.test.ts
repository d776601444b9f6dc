// FQL v4 type checks and conversions through the `faunadb@4.8` driver. Expected values:
// faunadb-js test/query.test.js ("type check", "to_string" … "to_date"); semantics and error
// texts: core ext/model/src/main/scala/ast/functions/TypeCheckFunctions.scala (Is*),
// ConversionFunctions.scala (To*), RenderError (InvalidCast).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type Client, query as q, values } from 'faunadb';
import { fql } from 'fauna';
import type { TestServer } from '../helpers/server';
import { V4Clients, v4FailsAt, useV4Server } from './v4-helpers';

describe('v4 type checks and conversions', () => {
  let server: TestServer;
  let clients: V4Clients;
  let root: Client;
  const is = async (expr: unknown, expected: unknown) => assert.deepEqual(await root.query(expr as never), expected);
  const pluckRef = (v: { ref: values.Ref }) => v.ref;

  useV4Server((s) => ({ server, clients, root } = s));

  it('checks types of values, documents and schema refs (faunadb-js "type check")', async () => {
    const coll = pluckRef(await root.query(q.CreateCollection({ name: 'things' })));
    const index = pluckRef(await root.query(q.CreateIndex({ name: 'things_all', source: coll, active: true })));
    const doc = pluckRef(await root.query(q.Create(coll, { credentials: { password: 'sekret' } })));
    const db = pluckRef(await root.query(q.CreateDatabase({ name: 'db_1' })));
    // CreateFunction and CreateRole belong to another part of the v4 work: define these in v10.
    const v10 = server.client();
    await v10.query(fql`Function.create({ name: 'fn_1', body: 'x => x' })`);
    await v10.query(fql`Role.create({ name: 'role_1' })`);
    const fn = q.Function('fn_1');
    const role = q.Role('role_1');
    const key = pluckRef(await root.query(q.CreateKey({ database: db, role: 'admin' })));
    const tok = await root.query<{ ref: values.Ref; secret: string }>(q.Login(doc, { password: 'sekret' }));
    const cred = pluckRef(await clients.as(tok.secret).query(q.Get(q.Ref('credentials/self'))));
    const token = tok.ref;

    const trueExprs = [
      q.IsNumber(3.14), q.IsNumber(10), q.IsDouble(3.14), q.IsInteger(10), q.IsBoolean(true), q.IsBoolean(false), q.IsNull(null),
      q.IsBytes(new Uint8Array([1, 2, 3, 4])), q.IsTimestamp(q.Now()), q.IsTimestamp(q.Epoch(1, 'second')),
      q.IsTimestamp(q.Time('1970-01-01T00:00:00Z')), q.IsDate(q.ToDate(q.Now())), q.IsDate(q.Date('1970-01-01')), q.IsString('string'),
      q.IsArray([10]), q.IsObject({ x: 10 }), q.IsObject(q.Paginate(q.Collections())), q.IsObject(q.Get(doc)), q.IsRef(coll),
      q.IsSet(q.Collections()), q.IsSet(q.Match(index)), q.IsSet(q.Union(q.Match(index))), q.IsDoc(doc), q.IsDoc(q.Get(doc)),
      q.IsLambda(q.Query(q.Lambda('x', q.Var('x')))), q.IsCollection(coll), q.IsCollection(q.Get(coll)), q.IsDatabase(db),
      q.IsDatabase(q.Get(db)), q.IsIndex(index), q.IsIndex(q.Get(index)), q.IsFunction(fn), q.IsFunction(q.Get(fn)), q.IsKey(key),
      q.IsKey(q.Get(key)), q.IsToken(token), q.IsToken(q.Get(token)), q.IsCredentials(cred), q.IsCredentials(q.Get(cred)),
      q.IsRole(role), q.IsRole(q.Get(role)),
    ];
    await is(trueExprs, trueExprs.map(() => true));
    const falseExprs = [
      q.IsNumber('string'), q.IsNumber([]), q.IsDouble(10), q.IsInteger(3.14), q.IsBoolean('string'), q.IsBoolean(10),
      q.IsNull('string'), q.IsBytes([0x1, 0x2, 0x3, 0x4]), q.IsTimestamp(q.ToDate(q.Now())), q.IsTimestamp(10), q.IsDate(q.Now()),
      q.IsDate(10), q.IsString([]), q.IsString(10), q.IsArray({ x: 10 }), q.IsObject([10]), q.IsRef(q.Match(index)), q.IsRef(10),
      q.IsSet('string'), q.IsDoc({}), q.IsLambda(fn), q.IsLambda(q.Get(fn)), q.IsCollection(db), q.IsCollection(q.Get(db)),
      q.IsDatabase(coll), q.IsDatabase(q.Get(coll)), q.IsIndex(coll), q.IsIndex(q.Get(db)), q.IsFunction(index),
      q.IsFunction(q.Get(coll)), q.IsKey(db), q.IsKey(q.Get(index)), q.IsToken(index), q.IsToken(q.Get(cred)),
      q.IsCredentials(token), q.IsCredentials(q.Get(role)), q.IsRole(coll), q.IsRole(q.Get(index)),
      // A version turned into an object is no longer a document (ToObjectFunction).
      q.IsDoc(q.ToObject(q.Get(doc))),
    ];
    await is(falseExprs, falseExprs.map(() => false));
  });

  it('converts scalars (faunadb-js "to_string" … "to_integer")', async () => {
    await is([q.ToString(42), q.ToString('42'), q.ToString(q.ToDouble(10)), q.ToString(q.ToInteger(10.0)), q.ToString(null), q.ToString(true)],
      ['42', '42', '10.0', '10', 'null', 'true']);
    await is([q.ToString(q.Date('2020-01-02')), q.ToString(q.Time('2020-01-02T03:04:05.5Z'))], ['2020-01-02', '2020-01-02T03:04:05.500Z']);
    // java.text.NumberFormat: grouping commas, and the longest numeric prefix.
    await is([q.ToNumber(42), q.ToNumber('42'), q.ToNumber('3.5'), q.ToNumber('1,000'), q.ToNumber(' 12abc ')], [42, 42, 3.5, 1000, 12]);
    await is([q.ToDouble(3.14), q.ToDouble('3.14'), q.ToInteger('10'), q.ToInteger(3.9), q.ToInteger(-3.9)], [3.14, 3.14, 10, 3, -3]);
    await v4FailsAt(root, q.ToString([1]), 'invalid argument', 'Cannot cast Array to String.', []);
    await v4FailsAt(root, q.ToNumber('abc'), 'invalid argument', 'Cannot cast String to Number.', []);
    await v4FailsAt(root, q.ToDouble(true), 'invalid argument', 'Cannot cast Boolean to Double.', ['to_double']);
    await v4FailsAt(root, q.ToInteger([1]), 'invalid argument', 'Cannot cast Array to Integer.', ['to_integer']);
  });

  it('converts times, dates, objects and arrays (faunadb-js "to_time", "to_date", "to_object", "to_array")', async () => {
    await is(q.ToTime('1970-01-01T00:00:00Z'), new values.FaunaTime('1970-01-01T00:00:00Z'));
    // An Integer is milliseconds; a Date is its midnight.
    await is([q.ToTime(1500), q.ToTime(q.Date('1970-01-02'))],
      [new values.FaunaTime('1970-01-01T00:00:01.500Z'), new values.FaunaTime('1970-01-02T00:00:00Z')]);
    await is(q.Equals(q.ToTime('now'), q.Now()), true);
    await is([q.ToDate('1970-01-01'), q.ToDate(q.Time('2020-01-02T23:59:59Z'))], [new values.FaunaDate('1970-01-01'), new values.FaunaDate('2020-01-02')]);
    await is(q.ToObject([['k0', 10], ['k1', 20]]), { k0: 10, k1: 20 });
    await is(q.ToArray({ k0: 10, k1: 20 }), [['k0', 10], ['k1', 20]]);
    await is(q.ToObject(q.ToArray({ k0: 10, k1: 20 })), { k0: 10, k1: 20 });
    await v4FailsAt(root, q.ToTime(true), 'invalid argument', 'Cannot cast Boolean to Time.', []);
    await v4FailsAt(root, q.ToTime('yesterday'), 'invalid argument', "Cannot cast 'yesterday' to a time.", []);
    await v4FailsAt(root, q.ToDate(1), 'invalid argument', 'Cannot cast Integer to Date.', []);
    await v4FailsAt(root, q.ToObject([1]), 'invalid argument', 'Field/Value expected, Integer provided.', ['to_object', 0]);
    await v4FailsAt(root, q.ToObject('x'), 'invalid argument', 'Cannot cast String to Object.', ['to_object']);
    await v4FailsAt(root, q.ToArray(1), 'invalid argument', 'Cannot cast Integer to Array.', ['to_array']);
  });
});
