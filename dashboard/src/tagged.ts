// Short FQL text for values in the tagged format (x-format: tagged), for table cells: the
// documents table needs types (times, refs, ints vs doubles) that the simple format loses.
type Tagged = null | boolean | number | string | Tagged[] | { [k: string]: Tagged };

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const key = (k: string) => (IDENT.test(k) ? k : JSON.stringify(k));

function objectText(o: Record<string, Tagged>): string {
  const entries = Object.entries(o).map(([k, v]) => `${key(k)}: ${fqlText(v)}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}

function refText(r: Record<string, Tagged>): string {
  const coll = r.coll as Record<string, Tagged> | undefined;
  const name = coll && typeof coll === 'object' ? String(coll['@mod'] ?? '?') : '?';
  if (r.id !== undefined) return `${name}("${String(r.id)}")`;
  return `${name}.byName(${JSON.stringify(r.name)})`;
}

export function fqlText(v: Tagged): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(fqlText).join(', ')}]`;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0].startsWith('@')) {
    const inner = v[keys[0]];
    switch (keys[0]) {
      case '@int': case '@long': case '@double': return String(inner);
      case '@time': return `Time(${JSON.stringify(inner)})`;
      case '@date': return `Date(${JSON.stringify(inner)})`;
      case '@bytes': return `Bytes(${JSON.stringify(inner)})`;
      case '@mod': return String(inner);
      case '@object': return objectText(inner as Record<string, Tagged>);
      case '@doc': case '@ref': return refText(inner as Record<string, Tagged>);
      case '@set': return typeof inner === 'string' ? '[set]' : fqlText((inner as Record<string, Tagged>).data ?? []);
      case '@stream': return '[event source]';
    }
  }
  return objectText(v as Record<string, Tagged>);
}

export function shortText(v: Tagged, max = 60): string {
  const t = fqlText(v);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

export type { Tagged };
