// `npm run export` / `npm run import` end to end: data made through the driver (schema with an
// index and a unique constraint, documents with several versions and a deletion, a function, a
// key and a credential) is exported from a stopped server's store, imported into PostgreSQL
// (when FQL_TEST_PG is set) and into a fresh SQLite directory, and servers on the copies must
// answer the same queries and `at()` reads, accept the key's secret and the password, and give
// new writes timestamps after the imported ones. Exporting a copy again gives the same digest:
// the round trip loses nothing. Also: refusals (non-empty target, corrupt chunk, bad arguments).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client, ServiceError, fql, type Query, type QueryValue } from 'fauna';
import { freshPgDatabase, startServer, type StartOptions, type TestServer } from '../helpers/server';

const TOOLS = resolve(__dirname, '..', '..', 'src', 'tools');
const PG = process.env.FQL_TEST_PG;

/** Where a store lives: one of these goes to the tools and to startServer. */
type Store = { readonly dataDir: string } | { readonly storage: string };

function storeArgs(store: Store): string[] {
  return 'dataDir' in store ? ['--data', store.dataDir] : ['--storage', store.storage];
}

function tool(name: 'export' | 'import', args: readonly string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(TOOLS, `${name}.js`), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: { status: number; stdout: string; stderr: string }): string {
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/**
 * A server on `store`. startServer picks a fresh PostgreSQL database in the PostgreSQL pass
 * unless given a storage URL; a SQLite store must then be requested by switching that off.
 */
async function serve(store: Store): Promise<TestServer> {
  const opts: StartOptions = 'dataDir' in store ? { dataDir: store.dataDir } : { dataDir: scratch('data'), storage: store.storage };
  if ('storage' in store) return startServer(opts);
  const saved = process.env.FQL_TEST_STORAGE;
  delete process.env.FQL_TEST_STORAGE;
  try {
    return await startServer(opts);
  } finally {
    if (saved !== undefined) process.env.FQL_TEST_STORAGE = saved;
  }
}

const dirs: string[] = [];
function scratch(label: string): string {
  const d = mkdtempSync(join(tmpdir(), `fql-dump-${label}-`));
  dirs.push(d);
  return d;
}

async function data<T>(client: Client, q: Query<QueryValue>): Promise<T> {
  return (await client.query(q)).data as T;
}

/** What the copies must answer exactly as the source did. */
interface Observed {
  readonly people: unknown;
  readonly byEmail: unknown;
  readonly pastVersions: unknown;
  readonly deletedInPast: unknown;
  readonly schema: unknown;
  readonly functionResult: unknown;
}

describe('export and import', () => {
  let source: TestServer;
  let sourceStore: Store;
  let expected: Observed;
  let keySecret: string;
  let personId: string;
  let latestTs: string;
  const versionTimes: string[] = [];
  let deletedId: string;
  let deletedWhileAlive: string;
  let dump: string;
  let sourceDigest: string;

  async function observe(client: Client): Promise<Observed> {
    return {
      people: await data(client, fql`Person.all().toArray().map(p => { id: p.id, email: p.email, n: p.n, ts: p.ts.toString() })`),
      byEmail: await data(client, fql`Person.byEmail("ada@example.com").toArray().map(p => p.n)`),
      pastVersions: await Promise.all(versionTimes.map((t) =>
        data(client, fql`at (Time(${t})) { Person.byId(${personId})!.n }`))),
      deletedInPast: await data(client, fql`[at (Time(${deletedWhileAlive})) { Person.byId(${deletedId})?.email }, Person.byId(${deletedId}).exists()]`),
      schema: await data(client, fql`Collection.byName("Person") { name, indexes, constraints, history_days }`),
      functionResult: await data(client, fql`double(21)`),
    };
  }

  before(async () => {
    source = await startServer();
    sourceStore = source.storage !== undefined ? { storage: source.storage } : { dataDir: source.dataDir };
    const c = source.client();
    await c.query(fql`Collection.create({
      name: "Person",
      history_days: 30,
      indexes: { byEmail: { terms: [{ field: ".email" }], values: [{ field: ".n" }] } },
      constraints: [{ unique: ["email"] }]
    })`);
    await c.query(fql`Function.create({ name: "double", body: "x => x * 2" })`);
    personId = (await data<{ id: string }>(c, fql`Person.create({ email: "ada@example.com", n: 0 })`)).id;
    for (let n = 1; n <= 3; n++) {
      // The time right after each version: at() reads there must show that version.
      versionTimes.push((await c.query(fql`Person.byId(${personId})!.update({ n: ${n} }); Time.now().toString()`)).data as string);
    }
    const gone = await data<{ id: string }>(c, fql`Person.create({ email: "gone@example.com", n: 9 })`);
    deletedId = gone.id;
    deletedWhileAlive = await data<string>(c, fql`Time.now().toString()`);
    await c.query(fql`Person.byId(${deletedId})!.delete()`);
    for (let i = 0; i < 30; i++) await c.query(fql`Person.create({ email: ${`p${i}@example.com`}, n: ${i} })`);
    keySecret = (await data<{ secret: string }>(c, fql`Key.create({ role: "server" })`)).secret;
    await c.query(fql`Credential.create({ document: Person.byId(${personId}), password: "sesame" })`);
    expected = await observe(c);
    latestTs = await data<string>(c, fql`Person.byId(${personId})!.ts.toString()`);
    await source.stop();

    dump = join(scratch('out'), 'dump');
    const out = ok(tool('export', ['--out', dump, ...storeArgs(sourceStore)]));
    assert.match(out, /^exported \d+ key\/value pairs in 1 chunks/);
    sourceDigest = JSON.parse(readFileSync(join(dump, 'manifest.json'), 'utf8')).sha256;
  });

  after(async () => {
    await source?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('writes a versioned manifest whose counts match the chunks', () => {
    const m = JSON.parse(readFileSync(join(dump, 'manifest.json'), 'utf8'));
    assert.equal(m.format, 'fql-server-dump');
    assert.equal(m.version, 1);
    assert.equal(m.source.engine, 'dataDir' in sourceStore ? 'sqlite' : 'postgres');
    assert.ok(BigInt(m.snapshotTs) > 0n);
    assert.equal(m.chunks.length, 1);
    const lines = readFileSync(join(dump, m.chunks[0].file), 'utf8').trimEnd().split('\n');
    assert.equal(lines.length, m.pairs);
    assert.ok(m.pairs > 60, `only ${m.pairs} pairs`);
    assert.deepEqual(Object.keys(JSON.parse(lines[0])), ['k', 'v']);
  });

  async function checkCopy(target: Store): Promise<void> {
    const out = ok(tool('import', ['--in', dump, ...storeArgs(target)]));
    assert.match(out, /verified/);
    const server = await serve(target);
    try {
      const root = server.client();
      assert.deepEqual(await observe(root), expected);

      // The key's secret (only its hash was copied) still authenticates, with its role.
      const keyClient = server.client({ secret: keySecret });
      assert.equal(await data(keyClient, fql`Person.byId(${personId})!.n`), 3);

      // So does the password (a bcrypt hash): login issues a token that authenticates.
      const token = await data<{ secret: string }>(root, fql`Credential.byDocument(Person.byId(${personId}))!.login("sesame")`);
      assert.equal(await data(server.client({ secret: token.secret }), fql`1 + 1`), 2);
      await assert.rejects(root.query(fql`Credential.byDocument(Person.byId(${personId}))!.login("wrong")`),
        (e: unknown) => e instanceof ServiceError && e.code === 'invalid_secret' && e.message === 'Provided secret did not match.');

      // The unique constraint's entries came along.
      await assert.rejects(root.query(fql`Person.create({ email: "p3@example.com" })`),
        (e: unknown) => e instanceof ServiceError && e.code === 'constraint_failure');

      // New versions come after the imported ones; old versions stay readable.
      const updated = await root.query(fql`Person.byId(${personId})!.update({ n: 4 }).ts.toString()`);
      assert.ok(new Date(updated.data as string) > new Date(latestTs));
      assert.ok(BigInt(updated.txn_ts!) > BigInt(JSON.parse(readFileSync(join(dump, 'manifest.json'), 'utf8')).snapshotTs));
      assert.equal(await data(root, fql`at (Time(${versionTimes[0]})) { Person.byId(${personId})!.n }`), 1);
    } finally {
      await server.stop();
    }
  }

  it('imports into a fresh SQLite directory and serves the same data', async () => {
    await checkCopy({ dataDir: scratch('sqlite') });
  });

  it('imports into PostgreSQL and serves the same data', { skip: PG ? false : 'FQL_TEST_PG is not set' }, async () => {
    await checkCopy({ storage: await freshPgDatabase(PG!) });
  });

  it('round-trips through PostgreSQL and back to SQLite without losing anything', { skip: PG ? false : 'FQL_TEST_PG is not set' }, async () => {
    const pg: Store = { storage: await freshPgDatabase(PG!) };
    ok(tool('import', ['--in', dump, ...storeArgs(pg)]));
    const again = join(scratch('again'), 'dump');
    ok(tool('export', ['--out', again, ...storeArgs(pg)]));
    const sqlite: Store = { dataDir: scratch('back') };
    ok(tool('import', ['--in', again, ...storeArgs(sqlite)]));
    const last = join(scratch('last'), 'dump');
    ok(tool('export', ['--out', last, ...storeArgs(sqlite)]));
    for (const d of [again, last]) {
      assert.equal(JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')).sha256, sourceDigest);
    }
    const server = await serve(sqlite);
    try {
      assert.deepEqual(await observe(server.client()), expected);
    } finally {
      await server.stop();
    }
  });

  it('refuses a non-empty target unless --force, then replaces its contents', async () => {
    const target: Store = { dataDir: scratch('force') };
    const server = await serve(target);
    await server.client().query(fql`Collection.create({ name: "Other" })`);
    await server.stop();
    const refused = tool('import', ['--in', dump, ...storeArgs(target)]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /the target store is not empty \(use --force to replace its contents\)/);
    ok(tool('import', ['--in', dump, '--force', ...storeArgs(target)]));
    const again = join(scratch('forced'), 'dump');
    ok(tool('export', ['--out', again, ...storeArgs(target)]));
    assert.equal(JSON.parse(readFileSync(join(again, 'manifest.json'), 'utf8')).sha256, sourceDigest);
  });

  it('refuses bad arguments, a missing source and a non-empty output directory', () => {
    const usage = tool('export', ['--data', scratch('x')]);
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /--out is required/);
    const missing = tool('export', ['--out', join(scratch('y'), 'd'), '--data', join(scratch('z'), 'nothing')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no database in /);
    const busy = tool('export', ['--out', dump, ...storeArgs(sourceStore)]);
    assert.equal(busy.status, 1);
    assert.match(busy.stderr, /output directory .* is not empty/);
  });
});

describe('import of a corrupt dump', () => {
  it('fails on the checksum and leaves the target empty', async () => {
    const work = mkdtempSync(join(tmpdir(), 'fql-dump-corrupt-'));
    try {
      const src: Store = { dataDir: join(work, 'src') };
      const server = await serve(src);
      await server.client().query(fql`Collection.create({ name: "Thing" }); Thing.create({ a: "abcdef" })`);
      await server.stop();
      const dumpDir = join(work, 'dump');
      ok(tool('export', ['--out', dumpDir, ...storeArgs(src)]));
      const chunk = join(dumpDir, 'chunk-000000.ndjson');
      const text = readFileSync(chunk, 'utf8');
      writeFileSync(chunk, text.replace(/"v":"(.)/, (_m, c: string) => `"v":"${c === 'A' ? 'B' : 'A'}`));
      const target: Store = { dataDir: join(work, 'target') };
      const r = tool('import', ['--in', dumpDir, ...storeArgs(target)]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /chunk chunk-000000\.ndjson is corrupt \(checksum mismatch\)/);
      // Nothing was written: a plain import still works afterwards.
      writeFileSync(chunk, text);
      ok(tool('import', ['--in', dumpDir, ...storeArgs(target)]));
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
