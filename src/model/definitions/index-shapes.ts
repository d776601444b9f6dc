// The shapes of the backing indexes a collection definition needs (core IndexFieldProvenance
// and CollectionIndexManager): one per distinct layout of terms and values, shared by every
// index and unique constraint with that layout (a unique constraint is an index of its fields
// with no values). A field of a computed field is part of the shape with the field's body.
//
// Protected mode compares the shapes before and after a change: a shape no longer needed means
// its backing index would be deleted. Fields moved by `move` migrations the change adds keep
// their old shape, as core maps new shapes back through the migrations before comparing.
import type { Value } from '../../fql/values/value';
import { parseFieldPath, type PathPart } from './field-path';
import { newStatements } from './migrations';
import { parseSchema, type IndexField, type IndexValueField } from './schema';

type Definition = ReadonlyMap<string, Value>;

/** `move .from -> .to` statements a change adds, as paths. */
function addedMoves(before: Definition, after: Definition): { from: PathPart[]; to: PathPart[] }[] {
  const moves: { from: PathPart[]; to: PathPart[] }[] = [];
  for (const st of newStatements(before, after)) {
    if (st.kind !== 'move') continue;
    const from = st.args.get('field');
    const to = st.args.get('to');
    const fromPath = from?.t === 'string' ? parseFieldPath(from.v) : undefined;
    const toPath = to?.t === 'string' ? parseFieldPath(to.v) : undefined;
    if (fromPath && toPath) moves.push({ from: fromPath, to: toPath });
  }
  return moves;
}

const startsWith = (path: readonly PathPart[], prefix: readonly PathPart[]): boolean =>
  prefix.length <= path.length && prefix.every((p, i) => path[i] === p);

/** Where a field of the new definition was before the moves (undone latest first). */
function throughMoves(path: readonly PathPart[], moves: readonly { from: PathPart[]; to: PathPart[] }[]): readonly PathPart[] {
  let out = path;
  for (let i = moves.length - 1; i >= 0; i--) {
    const { from, to } = moves[i];
    if (startsWith(out, to)) out = [...from, ...out.slice(to.length)];
  }
  return out;
}

/** The shapes of `data`'s indexes and unique constraints, with paths mapped by `mapPath`. */
function shapesOf(data: Definition, mapPath: (p: readonly PathPart[]) => readonly PathPart[]): Set<string> {
  const schema = parseSchema(data);
  const bodies = new Map(schema.computed.map((c) => [c.name, c.body]));
  const term = (f: IndexField) => [mapPath(f.path), f.mva, bodies.get(String(f.path[0])) ?? null];
  const value = (f: IndexValueField) => [...term(f), f.desc];
  const shapes = new Set<string>();
  for (const idx of schema.indexes.values()) shapes.add(JSON.stringify([idx.terms.map(term), idx.values.map(value)]));
  for (const u of schema.uniques) shapes.add(JSON.stringify([u.fields.map(term), []]));
  return shapes;
}

/** Whether changing a definition from `before` to `after` leaves a backing index unneeded. */
export function dropsBackingIndex(before: Definition, after: Definition): boolean {
  const moves = addedMoves(before, after);
  const kept = shapesOf(after, (p) => throughMoves(p, moves));
  for (const shape of shapesOf(before, (p) => p)) if (!kept.has(shape)) return true;
  return false;
}
