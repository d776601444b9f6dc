// The FSL files of a database, kept in its own key range so that they go with the database:
//
//   [db, 'fsl', 'active', <filename>]   the files last pushed to the active schema
//   [db, 'fsl', 'staged', <filename>]   the files of a staged schema
//   [db, 'fslstaged']                   present while a schema is staged
//
// The stored texts are what `files` returns (after being reconciled with definitions changed
// through FQL, see schema-files.ts).
import type { KvTxn } from '../storage/kv';
import type { DbId } from '../model/keys';
import { encodeKey, prefixEnd } from '../storage/tuple';

export type SourceSet = 'active' | 'staged';
export type FileMap = ReadonlyMap<string, string>;

const fileKey = (db: DbId, set: SourceSet, filename: string) => encodeKey([db, 'fsl', set, filename]);
const setPrefix = (db: DbId, set: SourceSet) => encodeKey([db, 'fsl', set]);
const stagedMarkerKey = (db: DbId) => encodeKey([db, 'fslstaged']);

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Files in filename order. */
export async function readFiles(kv: KvTxn, db: DbId, set: SourceSet): Promise<Map<string, string>> {
  const prefix = setPrefix(db, set);
  const rows = await kv.scan({ start: prefix, end: prefixEnd(prefix) });
  const files = new Map<string, string>();
  for (const r of rows) {
    const content = JSON.parse(decoder.decode(r.value)) as { filename: string; content: string };
    files.set(content.filename, content.content);
  }
  return files;
}

/** Replace the whole set with `files`. */
export async function writeFiles(kv: KvTxn, db: DbId, set: SourceSet, files: FileMap): Promise<void> {
  await clearFiles(kv, db, set);
  for (const [filename, content] of files) {
    kv.put(fileKey(db, set, filename), encoder.encode(JSON.stringify({ filename, content })));
  }
}

export async function clearFiles(kv: KvTxn, db: DbId, set: SourceSet): Promise<void> {
  const prefix = setPrefix(db, set);
  for (const r of await kv.scan({ start: prefix, end: prefixEnd(prefix) })) kv.delete(r.key);
}

export async function hasStaged(kv: KvTxn, db: DbId): Promise<boolean> {
  return (await kv.get(stagedMarkerKey(db))) !== undefined;
}

export function setStaged(kv: KvTxn, db: DbId, staged: boolean): void {
  if (staged) kv.put(stagedMarkerKey(db), encoder.encode(kv.ts.toString()));
  else kv.delete(stagedMarkerKey(db));
}
