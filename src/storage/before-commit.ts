// Work a transaction must finish before it commits, registered by whatever made it necessary
// (FQL v4 indexes over schema documents are refreshed once per transaction that changed the
// schema, whichever of the many schema writers did). Tasks are keyed, so registering the same
// work twice runs it once; a task may register more, which run before the commit too.
import type { KvTxn } from './kv';

type Task = () => Promise<void>;
const pending = new WeakMap<KvTxn, Map<string, Task>>();

export function beforeCommit(kv: KvTxn, key: string, task: Task): void {
  let tasks = pending.get(kv);
  if (!tasks) pending.set(kv, (tasks = new Map()));
  if (!tasks.has(key)) tasks.set(key, task);
}

/** Runs one pending task now (a read that needs its result); false when none was pending. */
export async function runPending(kv: KvTxn, key: string): Promise<boolean> {
  const task = pending.get(kv)?.get(key);
  if (!task) return false;
  pending.get(kv)!.delete(key);
  await task();
  return true;
}

/** Runs every pending task (and those they register) before the transaction commits. */
export async function runBeforeCommit(kv: KvTxn): Promise<void> {
  for (let tasks = pending.get(kv); tasks && tasks.size > 0; tasks = pending.get(kv)) {
    const [key, task] = tasks.entries().next().value as [string, Task];
    tasks.delete(key);
    await task();
  }
}
