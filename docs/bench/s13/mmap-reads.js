// Point reads on a WAL database through a second (read-only) connection, with and without a
// write committed between them, and with and without mmap (MMAP=0). Run from the repository root:
//   node docs/bench/s13/mmap-reads.js; MMAP=0 node docs/bench/s13/mmap-reads.js
// Session 13 on the 2-core VM: ~280 µs per two reads after a write with a 256 MiB mapping, ~45 µs
// without; 20–23 µs both ways with no write between (findings.md).
const Database = require('better-sqlite3');
const fs = require('fs');
const file = require('path').join(require('os').tmpdir(), 'fql-mmap-reads.db'); for (const s of ['', '-wal', '-shm']) try { fs.unlinkSync(file + s); } catch {}
const w = new Database(file); w.pragma('journal_mode = WAL'); w.pragma('synchronous = ' + (process.env.SYNC || 'NORMAL'));
w.exec('CREATE TABLE kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
const put = w.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)');
const rnd = (n) => require('crypto').randomBytes(n);
w.transaction(() => { for (let i = 0; i < 50000; i++) put.run(rnd(16), rnd(200)); })();
const key = Buffer.from('schema-version-key');
put.run(key, rnd(8));
const r = new Database(file, { readonly: true });
r.pragma('cache_size = ' + (process.env.CACHE || '-32768')); r.pragma('mmap_size = ' + (process.env.MMAP || '268435456'));
const get = r.prepare('SELECT value FROM kv WHERE key = ?').pluck();
const N = 5000;
function bench(label, writeEach) {
  let tr = 0;
  for (let i = 0; i < N; i++) {
    if (writeEach) w.transaction(() => { put.run(rnd(16), rnd(200)); put.run(rnd(16), rnd(200)); })();
    const t0 = process.hrtime.bigint(); get.get(key); get.get(rnd(16)); tr += Number(process.hrtime.bigint() - t0);
  }
  console.log(label, (tr / N / 1000).toFixed(1), 'us per 2 reads');
}
bench('no writes', false); bench('write between', true); bench('no writes', false); bench('write between', true);
r.close(); w.close();
for (const s of ['', '-wal', '-shm']) try { fs.unlinkSync(file + s); } catch {}
