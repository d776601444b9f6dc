#!/usr/bin/env node
// `npm run export -- --out DIR [--data D | --storage URL]`: writes the whole store as a dump
// (format: dump-format.ts), read in one read-only transaction so the dump is one consistent
// snapshot, in batches so that memory stays flat however large the store is.
//
// SQLite: the server must be stopped (it holds the data file exclusively). PostgreSQL: servers
// may keep running; the dump is the state as of one moment.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import type { KvEngine } from '../storage/kv';
import { openStorage, type StorageSpec } from '../storage/open';
import { sqliteDataFile } from '../storage/sqlite/engine';
import { describeStorage, parseArgs, runTool, storageSpec, UsageError } from './cli-args';
import {
  CHUNK_MAX_BYTES, CHUNK_MAX_PAIRS, DUMP_FORMAT, DUMP_VERSION, DumpDigest, MANIFEST_FILE, chunkFileName, encodePairLine,
  type ChunkEntry, type DumpManifest,
} from './dump-format';
import { keyspaceBatches } from './keyspace-scan';

const USAGE = `usage: npm run export -- --out DIR [--data DIR | --storage postgres://...]

Writes the whole store (schema, documents with their history, keys' and credentials' hashes)
to DIR, which must be empty or absent. Without --data/--storage: DATABASE_URL, else
FAUNA_DATA_DIR, else ./data. Stop a server on a SQLite data directory first.
`;

/** Text is written to the file in pieces of about this size. */
const WRITE_BUFFER_CHARS = 1 << 20;

/** A dump holds key and credential hashes: its files are the owner's only. */
const DUMP_FILE_MODE = 0o600;

/** One chunk file being written: pairs, text size and checksum so far. */
class ChunkWriter {
  readonly file: string;
  pairs = 0;
  bytes = 0;
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(dir: string, index: number) {
    this.file = chunkFileName(index);
    this.fd = fs.openSync(path.join(dir, this.file), 'wx', DUMP_FILE_MODE);
  }

  write(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    this.pairs++;
    this.bytes += line.length; // lines are ASCII
    if (this.pendingChars >= WRITE_BUFFER_CHARS) this.flush();
  }

  close(): ChunkEntry {
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    return { file: this.file, pairs: this.pairs, sha256: this.hash.digest('hex') };
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.hash.update(text);
    fs.writeSync(this.fd, text);
    this.pending = [];
    this.pendingChars = 0;
  }
}

function prepareOutDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (fs.readdirSync(dir).length > 0) throw new Error(`output directory ${dir} is not empty`);
}

/** Writes the manifest last and atomically: its presence marks a complete dump. */
function writeManifest(dir: string, manifest: DumpManifest): void {
  const tmp = path.join(dir, `${MANIFEST_FILE}.tmp`);
  const fd = fs.openSync(tmp, 'w', DUMP_FILE_MODE);
  fs.writeSync(fd, JSON.stringify(manifest, null, 2) + '\n');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, path.join(dir, MANIFEST_FILE));
}

/** Dumps every pair of `engine` into `dir` (which must be empty or absent). */
export async function exportEngine(engine: KvEngine, dir: string): Promise<DumpManifest> {
  prepareOutDir(dir);
  const txn = await engine.begin({ readOnly: true, longSnapshot: true });
  try {
    const digest = new DumpDigest();
    const chunks: ChunkEntry[] = [];
    let chunk: ChunkWriter | undefined;
    for await (const rows of keyspaceBatches(txn)) {
      for (const { key, value } of rows) {
        digest.add(key, value);
        const line = encodePairLine(key, value);
        if (chunk !== undefined && (chunk.pairs >= CHUNK_MAX_PAIRS || chunk.bytes + line.length > CHUNK_MAX_BYTES)) {
          chunks.push(chunk.close());
          chunk = undefined;
        }
        chunk ??= new ChunkWriter(dir, chunks.length);
        chunk.write(line);
      }
    }
    if (chunk !== undefined) chunks.push(chunk.close());
    // A read-only commit still validates: a conflict means the snapshot was not consistent.
    await txn.commit();
    const manifest: DumpManifest = {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      createdAt: new Date().toISOString(),
      source: { engine: engine.kind },
      snapshotTs: txn.ts.toString(),
      pairs: digest.pairs,
      sha256: digest.hex(),
      chunks,
    };
    writeManifest(dir, manifest);
    return manifest;
  } finally {
    await txn.rollback();
  }
}

/** Opens the store, dumps it into `dir`, closes it. */
export async function exportStore(spec: StorageSpec, dir: string): Promise<DumpManifest> {
  // Opening a missing data directory would create an empty store and export nothing.
  if ('dataDir' in spec && !fs.existsSync(sqliteDataFile(spec.dataDir))) {
    throw new Error(`no database in ${spec.dataDir}`);
  }
  const engine = await openStorage(spec);
  try {
    return await exportEngine(engine, dir);
  } finally {
    await engine.close();
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['out', 'data', 'storage'], ['help']);
  if (args.flags.has('help')) {
    process.stdout.write(USAGE);
    return;
  }
  const out = args.values.get('out');
  if (out === undefined) throw new UsageError('--out is required');
  const spec = storageSpec(args, process.env);
  const m = await exportStore(spec, out);
  process.stdout.write(
    `exported ${m.pairs} key/value pairs in ${m.chunks.length} chunks from ${describeStorage(spec)} to ${out} ` +
    `(snapshot ts ${m.snapshotTs}, sha256 ${m.sha256})\n`,
  );
}

if (require.main === module) runTool(USAGE, main);
