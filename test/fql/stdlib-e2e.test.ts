// Scalar stdlib members reached through the parser and evaluator.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from '../../src/fql/errors';
import type { EvalContext } from '../../src/fql/eval/context';
import { evaluateQuery } from '../../src/fql/eval/evaluate';
import { parseQuery } from '../../src/fql/parse/parse';
import { arr, double, int, long, str } from '../../src/fql/values/construct';
import { formatTime } from '../../src/fql/values/format';
import type { Value } from '../../src/fql/values/value';
import { wireStdlib } from '../../src/fql/stdlib/index';
import { TXN_TS } from './stdlib-support';

function context(source: string): EvalContext {
  wireStdlib();
  return {
    source,
    templateValues: [],
    arguments: new Map(),
    model: { txnTs: TXN_TS, resolveGlobal: async () => undefined },
    deadline: performance.now() + 5000,
    stats: { computeOps: 0, readOps: 0, writeOps: 0, storageBytesRead: 0, storageBytesWrite: 0, contentionRetries: 0 },
    logs: [],
    depth: 0,
  } as unknown as EvalContext;
}

const run = (source: string): Promise<Value> => evaluateQuery(parseQuery(source), context(source));
const timeText = (v: Value): string => (v.t === 'time' ? formatTime(v.ns) : `not a time: ${v.t}`);

describe('scalar stdlib through the evaluator', () => {
  it('displays scalars the same in toString() and in interpolation', async () => {
    assert.deepEqual(
      await run('[(-0.0).toString(), "#{-0.0}", "#{2.0}", "#{1.5}", "#{true}", "#{null}"]'),
      arr([str('-0'), str('-0'), str('2'), str('1.5'), str('true'), str('null')]),
    );
  });

  it('string methods and fields', async () => {
    assert.deepEqual(await run('"abc".toUpperCase()'), str('ABC'));
    assert.deepEqual(await run('"héllo".length'), int(5));
    assert.deepEqual(await run('"abc"[1]'), str('b'));
    assert.deepEqual(await run('"a,b".split(",")'), arr([str('a'), str('b')]));
    assert.deepEqual(await run('"12".parseInt()'), int(12));
  });
  it('Time and Date', async () => {
    assert.equal(timeText(await run('Time("2023-01-01T00:00:00Z").add(1, "day")')), '2023-01-02T00:00:00Z');
    assert.equal(timeText(await run('Time.now()')), '2023-11-14T22:13:20Z');
    assert.deepEqual(await run('Date("2023-03-01").difference(Date("2023-02-01"))'), long(28n));
    assert.deepEqual(await run('Time("2023-01-01T10:00:00Z").hour'), int(10));
  });
  it('Math', async () => {
    assert.deepEqual(await run('Math.abs(-3)'), int(3));
    assert.deepEqual(await run('Math.floor(2.7)'), double(2));
    assert.deepEqual(await run('Math.round(3.14159, 2)'), double(3.14));
    assert.deepEqual(await run('Math.PI'), double(Math.PI));
  });
  it('errors carry Fauna codes', async () => {
    await assert.rejects(run('Time("2023-01-01T00:00:00Z").add(1, "fortnight")'), (e: unknown) =>
      e instanceof QueryError && e.code === 'invalid_unit' && e.message === '`fortnight` is not a valid time unit.');
    await assert.rejects(run('"abc".at(5)'), (e: unknown) =>
      e instanceof QueryError && e.code === 'index_out_of_bounds');
  });
});
