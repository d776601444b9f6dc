// An in-process query service on a fresh SQLite store (no HTTP): runs FQL as a given secret
// and returns the outcome with the result in Fauna's simple JSON format.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RootKeyChecker } from '../../src/auth/root-key';
import { parseSecret } from '../../src/auth/secret-parse';
import { createQueryService } from '../../src/exec/run-query';
import { wireRuntime } from '../../src/exec/wiring';
import type { KvEngine } from '../../src/storage/kv';
import { openSqlite } from '../../src/storage/sqlite/engine';
import { encodeSimple } from '../../src/wire/encode-simple';

export const ROOT = 'secret';

export type Outcome =
  | { readonly ok: true; readonly data: any }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

export interface TestService {
  readonly engine: KvEngine;
  /** Run `source` as `secret`; the result in the simple format, or the error's code. */
  run(secret: string, source: string): Promise<Outcome>;
  /** Run as `secret` and return the data, failing the test on an error. */
  data(secret: string, source: string): Promise<any>;
  close(): Promise<void>;
}

export async function newService(): Promise<TestService> {
  const dir = mkdtempSync(join(tmpdir(), 'fql-auth-'));
  const engine = await openSqlite(dir);
  const root = new RootKeyChecker({ secrets: [ROOT], hashes: [] });
  // What createQueryHandlers does for the server: the standard libraries and the model's hooks.
  wireRuntime();
  const service = createQueryService({ engine, isRoot: (c) => root.isRoot(c.secret) });
  const run = async (secret: string, source: string): Promise<Outcome> => {
    const credentials = parseSecret(secret);
    if (!credentials) return { ok: false, status: 401, code: 'unauthorized', message: 'unparsable secret' };
    const out = await service.run({
      source, templateValues: [], arguments: new Map(), credentials,
      deadline: performance.now() + 30_000, timeoutMs: 30_000, maxContentionRetries: 10,
    });
    switch (out.kind) {
      case 'ok': return { ok: true, data: JSON.parse(encodeSimple(out.data)) };
      case 'queryError': return { ok: false, status: 400, code: out.error.code, message: out.error.message };
      case 'protocolError': return { ok: false, status: out.status, code: out.code, message: out.message };
    }
  };
  return {
    engine,
    run,
    async data(secret, source) {
      const r = await run(secret, source);
      if (!r.ok) throw new Error(`query failed (${r.status} ${r.code}: ${r.message}): ${source}`);
      return r.data;
    },
    async close() {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
