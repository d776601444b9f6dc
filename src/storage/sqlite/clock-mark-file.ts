// `<dataDir>/clock`: the timestamp clock's reserved mark (clock.ts), written off the main thread.
// better-sqlite3 is synchronous, so a mark kept only in the database would cost an fsync on the
// coordinator; this file is written with fs.promises (libuv's thread pool) instead.
//
// Two slots in different 4 KiB blocks, written alternately, each holding the mark and its
// bitwise complement (a torn or never-written slot fails that check and reads as 0). Only one
// write is in flight at a time and it targets the slot NOT holding the newest durable mark, so a
// crash mid-write can lose only the mark being written, which no timestamp handed out exceeds
// yet (the clock waits for a write to land before using its reserve). Reading takes the larger
// valid slot; marks only grow, so that is the newest durable one.
import fs from 'node:fs';
import path from 'node:path';

const SLOT_BYTES = 16;
const SLOT_OFFSETS = [0, 4096] as const;
const FILE_BYTES = SLOT_OFFSETS[1] + SLOT_BYTES;
const MASK = (1n << 64n) - 1n;

export class ClockMarkFile {
  private nextSlot: 0 | 1;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    /** The newest durable mark read at open (0 if none). */
    readonly initial: bigint,
    newestSlot: 0 | 1,
  ) {
    this.nextSlot = newestSlot === 0 ? 1 : 0;
  }

  /** Opens (creating, durably, if missing or short) the data directory's clock file. */
  static async open(dataDir: string): Promise<ClockMarkFile> {
    const file = path.join(dataDir, 'clock');
    let contents = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
    if (contents.length < FILE_BYTES) {
      // Missing or cut short by a crash while being created: no mark was ever reserved in it.
      contents = Buffer.alloc(FILE_BYTES);
      fs.writeFileSync(file, contents, { mode: 0o600 });
      fsyncPath(file, 'r+');
      fsyncPath(dataDir, 'r');
    }
    const marks = SLOT_OFFSETS.map((o) => decodeSlot(contents.subarray(o, o + SLOT_BYTES)));
    const newest: 0 | 1 = marks[1] > marks[0] ? 1 : 0;
    const handle = await fs.promises.open(file, 'r+');
    return new ClockMarkFile(handle, marks[newest], newest);
  }

  /** Writes `mark` and fdatasyncs it, in the thread pool; one call at a time. */
  async write(mark: bigint): Promise<void> {
    const slot = this.nextSlot;
    await this.handle.write(encodeSlot(mark), 0, SLOT_BYTES, SLOT_OFFSETS[slot]);
    await this.handle.datasync();
    this.nextSlot = slot === 0 ? 1 : 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

function encodeSlot(mark: bigint): Buffer {
  const b = Buffer.alloc(SLOT_BYTES);
  b.writeBigUInt64BE(mark & MASK, 0);
  b.writeBigUInt64BE(~mark & MASK, 8);
  return b;
}

function decodeSlot(b: Buffer): bigint {
  const mark = b.readBigUInt64BE(0);
  return b.readBigUInt64BE(8) === (~mark & MASK) ? mark : 0n;
}

function fsyncPath(p: string, flags: string): void {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
