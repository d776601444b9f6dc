// Index workloads for `npm run bench`: an indexed lookup in a 100,000-document collection
// next to the same lookup done directly on SQLite (an indexed column) in the same run, and
// 16-document pages of an index scan near its start, near its end and through a cursor deep
// into it (the cost of a page should not depend on where it is).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { fql } from 'fauna';
import { startServer } from '../test/helpers/server';
import { benchEmail, INSERT_BATCH, measure, pick, type Measurement } from './harness';

export interface IndexBenchOptions {
  readonly seconds: number;
  readonly concurrency: number;
  /** PostgreSQL URL to run the server on instead of SQLite. */
  readonly storage?: string;
  /** Collection size (default 100,000). */
  readonly docs?: number;
}



async function serverIndexWorkloads(o: IndexBenchOptions, n: number): Promise<Measurement[]> {
  const server = await startServer(o.storage ? { storage: o.storage } : {});
  try {
    const client = server.client({ format: 'tagged' });
    await client.query(fql`Collection.create({
      name: "BenchAccount",
      indexes: {
        byEmail: { terms: [{ field: ".email" }] },
        byN: { values: [{ field: ".n" }] }
      }
    })`);
    for (let from = 0; from < n; from += INSERT_BATCH) {
      const to = Math.min(from + INSERT_BATCH, n);
      await client.query(fql`Set.sequence(${from}, ${to}).forEach(i =>
        BenchAccount.create({ email: "user" + i.toString() + "@example.com", n: i, name: "bench" }))`);
    }
    const deep = await client.query<{ after?: string }>(fql`BenchAccount.byN({ from: ${n - 1000} }).paginate(16)`);
    const cursor = deep.data.after!;
    return [
      await measure(`server: index lookup (${n} docs)`, o.concurrency, o.seconds, (_w, i) =>
        client.query(fql`BenchAccount.byEmail(${benchEmail(pick(i, n))}).first()`)),
      await measure(`server: index lookup (${n} docs, 1 client)`, 1, o.seconds, (_w, i) =>
        client.query(fql`BenchAccount.byEmail(${benchEmail(pick(i, n))}).first()`)),
      await measure('server: index page near start', o.concurrency, o.seconds, (_w, i) =>
        client.query(fql`BenchAccount.byN({ from: ${pick(i, 1000)} }).paginate(16)`)),
      await measure('server: index page near end', o.concurrency, o.seconds, (_w, i) =>
        client.query(fql`BenchAccount.byN({ from: ${n - 1000 + pick(i, 900)} }).paginate(16)`)),
      await measure('server: index page via deep cursor', o.concurrency, o.seconds, () =>
        client.query(fql`Set.paginate(${cursor})`)),
    ];
  } finally {
    await server.dispose();
  }
}

/** The same lookup on SQLite directly: a table with an indexed email column. */
async function sqliteIndexBaseline(o: IndexBenchOptions, n: number): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-bench-idx-'));
  try {
    const db = new Database(join(dir, 'baseline.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT NOT NULL, data TEXT NOT NULL)');
    db.exec('CREATE INDEX accounts_by_email ON accounts (email)');
    const add = db.prepare('INSERT INTO accounts (id, email, data) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 0; i < n; i++) add.run(i + 1, benchEmail(i), JSON.stringify({ email: benchEmail(i), n: i, name: 'bench' }));
    })();
    const get = db.prepare('SELECT data FROM accounts WHERE email = ?');
    const m = await measure(`sqlite: index lookup (${n} rows)`, o.concurrency, o.seconds, async (_w, i) =>
      JSON.parse((get.get(benchEmail(pick(i, n))) as { data: string }).data));
    db.close();
    return m;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the index workloads. Order of results: server lookup (16 clients), sqlite lookup,
 * server lookup (1 client), server pages (near start, near end, deep cursor).
 */
export async function indexWorkloads(opts: IndexBenchOptions): Promise<Measurement[]> {
  const n = opts.docs ?? 100_000;
  const [lookup, lookup1, ...pages] = await serverIndexWorkloads(opts, n);
  const baseline = await sqliteIndexBaseline(opts, n);
  return [lookup, baseline, lookup1, ...pages];
}
