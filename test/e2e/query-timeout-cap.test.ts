// --max-query-timeout-ms (src/server/timeout-cap.ts): an operator's bound on how long a query
// runs, and so how long its storage snapshot stays open (on PostgreSQL an open snapshot holds
// back VACUUM of the commit protocol's tables; README "PostgreSQL"). A client asking for more
// runs with the cap, and is told the cap in Fauna's timeout error (440 "Client set aggressive
// deadline: query needs …, timed out within <timeout>", the form core gives a short deadline).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fql, QueryTimeoutError, type Client } from 'fauna';
import { startServer, type TestServer } from '../helpers/server';

describe('--max-query-timeout-ms', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startServer({ args: ['--max-query-timeout-ms', '400'] });
    client = server.client();
  });
  after(async () => {
    await server?.dispose();
  });

  // A computation that runs far past any deadline: each element costs compute.
  const endless = fql`Set.sequence(0, 1000000000).reduce((a, b) => a + b)`;

  for (const [label, options] of [
    ['a client asking for 10 minutes', { query_timeout_ms: 600_000 }],
    ['a client asking for nothing (2 minutes by default)', {}],
  ] as const) {
    it(`${label} runs with the cap`, async () => {
      const started = Date.now();
      await assert.rejects(client.query(endless, options), (e: unknown) => {
        assert.ok(e instanceof QueryTimeoutError, String(e));
        assert.equal(e.code, 'time_out');
        // src/exec/timeouts.ts: 440 when answered within a second of arrival, else 503 "Read
        // timed out" (a loaded machine answered a query stopped at 400 ms after 1,156 ms).
        if (e.httpStatus === 503) {
          assert.ok(Date.now() - started >= 1000, `503 after ${Date.now() - started} ms`);
          assert.equal(e.message, 'Read timed out');
          return true;
        }
        assert.equal(e.httpStatus, 440);
        assert.match(e.message, /^Client set aggressive deadline: query needs \d+, timed out within 400$/);
        return true;
      });
      assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
    });
  }

  it('a shorter timeout is kept, and queries within the cap answer', async () => {
    // The tests above end with workers terminated at the cap: the replacement's first query
    // (a fresh isolate, on PostgreSQL fresh connections) took 101 ms on a loaded machine, so it
    // runs unbounded first, and the bounded one gets 300 ms, still under the 400 ms cap.
    assert.equal((await client.query(fql`1 + 1`)).data, 2);
    const r = await client.query(fql`1 + 1`, { query_timeout_ms: 300 });
    assert.equal(r.data, 2);
    await assert.rejects(client.query(endless, { query_timeout_ms: 150 }), (e: unknown) => {
      assert.ok(e instanceof QueryTimeoutError);
      assert.match(e.message, /timed out within 150$/);
      return true;
    });
  });

  it('a header past Fauna\'s maximum is still refused as Fauna refuses it', async () => {
    const res = await fetch(`${server.url}/query/1`, {
      method: 'POST',
      headers: { authorization: 'Bearer secret', 'content-type': 'application/json', 'x-query-timeout-ms': '600001' },
      body: JSON.stringify({ query: '1' }),
    });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'invalid_request');
    assert.equal(body.error.message, "Invalid header 'x-query-timeout-ms': Must be less than or equal to 600000.");
  });
});
