// What the user typed and has not saved, per view and database, kept in memory so that it
// survives tab switches, failed requests and server restarts — and forgotten at sign-out, so
// the next person in this tab does not see it.
const stores: Map<string, unknown>[] = [];

export function draftStore<T>(): Map<string, T> {
  const m = new Map<string, T>();
  stores.push(m as Map<string, unknown>);
  return m;
}

export function clearDrafts(): void {
  for (const s of stores) s.clear();
}
