// A collection's definition as `Collection.byName(n)!` reads it, and index fields as the
// dashboard shows and takes them: `.category, .price desc, mva(.tags)` — the paths as the
// server stores them, `desc` for a descending value, `mva(…)` for a multi-valued array field.
import { data } from './api';

export interface IndexField { field: string; order?: 'asc' | 'desc'; mva?: boolean }

export interface IndexDef {
  terms?: IndexField[] | null;
  values?: IndexField[] | null;
  status?: string;
  queryable?: boolean;
}

export type Constraint =
  | { unique?: (string | { field: string; mva?: boolean })[]; status?: string }
  | { check?: { name: string; body: string } };

export interface CollectionDef {
  name: string;
  history_days?: number | null;
  ttl_days?: number | null;
  indexes?: Record<string, IndexDef> | null;
  constraints?: Constraint[] | null;
  computed_fields?: Record<string, { body: string; signature?: string }> | null;
}

export function loadCollection(admin: string, name: string): Promise<CollectionDef> {
  return data<CollectionDef>(admin, `let c = Collection.byName(coll)!
{ name: c.name, history_days: c.history_days, ttl_days: c.ttl_days, indexes: c.indexes,
  constraints: c.constraints, computed_fields: c.computed_fields }`, { coll: name });
}

/** Index terms, values or unique fields as text. */
export function formatFields(xs: readonly (string | IndexField)[] | null | undefined): string {
  return (xs ?? []).map((x) => {
    if (typeof x === 'string') return x;
    const path = x.mva ? `mva(${x.field})` : x.field;
    return x.order === 'desc' ? `${path} desc` : path;
  }).join(', ');
}

/** The fields typed as text (see formatFields); `desc`/`asc` are refused in terms. */
export function parseFields(text: string, kind: 'terms' | 'values'): IndexField[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const m = /^(.*?)(?:\s+(asc|desc))?$/.exec(s)!;
    if (m[2] && kind === 'terms') throw new Error(`Terms have no order: remove "${m[2]}" from "${s}".`);
    const mva = /^mva\((.*)\)$/.exec(m[1].trim());
    const f: IndexField = { field: (mva ? mva[1] : m[1]).trim() };
    if (mva) f.mva = true;
    if (m[2] === 'desc') f.order = 'desc';
    return f;
  });
}
