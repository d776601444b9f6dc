// The sets v4 paginates over (core SchemaSet, DocSet, IndexSet): the documents of a collection
// (user or identity), the definitions of a schema kind, and a single ref. Elements come in
// ref order; documents the caller may not read are left out by the model's read guard.
import type { ModelTxnImpl } from '../../model/model-txn';
import { allDefs } from '../../model/identity/named-store';
import { mayReadNamed } from '../../model/identity/permissions';
import { scanDocsAt } from '../../model/temporal/historical-scan';
import type { RefV4, SetEntry, V4Set, V4Value } from '../values';
import { docRef, schemaRef } from '../values';

const SCAN_BATCH = 256;

/** `Documents(coll)`; also what a native collection ref (`Credentials()`) means as a set. */
export class DocumentsSet implements V4Set {
  /** Sets of refs have no index values before the ref (union with them needs the same). */
  readonly shape = 0;

  constructor(
    private readonly model: ModelTxnImpl,
    /** The v10 collection name and the v4 collection ref (streams read them). */
    readonly coll: string,
    readonly collRef: RefV4,
    /** The set's own wire form: the collection ref, or `{documents: ref}`. */
    private readonly asDocuments: boolean,
  ) {}

  render(): V4Value | { setJson: Record<string, V4Value> } {
    return this.asDocuments ? { setJson: { documents: this.collRef } } : this.collRef;
  }

  async entries(): Promise<readonly SetEntry[]> {
    const def = await this.model.collection(this.coll);
    if (!def) return [];
    const out: SetEntry[] = [];
    let after: bigint | undefined;
    for (;;) {
      // Inside `At` (history.ts) the documents of that time, as `at` scans read in v10.
      const at = this.model.context?.snapshotTs;
      const { docs, lastId, more } = at === undefined
        ? await this.model.scanDocs(def, after, SCAN_BATCH)
        : await scanDocsAt(this.model, def, at, after, SCAN_BATCH, false);
      for (const d of docs) {
        const ref = docRef(this.collRef, d.id);
        out.push({ value: ref, key: [ref] });
      }
      if (!more || lastId === undefined) return out;
      after = lastId;
    }
  }
}

/** `Collections()`, `Databases()`, `Indexes()`, ... as sets of definition refs. */
export class SchemaSet implements V4Set {
  readonly shape = 0;

  constructor(
    private readonly model: ModelTxnImpl,
    private readonly schemaColl: string,
    private readonly kind: Parameters<typeof schemaRef>[0],
    private readonly self: RefV4,
    private readonly db: RefV4 | undefined,
  ) {}

  render(): V4Value { return this.self; }

  async entries(): Promise<readonly SetEntry[]> {
    const out: SetEntry[] = [];
    const defs = this.schemaColl === 'Collection'
      ? (await this.model.allCollections()).map((c) => ({ name: c.name, ts: c.ts, data: c.data }))
      : await allDefs(this.model.kv, this.model.db, this.schemaColl);
    for (const d of defs) {
      if (!(await mayReadNamed(this.model, { coll: this.schemaColl, name: d.name, ts: d.ts, data: d.data }))) continue;
      const ref = schemaRef(this.kind, d.name, this.db);
      out.push({ value: ref, key: [ref] });
    }
    return out;
  }
}

/** A document ref used where a set is expected: the set of just that ref. */
export class SingletonSet implements V4Set {
  readonly shape = 0;

  constructor(private readonly ref: RefV4) {}
  render(): { setJson: Record<string, V4Value> } { return { setJson: { singleton: this.ref } }; }
  async entries(): Promise<readonly SetEntry[]> { return [{ value: this.ref, key: [this.ref] }]; }
}
