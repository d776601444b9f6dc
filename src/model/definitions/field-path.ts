// Field paths as written in index, constraint and migration definitions: `name`, `.name`,
// `address.city`, `a['f oo']`, `a[0]`, `.['x']`. Parsed once into the member names and array
// indexes that lead from a document to the value.

export type PathPart = string | number;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;
const INDEX = /^\[(\d+)\]/;
const QUOTED = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/;

/** The parts of a field path, or undefined when `text` is not a valid FQL path expression. */
export function parseFieldPath(text: string): PathPart[] | undefined {
  const parts: PathPart[] = [];
  let rest = text.startsWith('.') ? text.slice(1) : text;
  let needMember = !rest.startsWith('[');
  while (rest.length > 0) {
    if (needMember) {
      const m = IDENT.exec(rest);
      if (!m) return undefined;
      parts.push(m[0]);
      rest = rest.slice(m[0].length);
      needMember = false;
      continue;
    }
    if (rest.startsWith('.')) {
      rest = rest.slice(1);
      needMember = true;
      if (rest.length === 0) return undefined;
      continue;
    }
    const idx = INDEX.exec(rest);
    if (idx) { parts.push(Number(idx[1])); rest = rest.slice(idx[0].length); continue; }
    const q = QUOTED.exec(rest);
    if (q) {
      parts.push((q[1] ?? q[2]).replace(/\\(.)/g, '$1'));
      rest = rest.slice(q[0].length);
      continue;
    }
    return undefined;
  }
  return parts.length > 0 ? parts : undefined;
}

/** `['address', 'city']` → `address.city`, the way constraint failures name a path. */
export function pathLabel(parts: readonly PathPart[]): string {
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
