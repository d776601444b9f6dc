// The dump format of `npm run export` / `npm run import`: a whole store's keyspace, independent of
// the engine. The keyspace (src/model/keys.ts) already holds everything a database is: schema,
// documents with all their versions, index and unique entries, credentials' password hashes and
// keys' secret hashes. A dump is a directory:
//
//   manifest.json          written last; a directory without it is an unfinished dump
//   chunk-000000.ndjson    key/value pairs in ascending key order, one JSON object a line:
//   chunk-000001.ndjson    {"k":"<base64 key>","v":"<base64 value>"}
//   ...
//
// Version 1 manifest (DumpManifest below): the engine it came from, the ts of the snapshot
// (every version in the dump is older; an import raises the target's clock above it), the number
// of pairs, a SHA-256 over all pairs (DumpDigest) and, per chunk, its pair count and the SHA-256
// of the file. Readers refuse other formats and newer versions.
import { createHash, type Hash } from 'node:crypto';
import type { Bytes } from '../storage/kv';

export const DUMP_FORMAT = 'fql-server-dump';
export const DUMP_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** A chunk ends after this many pairs or this many bytes of text, whichever comes first. */
export const CHUNK_MAX_PAIRS = 10_000;
export const CHUNK_MAX_BYTES = 16 * 2 ** 20;

/** Pairs read (export) or written (import) per storage transaction. */
export const BATCH_PAIRS = 1000;

/** The whole keyspace: every key the model writes starts with a tuple type byte below 0xFF. */
export const KEYSPACE_START: Bytes = new Uint8Array(0);
export const KEYSPACE_END: Bytes = Uint8Array.of(0xff);

export interface ChunkEntry {
  readonly file: string;
  readonly pairs: number;
  /** SHA-256 of the file's bytes, hex. */
  readonly sha256: string;
}

export interface DumpManifest {
  readonly format: typeof DUMP_FORMAT;
  readonly version: number;
  readonly createdAt: string;
  readonly source: { readonly engine: 'sqlite' | 'postgres' };
  /** Transaction ts (µs) of the snapshot the dump was read in, as a decimal string. */
  readonly snapshotTs: string;
  readonly pairs: number;
  /** DumpDigest over every pair in order, hex. */
  readonly sha256: string;
  readonly chunks: readonly ChunkEntry[];
}

export function chunkFileName(index: number): string {
  return `chunk-${String(index).padStart(6, '0')}.ndjson`;
}

export function encodePairLine(key: Bytes, value: Bytes): string {
  return `{"k":"${Buffer.from(key).toString('base64')}","v":"${Buffer.from(value).toString('base64')}"}\n`;
}

/** Parses one chunk line; throws on anything but `{"k": base64, "v": base64}`. */
export function decodePairLine(line: string): { key: Buffer; value: Buffer } {
  const o = JSON.parse(line) as { k?: unknown; v?: unknown };
  if (typeof o.k !== 'string' || typeof o.v !== 'string') throw new Error('expected {"k": ..., "v": ...}');
  return { key: Buffer.from(o.k, 'base64'), value: Buffer.from(o.v, 'base64') };
}

/**
 * SHA-256 over the pairs in order, each as (u32 key length, key, u32 value length, value), so
 * that it depends on the data only, not on how it was chunked or encoded.
 */
export class DumpDigest {
  private readonly hash: Hash = createHash('sha256');
  private readonly lengths = Buffer.alloc(4);
  pairs = 0;

  add(key: Bytes, value: Bytes): void {
    this.lengths.writeUInt32BE(key.length);
    this.hash.update(this.lengths).update(key);
    this.lengths.writeUInt32BE(value.length);
    this.hash.update(this.lengths).update(value);
    this.pairs++;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

/** Validates a parsed manifest.json. */
export function checkManifest(raw: unknown): DumpManifest {
  const m = raw as Partial<DumpManifest> | null;
  if (m === null || typeof m !== 'object' || m.format !== DUMP_FORMAT) {
    throw new Error(`not an ${DUMP_FORMAT} manifest`);
  }
  if (typeof m.version !== 'number' || m.version > DUMP_VERSION) {
    throw new Error(`dump format version ${String(m.version)} is newer than this tool supports (${DUMP_VERSION})`);
  }
  if (typeof m.snapshotTs !== 'string' || !/^\d+$/.test(m.snapshotTs) || typeof m.pairs !== 'number'
    || typeof m.sha256 !== 'string' || !Array.isArray(m.chunks)) {
    throw new Error('malformed manifest');
  }
  for (const c of m.chunks) {
    if (typeof c?.file !== 'string' || !/^chunk-\d+\.ndjson$/.test(c.file) || typeof c.pairs !== 'number' || typeof c.sha256 !== 'string') {
      throw new Error('malformed manifest chunk entry');
    }
  }
  return m as DumpManifest;
}
