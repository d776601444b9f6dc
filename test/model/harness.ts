// Runs FQL queries against a real SQLite engine through the query service (no HTTP), and
// counts the storage rows each query reads, for the model's cost tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvEngine, KvTxn } from '../../src/storage/kv';
import { openStorage } from '../../src/storage/open';
import { createQueryService } from '../../src/exec/run-query';
import { wireRuntime } from '../../src/exec/wiring';
import { ensureCursorKey } from '../../src/model/cursor-key';
import type { QueryOutcome } from '../../src/exec/query-service';
import type { MValue } from '../../src/wire/materialized';

export interface ModelHarness {
  /** Run a query; throws on failure. */
  query(source: string): Promise<MValue>;
  /** Run a query and return the raw outcome. */
  run(source: string): Promise<QueryOutcome>;
  /** The storage engine under the query service (for sweeps and raw key checks). */
  readonly engine: KvEngine;
  /** Storage rows read by the last committed or rolled back transaction. */
  lastRowsRead(): number;
  close(): Promise<void>;
}

/** An engine that remembers the last transaction it began, to read its stats. */
function observed(engine: KvEngine, onBegin: (t: KvTxn) => void): KvEngine {
  return {
    kind: engine.kind,
    async begin(opts) {
      const t = await engine.begin(opts);
      onBegin(t);
      return t;
    },
    close: () => engine.close(),
  };
}

export async function openHarness(): Promise<ModelHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-model-'));
  const engine = await openStorage({ dataDir: dir });
  // What the server does at start: set cursors carry authenticated snapshots.
  await ensureCursorKey(engine);
  // What createQueryHandlers does for the server: the standard libraries and the model's hooks.
  wireRuntime();
  let last: KvTxn | undefined;
  const service = createQueryService({ engine: observed(engine, (t) => { last = t; }), isRoot: async () => true });
  const run = (source: string) => service.run({
    source,
    templateValues: [],
    arguments: new Map(),
    credentials: { secret: 'secret', scopePath: [] },
    deadline: performance.now() + 30_000,
    timeoutMs: 30_000,
    maxContentionRetries: 5,
  });
  return {
    engine,
    run,
    async query(source) {
      const out = await run(source);
      if (out.kind !== 'ok') {
        throw new Error(out.kind === 'queryError' ? `${out.error.code}: ${out.summary}` : `${out.code}: ${out.message}`);
      }
      return out.data;
    },
    lastRowsRead: () => last?.stats.rowsRead ?? 0,
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plain JS for assertions: numbers, strings, arrays, objects; documents as `{ id, ...data }`. */
export function plain(m: MValue): unknown {
  switch (m.t) {
    case 'null': return null;
    case 'boolean': case 'int': case 'double': case 'string': return m.v;
    case 'long': return m.v;
    case 'array': return m.v.map(plain);
    case 'object': return Object.fromEntries([...m.v].map(([k, v]) => [k, plain(v)]));
    case 'doc': return { id: m.id, ...Object.fromEntries([...m.data].map(([k, v]) => [k, plain(v)])) };
    case 'named': return { name: m.name, ...Object.fromEntries([...m.data].map(([k, v]) => [k, plain(v)])) };
    case 'page': return { data: m.data.map(plain), after: m.after };
    case 'ref': return { ref: m.id };
    default: return m;
  }
}
