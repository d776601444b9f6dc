// A small in-memory ModelTxn for evaluator tests: user collections of documents, named
// schema documents, UDF names, and collection scans that describe/decode themselves.
import type { DocData, ModelTxn, NamedData } from '../../src/model/model-api';
import type { MethodDef } from '../../src/fql/stdlib/registry';
import type { DocV, FqlSet, NamedDocV, NullDocV, SetElement, SetPosition, Value } from '../../src/fql/values/value';
import type { EvalContext } from '../../src/fql/eval/context';
import { parseQuery } from '../../src/fql/parse/parse';
import { evaluateQuery, type EvaluateOptions } from '../../src/fql/eval/evaluate';
import { wireStdlib } from '../../src/fql/stdlib/index';

export const TXN_TS = 1_700_000_000_000_000n;

/** `Coll.all()` over the fake store: documents in id order, positioned by id. */
export class FakeScan implements FqlSet {
  readonly label: string;
  constructor(readonly model: FakeModel, readonly coll: string) {
    this.label = `${coll}.all()`;
  }
  async *iterate(_ctx: unknown, after?: SetPosition): AsyncIterable<SetElement> {
    const ids = [...(this.model.docs.get(this.coll)?.keys() ?? [])].sort((a, b) => Number(a) - Number(b));
    for (const id of ids) {
      if (after !== undefined && Number(id) <= Number(after)) continue;
      yield { value: { t: 'doc', coll: this.coll, id }, pos: id };
    }
  }
  describe(): unknown {
    return { kind: 'fakeScan', coll: this.coll };
  }
}

export class FakeModel implements ModelTxn {
  readonly txnTs = TXN_TS;
  readonly docs = new Map<string, Map<string, DocData>>();
  readonly named = new Map<string, NamedData>();
  readonly udfs = new Set<string>();
  reads = 0;

  addDoc(coll: string, id: string, fields: Record<string, Value>, ts = TXN_TS - 10n): DocV {
    let c = this.docs.get(coll);
    if (!c) this.docs.set(coll, (c = new Map()));
    c.set(id, { coll, id, ts, data: new Map(Object.entries(fields)) });
    return { t: 'doc', coll, id };
  }

  addCollection(name: string): void {
    if (!this.docs.has(name)) this.docs.set(name, new Map());
    this.named.set(`Collection/${name}`, { coll: 'Collection', name, ts: TXN_TS - 100n, data: new Map() });
  }

  async readDoc(ref: DocV): Promise<DocData | NullDocV> {
    this.reads++;
    const d = this.docs.get(ref.coll)?.get(ref.id);
    return d ?? { t: 'nulldoc', coll: ref.coll, id: ref.id, cause: 'not found' };
  }

  async readNamed(ref: NamedDocV): Promise<NamedData | NullDocV> {
    return this.named.get(`${ref.coll}/${ref.name}`) ?? { t: 'nulldoc', coll: ref.coll, name: ref.name, cause: 'not found' };
  }

  async resolveGlobal(name: string): Promise<Value | undefined> {
    if (this.docs.has(name)) return { t: 'module', name };
    if (this.udfs.has(name)) return { t: 'function', fn: { kind: 'udf', name } };
    return undefined;
  }

  async collectionIndex(coll: string, name: string): Promise<MethodDef | undefined> {
    if (!this.docs.has(coll)) return undefined;
    if (name === 'all') return { arity: 0, impl: () => ({ t: 'set', set: new FakeScan(this, coll) }) };
    if (name === 'byId') {
      return {
        arity: 1,
        impl: (_ctx, _self, [id]) => ({ t: 'doc', coll, id: id.t === 'string' ? id.v : String((id as { v: unknown }).v) }),
      };
    }
    return undefined;
  }

  async decodeSet(description: unknown): Promise<FqlSet> {
    const d = description as { kind?: string; coll?: string };
    if (d.kind === 'fakeScan' && typeof d.coll === 'string') return new FakeScan(this, d.coll);
    throw new Error('unknown set');
  }

  async schemaVersion(): Promise<bigint> {
    return 0n;
  }
}

export interface RunOptions extends EvaluateOptions {
  readonly model?: FakeModel;
  readonly args?: Record<string, Value>;
  readonly templateValues?: readonly Value[];
  readonly deadline?: number;
}

export function makeContext(source: string, opts: RunOptions = {}): EvalContext {
  wireStdlib();
  return {
    source,
    templateValues: opts.templateValues ?? [],
    arguments: new Map(Object.entries(opts.args ?? {})),
    model: opts.model ?? new FakeModel(),
    deadline: opts.deadline ?? performance.now() + 10_000,
    stats: { computeOps: 0, readOps: 0, writeOps: 0, storageBytesRead: 0, storageBytesWrite: 0, contentionRetries: 0 },
    logs: [],
    depth: 0,
  };
}

/** Parse and evaluate `source`; returns the value (and the context, for logs and stats). */
export async function run(source: string, opts: RunOptions = {}): Promise<Value> {
  return (await runWithContext(source, opts)).value;
}

export async function runWithContext(source: string, opts: RunOptions = {}): Promise<{ value: Value; ctx: EvalContext }> {
  const ctx = makeContext(source, opts);
  const value = await evaluateQuery(parseQuery(source), ctx, opts);
  return { value, ctx };
}

/** Plain JS rendering of a value for assertions: ints/doubles as numbers, longs as bigint. */
export function js(v: Value): unknown {
  switch (v.t) {
    case 'null': return null;
    case 'boolean': case 'string': case 'int': case 'double': case 'long': case 'uuid': return v.v;
    case 'array': return v.v.map(js);
    case 'object': return Object.fromEntries([...v.v].map(([k, x]) => [k, js(x)]));
    case 'doc': return `${v.coll}:${v.id}`;
    case 'module': return `@${v.name}`;
    case 'time': return `time:${v.ns}`;
    default: return `<${v.t}>`;
  }
}
