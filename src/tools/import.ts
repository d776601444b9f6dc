#!/usr/bin/env node
// `npm run import -- --in DIR [--data D | --storage URL] [--force]`: loads a dump written by
// `npm run export` into a store, on either engine.
//
// Steps: check the manifest and every chunk's checksum before touching the target; refuse a
// non-empty target unless --force (which empties it first); write the pairs in batches of one
// transaction each, checking order and the dump's overall digest; read the whole target back and
// compare count and digest with the manifest; finally raise the target's clock above the dump's
// snapshot ts, so new writes get timestamps after every imported version.
//
// The import is not one transaction: if it fails midway the target holds part of the dump;
// rerun with --force. No server may use the target meanwhile.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { KvConflictError, type KvEngine, type KvTxn } from '../storage/kv';
import { compareBytes } from '../storage/bytes';
import { openStorage, raiseClockFloor, type StorageSpec } from '../storage/open';
import { describeStorage, parseArgs, runTool, storageSpec, UsageError } from './cli-args';
import {
  BATCH_PAIRS, DumpDigest, KEYSPACE_END, KEYSPACE_START, MANIFEST_FILE, checkManifest, decodePairLine,
  type ChunkEntry, type DumpManifest,
} from './dump-format';
import { keyspaceBatches } from './keyspace-scan';

const USAGE = `usage: npm run import -- --in DIR [--data DIR | --storage postgres://...] [--force]

Loads a dump written by \`npm run export\` into the store, which must be empty unless --force
is given (then its current contents are deleted first). Without --data/--storage:
DATABASE_URL, else FAUNA_DATA_DIR, else ./data. Stop servers on the target first.
`;

const CONFLICT_RETRIES = 5;

export interface ImportOptions {
  /** Replace the contents of a non-empty target. */
  readonly force?: boolean;
}

export function readManifest(dir: string): DumpManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: not a dump, or an unfinished one`);
  return checkManifest(JSON.parse(fs.readFileSync(file, 'utf8')));
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of fs.createReadStream(file)) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** Every chunk file is present and intact, before anything is written. */
async function verifyChunkFiles(dir: string, manifest: DumpManifest): Promise<void> {
  const total = manifest.chunks.reduce((n, c) => n + c.pairs, 0);
  if (total !== manifest.pairs) throw new Error(`manifest chunks hold ${total} pairs, manifest says ${manifest.pairs}`);
  for (const c of manifest.chunks) {
    const file = path.join(dir, c.file);
    if (!fs.existsSync(file)) throw new Error(`chunk ${c.file} is missing`);
    if ((await sha256OfFile(file)) !== c.sha256) throw new Error(`chunk ${c.file} is corrupt (checksum mismatch)`);
  }
}

/** Runs `body` in a read-write transaction, retrying serialization conflicts. */
async function writeTxn(engine: KvEngine, body: (txn: KvTxn) => Promise<void> | void): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const txn = await engine.begin({ longSnapshot: true });
    try {
      await body(txn);
      await txn.commit();
      return;
    } catch (err) {
      await txn.rollback();
      if (!(err instanceof KvConflictError) || attempt >= CONFLICT_RETRIES) throw err;
    }
  }
}

async function isEmpty(engine: KvEngine): Promise<boolean> {
  const txn = await engine.begin({ readOnly: true, longSnapshot: true });
  try {
    return (await txn.scan({ start: KEYSPACE_START, end: KEYSPACE_END, limit: 1 })).length === 0;
  } finally {
    await txn.rollback();
  }
}

async function deleteEverything(engine: KvEngine): Promise<void> {
  for (let more = true; more;) {
    await writeTxn(engine, async (txn) => {
      const rows = await txn.scan({ start: KEYSPACE_START, end: KEYSPACE_END, limit: BATCH_PAIRS });
      for (const r of rows) txn.delete(r.key);
      more = rows.length === BATCH_PAIRS;
    });
  }
}

/** Parses one chunk (bounded in size by the exporter), checking its checksum and pair count. */
function readChunk(dir: string, chunk: ChunkEntry): { key: Buffer; value: Buffer }[] {
  const bytes = fs.readFileSync(path.join(dir, chunk.file));
  if (createHash('sha256').update(bytes).digest('hex') !== chunk.sha256) {
    throw new Error(`chunk ${chunk.file} changed during the import (checksum mismatch)`);
  }
  const lines = bytes.toString('utf8').split('\n');
  if (lines.pop() !== '') throw new Error(`chunk ${chunk.file} does not end with a newline`);
  if (lines.length !== chunk.pairs) throw new Error(`chunk ${chunk.file} holds ${lines.length} pairs, manifest says ${chunk.pairs}`);
  return lines.map((line, i) => {
    try {
      return decodePairLine(line);
    } catch (err) {
      throw new Error(`chunk ${chunk.file} line ${i + 1}: ${(err as Error).message}`);
    }
  });
}

async function writePairs(engine: KvEngine, dir: string, manifest: DumpManifest): Promise<void> {
  const digest = new DumpDigest();
  let previous: Buffer | undefined;
  for (const chunk of manifest.chunks) {
    const pairs = readChunk(dir, chunk);
    for (const { key, value } of pairs) {
      if (previous !== undefined && compareBytes(previous, key) >= 0) {
        throw new Error(`chunk ${chunk.file}: keys are not in strictly ascending order`);
      }
      previous = key;
      digest.add(key, value);
    }
    for (let i = 0; i < pairs.length; i += BATCH_PAIRS) {
      const batch = pairs.slice(i, i + BATCH_PAIRS);
      await writeTxn(engine, (txn) => {
        for (const { key, value } of batch) txn.put(key, value);
      });
    }
  }
  if (digest.pairs !== manifest.pairs || digest.hex() !== manifest.sha256) {
    throw new Error('the dump does not match its manifest digest');
  }
}

/** Reads the whole store back and compares it with the manifest. */
async function verifyTarget(engine: KvEngine, manifest: DumpManifest): Promise<void> {
  const digest = new DumpDigest();
  const txn = await engine.begin({ readOnly: true, longSnapshot: true });
  try {
    for await (const rows of keyspaceBatches(txn)) {
      for (const r of rows) digest.add(r.key, r.value);
    }
  } finally {
    await txn.rollback();
  }
  if (digest.pairs !== manifest.pairs) {
    throw new Error(`verification failed: the target holds ${digest.pairs} pairs, the dump ${manifest.pairs}`);
  }
  if (digest.hex() !== manifest.sha256) throw new Error('verification failed: the target differs from the dump');
}

/** Loads the dump in `dir` into the store `spec`, which this function opens and closes. */
export async function importStore(spec: StorageSpec, dir: string, opts: ImportOptions = {}): Promise<DumpManifest> {
  const manifest = readManifest(dir);
  await verifyChunkFiles(dir, manifest);
  const engine = await openStorage(spec);
  try {
    if (!(await isEmpty(engine))) {
      if (opts.force !== true) throw new Error('the target store is not empty (use --force to replace its contents)');
      await deleteEverything(engine);
    }
    await writePairs(engine, dir, manifest);
    await verifyTarget(engine, manifest);
  } finally {
    await engine.close();
  }
  await raiseClockFloor(spec, BigInt(manifest.snapshotTs));
  return manifest;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['in', 'data', 'storage'], ['force', 'help']);
  if (args.flags.has('help')) {
    process.stdout.write(USAGE);
    return;
  }
  const dir = args.values.get('in');
  if (dir === undefined) throw new UsageError('--in is required');
  const spec = storageSpec(args, process.env);
  const m = await importStore(spec, dir, { force: args.flags.has('force') });
  process.stdout.write(
    `imported ${m.pairs} key/value pairs from ${dir} (${m.source.engine} dump) into ${describeStorage(spec)}; verified\n`,
  );
}

if (require.main === module) runTool(USAGE, main);
