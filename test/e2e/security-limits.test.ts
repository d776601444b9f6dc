// Limits on what one query may build or compute, through the real server and the official
// driver: every value-building operation fails with Fauna's `value_too_large` before it
// allocates past the limit, compute is metered and capped as core does, and loops meet the
// query deadline. After each of them the server still answers.
//
// Core sources (fauna/faunadb): StringPrototype.MaxSize and maxExceeded, the `+` operator and
// FQLInterpreter.evalStrTemplate (Strings.scala, FQLInterpreter.scala); ArrayPrototype.MaxSize
// and Array.sequence (Arrays.scala); ValueSet.MaximumElements (ValueSet.scala);
// QueryRuntimeFailure.ValueTooLarge (QueryFailure.scala); compute: Query.incrCompute in
// FQLInterpreter.callNativeMethod / evalApply, QueryMetrics.BaselineCompute (50) and
// State.computeOpsLimit (12000), TxnTooManyComputeOpsException (repo package.scala) answered
// as 400 invalid_request by ExceptionResponseHelpers. Limits marked (ours) in src/fql/limits.ts
// have no core equivalent: they keep one query from exhausting the process.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { Client, InvalidRequestError, QueryRuntimeError, QueryTimeoutError, fql, type Query, type QueryValue } from 'fauna';
import { rawQuery, startServer, type TestServer } from '../helpers/server';

const MAX_STRING = 16 * 1024 * 1024;

describe('security: limits on what a query builds and computes', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startServer();
    client = new Client({ endpoint: new URL(server.url), secret: 'secret', query_timeout_ms: 60_000 });
  });
  after(async () => {
    client?.close();
    await server?.dispose();
  });

  /** The query fails with a runtime error of `code` and exactly `message`. */
  async function fails(query: Query<QueryValue>, code: string, message: string): Promise<void> {
    await assert.rejects(client.query(query), (e: unknown) => {
      assert.ok(e instanceof QueryRuntimeError, String(e));
      assert.equal(e.httpStatus, 400);
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      return true;
    });
  }
  const tooLarge = (what: string, size: number, limit: number) =>
    `Value too large: ${what} size ${size} exceeds limit ${limit}.`;

  async function stillServing(): Promise<void> {
    const r = await client.query<number>(fql`1 + 1`);
    assert.equal(r.data, 2);
  }

  // A string of 2^k "x"s, built by doubling (k compute units each way).
  const doubled = (k: number) => fql`Set.sequence(0, ${k}).fold("x", (a, x) => a + a)`;

  it('the reported reproduction: doubling a string past 16 MiB fails at the `+` that crosses it', async () => {
    // 2^28 characters used to be built (then upper-cased), killing the process.
    await fails(fql`Set.sequence(0, 28).fold("x", (a, x) => a + a).toUpperCase()`,
      'value_too_large', tooLarge('string', 2 * MAX_STRING, MAX_STRING));
    // Exactly the limit is allowed.
    const ok = await client.query<number>(fql`${doubled(24)}.length`);
    assert.equal(ok.data, MAX_STRING);
    await stillServing();
  });

  it('string operations: interpolation, concat, insert, replaceAll, case mapping, split', async () => {
    // core evalStrTemplate checks each part before appending it.
    await fails(fql`let s = ${doubled(24)}; "#{s}!".length`, 'value_too_large', tooLarge('string', MAX_STRING + 1, MAX_STRING));
    await fails(fql`let s = ${doubled(24)}; s.concat("y")`, 'value_too_large', tooLarge('string', MAX_STRING + 1, MAX_STRING));
    await fails(fql`let s = ${doubled(24)}; s.insert(3, "yz")`, 'value_too_large', tooLarge('string', MAX_STRING + 2, MAX_STRING));
    // core replace0: the first match whose minimum result length passes the limit fails.
    await fails(fql`let s = ${doubled(23)}; s.replaceAll("x", "xxx")`, 'value_too_large',
      tooLarge('string', MAX_STRING + 2, MAX_STRING));
    // Upper-casing grows "ß" to "SS": 2^23 + 1 of them map to 2^24 + 2 characters.
    await fails(fql`let s = Set.sequence(0, 23).fold("ß", (a, x) => a + a) + "ß"; s.toUpperCase()`,
      'value_too_large', tooLarge('string', MAX_STRING + 2, MAX_STRING));
    const upper = await client.query<number>(fql`Set.sequence(0, 23).fold("ß", (a, x) => a + a).toUpperCase().length`);
    assert.equal(upper.data, MAX_STRING);
    // (ours) split builds at most 2^20 pieces: the check runs before the next piece is added.
    await fails(fql`let s = ${doubled(21)}; s.split("").length`, 'value_too_large', tooLarge('array', 1048577, 1048576));
    // (ours) log lines all go into one summary string, held to the string limit.
    await fails(fql`let s = ${doubled(23)}; Set.sequence(0, 100).forEach(x => log(s)); 1`, 'value_too_large',
      tooLarge('string', 3 * 2 ** 23, MAX_STRING));
    await stillServing();
  });

  it('arrays: sequence, concat, flatMap, flatten, and structure shared past the value limit', async () => {
    // core Array.sequence.
    await fails(fql`Array.sequence(0, 16001)`, 'value_too_large', 'Value too large: range size 16001 exceeds limit 16000.');
    // (ours) the resulting length is computed before anything is copied.
    await fails(fql`Set.sequence(0, 7).fold(Array.sequence(0, 16000), (a, x) => a.concat(a)).length`,
      'value_too_large', tooLarge('array', 2_048_000, 1_048_576));
    await fails(fql`let a = Array.sequence(0, 16000); a.flatMap(x => a).length`,
      'value_too_large', tooLarge('array', 1_056_000, 1_048_576));
    await fails(fql`let a = Array.sequence(0, 16000); Array.sequence(0, 70).map(x => a).flatten().length`,
      'value_too_large', tooLarge('array', 1_120_000, 1_048_576));
    // (ours) [a, a] doubles the logical size without copying: a_k holds 3·2^k − 1 units and
    // a_25 is the first past 2^26, where every later walk over it would have blown up.
    await fails(fql`Set.sequence(0, 40).fold([1], (a, x) => [a, a]).length`,
      'value_too_large', tooLarge('value', 3 * 2 ** 25 - 1, 2 ** 26));
    const shared = await client.query<number>(fql`Set.sequence(0, 20).fold([1], (a, x) => [a, a]).length`);
    assert.equal(shared.data, 2);
    await stillServing();
  });

  it('objects: shared fields, Object.assign and rendering stay bounded', async () => {
    // (ours) o_k = { a: o_{k-1}, b: o_{k-1} } holds 4·2^k − 3 units; o_25 is the first too large.
    await fails(fql`Set.sequence(0, 40).fold({}, (o, x) => ({ a: o, b: o }))`,
      'value_too_large', tooLarge('value', 4 * 2 ** 25 - 3, 2 ** 26));
    await fails(fql`let o = Set.sequence(0, 24).fold({}, (o, x) => ({ a: o, b: o })); Object.assign(o, { c: o })`,
      'value_too_large', tooLarge('value', 8 * 2 ** 24 - 5, 2 ** 26));
    // Rendering an object as text stops at the string limit instead of writing 2^22 fields.
    await assert.rejects(client.query(fql`let o = Set.sequence(0, 22).fold({}, (o, x) => ({ a: o, b: o })); Object.toString(o).length`),
      (e: unknown) => e instanceof QueryRuntimeError && e.code === 'value_too_large'
        && /^Value too large: string size \d+ exceeds limit 16777216\.$/.test(e.message));
    // (ours) a result that would encode past 64 MiB is refused before it is rendered.
    await fails(fql`let a = Array.sequence(0, 16000); Array.sequence(0, 600).map(x => a)`,
      'value_too_large', 'Value too large: result size 67108872 exceeds limit 67108864.');
    await stillServing();
  });

  it('sets: toArray is capped, folds stream, skipping a long set meets the deadline', async () => {
    // core ValueSet.MaximumElements.
    await fails(fql`Set.sequence(0, 16001).toArray()`, 'value_too_large',
      'Value too large: exceeded maximum number of elements (limit=16000).');
    // A left fold streams its set: 100,000 elements fold without materialising them.
    const sum = await client.query<number>(fql`Set.sequence(0, 100000).fold(0, (a, x) => a + x)`);
    assert.equal(sum.data, 4_999_950_000);
    // drop() consumes 2^31 elements without calling any function: the source checks the deadline.
    const started = Date.now();
    await assert.rejects(client.query(fql`Set.sequence(0, 2147483647).drop(2147483646).first()`, { query_timeout_ms: 300 }),
      (e: unknown) => e instanceof QueryTimeoutError && e.httpStatus === 440 && e.code === 'time_out');
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    await stillServing();
  });

  it('bytes: rendering bytes as text and returning them count toward the limits', async () => {
    // 2^24 base64 characters decode to 12 MiB, which encode back to exactly the string limit.
    const b = fql`Bytes.fromBase64(Set.sequence(0, 22).fold("AAAA", (a, x) => a + a))`;
    const len = await client.query<number>(fql`${b}.toBase64().length`);
    assert.equal(len.data, MAX_STRING);
    await fails(fql`let b = ${b}; "x#{b}"`, 'value_too_large', tooLarge('string', MAX_STRING + 1, MAX_STRING));
    // (ours) Three fit in a result, a fourth passes 2^26 estimated bytes (8 per value + base64).
    await fails(fql`let b = ${b}; [b, b, b, b]`, 'value_too_large', 'Value too large: result size 67108904 exceeds limit 67108864.');
    await stillServing();
  });

  it('the reported fold times out at x-query-timeout-ms and the server answers at once', async () => {
    const started = Date.now();
    await assert.rejects(client.query(fql`Set.sequence(0, 6000000).fold(0, (a, x) => a + x)`, { query_timeout_ms: 200 }),
      (e: unknown) => {
        assert.ok(e instanceof QueryTimeoutError, String(e));
        assert.equal(e.httpStatus, 440);
        assert.equal(e.code, 'time_out');
        assert.match(e.message, /^Client set aggressive deadline: query needs \d+, timed out within 200$/);
        return true;
      });
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    await stillServing();
  });

  /** The deadline overruns that made the pool terminate a worker so far. */
  async function deadlineKills(): Promise<number> {
    const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer secret' } })).text();
    return Number(/^fql_worker_restarts_total\{reason="deadline"\} (\d+)$/m.exec(text)?.[1] ?? NaN);
  }

  it('one operation cannot run past the deadline: parseInt of long digit strings, toString of shared structure', async () => {
    // Found by probing (session 16). parseInt multiplied an ever longer BigInt (2^18 digits took
    // 9.5 s, 2^24 hours); Java's parseInt refuses overflow, so it now stops at the first digit
    // past the range. toString rendered whole subtrees of shared structure without looking at
    // the clock; it now meets the deadline like any loop, so no worker is terminated.
    const kills = await deadlineKills();
    const digits = fql`Set.sequence(0, 17).fold("1", (a, x) => a + a)`;
    const timeout = { query_timeout_ms: 3000 };
    assert.equal((await client.query<number | null>(fql`${digits}.parseInt()`, timeout)).data, null);
    assert.equal((await client.query<number | null>(fql`${digits}.parseLong()`, timeout)).data, null);
    // parseNumber falls back to a double, as Java's Double.parseDouble does: Infinity past range.
    assert.equal((await client.query<number | null>(fql`${digits}.parseNumber()`, timeout)).data, Infinity);
    assert.equal((await client.query<number>(fql`"-2147483648".parseInt()`)).data, -2147483648);
    assert.equal((await client.query<number | null>(fql`"2147483648".parseInt()`)).data, null);
    const started = performance.now();
    await assert.rejects(client.query(fql`Array.sequence(0, 24).fold([1], (acc, i) => [acc, acc]).toString()`, { query_timeout_ms: 1000 }),
      (e: unknown) => e instanceof QueryTimeoutError && e.code === 'time_out');
    assert.ok(performance.now() - started < 5000, `answered after ${performance.now() - started} ms`);
    assert.equal(await deadlineKills(), kills, 'the evaluator stopped the query itself');
    await stillServing();
  });

  it('compute: a query past 12,000 compute ops fails with core\'s invalid_request', async () => {
    // Each element costs two units (the lambda's application and its `+`): the limit of
    // 600,000 units is crossed at the 300,000th element.
    await assert.rejects(client.query(fql`Set.sequence(0, 6000000).fold(0, (a, x) => a + x)`), (e: unknown) => {
      assert.ok(e instanceof InvalidRequestError, String(e));
      assert.equal(e.httpStatus, 400);
      assert.equal(e.code, 'invalid_request');
      assert.equal(e.message, 'Transaction does too much compute: got 12001, limit: 12000');
      return true;
    });
    await stillServing();
  });

  it('writes: a transaction may buffer at most 16 MiB, net of rewrites of the same document', async () => {
    // core transaction_max_size_bytes / TxnTooLargeException → 400 invalid_request. Our bytes
    // are the stored keys and values, so the count is ours; the wording and limit are core's.
    await client.query(fql`Collection.create({ name: "Big" })`);
    const mib = fql`Set.sequence(0, 20).fold("x", (a, x) => a + a)`;
    await assert.rejects(client.query(fql`let s = ${mib}; Set.sequence(0, 17).forEach(x => Big.create({ s: s })); 1`), (e: unknown) => {
      assert.ok(e instanceof InvalidRequestError, String(e));
      assert.equal(e.httpStatus, 400);
      assert.match(e.message, /^Transaction exceeded limit: got 1677\d{4} bytes, limit 16777216 bytes$/);
      return true;
    });
    // A document's fields count every time it occurs in a result: 70 references to one
    // document holding a 1 MiB string would render 70 MiB.
    await client.query(fql`let s = ${mib}; Big.create({ id: "1", s: s }); 1`);
    await assert.rejects(client.query(fql`let d = Big.byId("1"); Array.sequence(0, 70).map(x => d)`),
      (e: unknown) => e instanceof QueryRuntimeError && e.code === 'value_too_large'
        && /^Value too large: result size \d+ exceeds limit 67108864\.$/.test(e.message));
    await client.query(fql`Big.byId("1")!.delete()`);
    // Nothing was written, and rewriting one document many times is within the limit.
    assert.equal((await client.query<number>(fql`Big.all().count()`)).data, 0);
    const small = fql`Set.sequence(0, 14).fold("x", (a, x) => a + a)`;
    const r = await client.query<number>(fql`let s = ${small}; let d = Big.create({ s: s }); Set.sequence(0, 1100).forEach(x => d.update({ n: x })); d.n`);
    assert.equal(r.data, 1099);
    await stillServing();
  });

  it('stats: compute_ops is ceil(units / 50), one unit per method call, operator and application', async () => {
    const stats = async (query: string): Promise<number> => {
      const r = await rawQuery(server.url, { query });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.stats.compute_ops;
    };
    assert.equal(await stats('1'), 1);
    assert.equal(await stats('1 + 1'), 1);
    // Array.sequence + map + 100 applications + 100 `+` = 202 units.
    assert.equal(await stats('Array.sequence(0, 100).map(x => x + 1)'), 5);
    // 50 units exactly are one op; the 51st starts a second.
    assert.equal(await stats('Array.sequence(0, 24).map(x => x + 1)'), 1);
    assert.equal(await stats('Array.sequence(0, 24).map(x => x + 1).length + 1'), 2);
    // Iterating a set is not compute (core counts reads for that), calls are.
    assert.equal(await stats('Set.sequence(0, 10000).count()'), 1);
  });
  describe('FQL v4 builds values within the same limits', () => {
    // FQL v4 had none: `Reduce(Lambda([a, x], Append(a, a)), [1], 0..25)` built 2^26 elements and
    // the worker's heap ran out so abruptly that Node ended the whole process (FATAL ERROR:
    // Reached heap limit). Core's v4 functions run on the JVM heap with no such guard; ours fail
    // like FQL v10's (`value_too_large`'s message), as v4's `invalid argument` at the form.
    async function v4(expr: unknown): Promise<{ status: number; body: any }> {
      const r = await fetch(`${server.url}/`, { method: 'POST', headers: { authorization: 'Bearer secret' }, body: JSON.stringify(expr) });
      return { status: r.status, body: await r.json() };
    }
    const v4Fails = async (expr: unknown, description: string, position: unknown[]) =>
      assert.deepEqual(await v4(expr), { status: 400, body: { errors: [{ position, code: 'invalid argument', description }] } });
    const idx = (n: number) => Array.from({ length: n }, (_, i) => i);
    const lambda = (body: unknown) => ({ lambda: ['a', 'x'], expr: body });
    const a = { var: 'a' };
    // 2^21 × 8 = 16 MiB of "x" by doubling with Concat.
    const big = { reduce: lambda({ concat: [a, a] }), initial: 'xxxxxxxx', collection: idx(21) };

    it('repeating a form that doubles stops at the limit: Append, Concat, Format, ReplaceStr', async () => {
      await v4Fails({ count: { reduce: lambda({ append: a, collection: a }), initial: [1], collection: idx(26) } },
        tooLarge('array', 2 ** 21, 2 ** 20), ['count', 'reduce', 'expr']);
      await v4Fails({ length: { reduce: lambda({ concat: [a, a] }), initial: 'x', collection: idx(30) } },
        tooLarge('string', 2 * MAX_STRING, MAX_STRING), ['length', 'reduce', 'expr']);
      await v4Fails({ length: { reduce: lambda({ format: '%s%s', values: [a, a] }), initial: 'x', collection: idx(30) } },
        tooLarge('string', 2 * MAX_STRING, MAX_STRING), ['length', 'reduce', 'expr']);
      await v4Fails({ length: { reduce: lambda({ replacestr: a, find: 'x', replace: 'xx' }), initial: 'x', collection: idx(30) } },
        tooLarge('string', 2 * MAX_STRING, MAX_STRING), ['length', 'reduce', 'expr']);
      assert.deepEqual(await v4({ length: big }), { status: 200, body: { resource: MAX_STRING } });
    });

    it('forms that multiply in one step check before they build: Format widths, Repeat, ReplaceStr(Regex), NGram', async () => {
      await v4Fails({ format: '%999999999d', values: 1 }, tooLarge('string', 999_999_999, MAX_STRING), []);
      await v4Fails({ format: '%100000000s', values: 'a' }, tooLarge('string', 100_000_000, MAX_STRING), []);
      const mb = { substring: big, start: 0, length: 1_000_000 };
      await v4Fails({ repeat: mb, number: 1000 }, tooLarge('string', 1_000_000_000, MAX_STRING), []);
      await v4Fails({ replacestr: big, find: '', replace: 'x' }, tooLarge('string', 2 * MAX_STRING + 1, MAX_STRING), []);
      await v4Fails({ replacestrregex: mb, pattern: '.+', replace: '$0'.repeat(100) }, tooLarge('string', 17_000_000, MAX_STRING), []);
      await v4Fails({ ngram: { substring: big, start: 0, length: 2_000_000 } }, tooLarge('array', 3_999_999, 2 ** 20), []);
      await v4Fails({ ngram: { substring: big, start: 0, length: 100_000 }, min: 50_000, max: 50_001 },
        'Value too large: ngrams size 5000100000 exceeds limit 67108864.', []);
      // Java's String.replace is literal, and "" matches before each code point and at the end.
      assert.deepEqual(await v4({ replacestr: 'aé😀', find: '', replace: '-' }), { status: 200, body: { resource: '-a-é-😀-' } });
      assert.deepEqual(await v4({ replacestr: 'a.b.c', find: '.', replace: '$&' }), { status: 200, body: { resource: 'a$&b$&c' } });
      assert.deepEqual(await v4({ format: '%5d|%-4s|%05d', values: [42, 'ab', 7] }), { status: 200, body: { resource: '   42|ab  |00007' } });
      assert.deepEqual(await v4({ ngram: 'abc' }), { status: 200, body: { resource: ['a', 'ab', 'b', 'bc', 'c'] } });
      await stillServing();
    });

    it('a result that would encode past 64 MiB is refused before it is rendered, as in v10', async () => {
      // A 16 MiB string returned five times rendered an 80 MiB response in the worker, which the
      // coordinator then held whole; thirty made 480 MiB. Now the fourth copy passes the limit
      // (4 · (2^24 + 2) characters, both brackets and three commas).
      const many = (n: number) => ({ let: { s: big }, in: Array.from({ length: n }, () => ({ var: 's' })) });
      await v4Fails(many(5), 'Value too large: result size 67108877 exceeds limit 67108864.', []);
      // In an object, each field also counts its key: `{"a":`, `,"b":`, ... before each copy.
      await v4Fails({ let: { s: big }, in: { object: { a: { var: 's' }, b: { var: 's' }, c: { var: 's' }, d: { var: 's' } } } },
        'Value too large: result size 67108893 exceeds limit 67108864.', []);
      assert.deepEqual(await v4({ count: many(30) }), { status: 200, body: { resource: 30 } });
      const three = await v4(many(3));
      assert.deepEqual([three.status, three.body.resource.length, three.body.resource[2].length], [200, 3, MAX_STRING]);
      // Format's %@ renders the wire form, within the string limit: 2^60 paths fail at once.
      const doubled = { reduce: lambda([a, a]), initial: 1, collection: idx(60) };
      await v4Fails({ format: '%@', values: [doubled] }, 'Value too large: string size 16777218 exceeds limit 16777216.', []);
      await stillServing();
    });

    it('Equals compares shared structure once: a value with 2^60 paths equals a twin at once', async () => {
      // Equals compared each path: `Equals(x, x)` on a doubled value ran until its deadline.
      const doubled = (n: number, leaf: number) => ({ reduce: lambda([a, { object: { k: a } }]), initial: leaf, collection: idx(n) });
      const t = performance.now();
      assert.deepEqual(await v4({ equals: [doubled(60, 1), doubled(60, 1)] }), { status: 200, body: { resource: true } });
      assert.deepEqual(await v4({ equals: [doubled(60, 1), doubled(60, 2)] }), { status: 200, body: { resource: false } });
      assert.ok(performance.now() - t < 5000, `took ${performance.now() - t} ms`);
    });
  });
});
