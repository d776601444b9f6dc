// Many byte strings as one: scan rows and scan bounds cross the thread boundary packed into one
// buffer with their end offsets. postMessage clones every ArrayBuffer a message holds with a
// backing store of its own on the other side (microseconds each, and garbage the collector must
// sweep), so a page of events (thousands of keys and values) cost more to send than to read;
// packed, a message holds two buffers however many rows it carries.

export interface PackedBytes {
  /** Every byte string, back to back. */
  readonly bytes: Uint8Array;
  /** The end offset of each string in `bytes`. */
  readonly ends: Uint32Array;
}

export function packBytes(list: readonly Uint8Array[]): PackedBytes {
  let size = 0;
  for (const b of list) size += b.length;
  const bytes = new Uint8Array(size);
  const ends = new Uint32Array(list.length);
  let at = 0;
  for (let i = 0; i < list.length; i++) {
    bytes.set(list[i], at);
    at += list[i].length;
    ends[i] = at;
  }
  return { bytes, ends };
}

/** The strings, as views of the one buffer (no copies). */
export function unpackBytes(p: PackedBytes): Uint8Array[] {
  const out: Uint8Array[] = new Array(p.ends.length);
  let at = 0;
  for (let i = 0; i < p.ends.length; i++) {
    out[i] = p.bytes.subarray(at, p.ends[i]);
    at = p.ends[i];
  }
  return out;
}

/** Rows of one or more scans: keys and values alternating, and how many rows each scan returned. */
export interface PackedRows extends PackedBytes {
  readonly counts: readonly number[];
}

export function packRows(batches: readonly (readonly { readonly key: Uint8Array; readonly value: Uint8Array }[])[]): PackedRows {
  const list: Uint8Array[] = [];
  for (const rows of batches) for (const r of rows) list.push(r.key, r.value);
  return { ...packBytes(list), counts: batches.map((rows) => rows.length) };
}

export function unpackRows(p: PackedRows): { key: Uint8Array; value: Uint8Array }[][] {
  const list = unpackBytes(p);
  let at = 0;
  return p.counts.map((n) => {
    const rows: { key: Uint8Array; value: Uint8Array }[] = new Array(n);
    for (let i = 0; i < n; i++, at += 2) rows[i] = { key: list[at], value: list[at + 1] };
    return rows;
  });
}

/** The scans of a `scanMany` request: their bounds packed in one buffer, then each one's options. */
export function packScans(opts: readonly { readonly start: Uint8Array; readonly end: Uint8Array; readonly reverse?: boolean; readonly limit?: number }[]): {
  bounds: PackedBytes; scans: { reverse?: boolean; limit?: number }[];
} {
  return { bounds: packBytes(opts.flatMap((o) => [o.start, o.end])), scans: opts.map((o) => ({ reverse: o.reverse, limit: o.limit })) };
}
