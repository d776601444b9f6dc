// Acknowledged writes survive restarts and SIGKILL (the server is killed mid-load at random
// moments; every document the driver saw acknowledged must be there, intact, afterwards).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fql } from 'fauna';
import { startServer, TestServer } from '../helpers/server';

describe('durability', () => {
  it('keeps data across a graceful restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fql-restart-'));
    let s: TestServer | undefined;
    try {
      s = await startServer({ dataDir });
      await s.client().query(fql`Collection.create({ name: "Keep" })`);
      const doc = await s.client().query<any>(fql`Keep.create({ v: "kept" })`);
      const storage = s.storage;
      await s.stop();
      s = await startServer({ dataDir, storage });
      const res = await s.client().query<any>(fql`Keep.byId(${doc.data.id})`);
      assert.equal(res.data.v, 'kept');
    } finally {
      await s?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('loses no acknowledged create when killed with SIGKILL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'fql-crash-'));
    let s: TestServer | undefined;
    try {
      s = await startServer({ dataDir });
      const storage = s.storage;
      await s.client().query(fql`Collection.create({ name: "Crash" })`);
      const acked: { id: string; n: number }[] = [];
      for (let round = 0; round < 3; round++) {
        const client = s.client();
        let stop = false;
        const writers = Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; !stop; i++) {
            const n = round * 1_000_000 + w * 100_000 + i;
            try {
              const r = await client.query<any>(fql`Crash.create({ n: ${n}, payload: ${'x'.repeat(200)} })`);
              acked.push({ id: r.data.id, n });
            } catch {
              return; // the server went away
            }
          }
        });
        // Kill at a random moment once this round has had some acknowledged writes (a loaded
        // machine may take a while to acknowledge the first ones).
        const before = acked.length;
        const waitUntil = Date.now() + 10_000;
        while (acked.length < before + 10 && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, Math.random() * 300));
        await s.kill();
        stop = true;
        await Promise.all(writers);
        s = await startServer({ dataDir, storage });
      }
      assert.ok(acked.length > 10, `only ${acked.length} writes were acknowledged`);
      const client = s.client();
      for (let i = 0; i < acked.length; i += 200) {
        const batch = acked.slice(i, i + 200);
        const res = await client.query<any>(fql`${batch.map((a) => a.id)}.map(id => Crash.byId(id)) { n, payload }`);
        res.data.forEach((d: any, j: number) => {
          assert.ok(d, `acknowledged document ${batch[j].id} is missing`);
          assert.equal(d.n, batch[j].n);
          assert.equal(d.payload, 'x'.repeat(200));
        });
      }
    } finally {
      await s?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
