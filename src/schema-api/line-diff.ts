// A line diff (longest common subsequence) and its rendering in hunks, as in Fauna's textual
// schema diff (core `DiffRender.renderFileDiff`): `@ line a to b` headers, 3 unchanged lines
// around changes, `+`/`-` prefixed lines.
export type Row = { readonly tag: 'equal' | 'insert' | 'delete'; readonly line: string };

const CONTEXT = 3;
/** Unchanged lines that split two changes into separate hunks. */
const SPLIT = 7;

const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

/**
 * Lines of the longest-common-subsequence table one textual diff may fill (4 bytes each). The
 * table grows with the product of the two files' lengths: two 15,000-line files took a query
 * worker past its heap limit (a 500 after seconds of garbage collection), and any secret that may
 * read schema can ask for a diff. Past it, the changed middle of a file is shown as all removed,
 * then all added: still a correct diff, just not the shortest.
 */
export const MAX_LCS_CELLS = 16_000_000;

/** The budget of one request's textual diffs (shared by its files, see MAX_LCS_CELLS). */
export class DiffBudget {
  constructor(private cells = MAX_LCS_CELLS) {}
  take(n: number): boolean {
    if (n > this.cells) return false;
    this.cells -= n;
    return true;
  }
}

/** The shortest edit of a[lo..aHi) into b[lo..bHi) by the LCS table, or undefined past the budget. */
function lcsRows(a: readonly string[], b: readonly string[], aHi: number, bHi: number, lo: number, budget: DiffBudget): Row[] | undefined {
  const n = aHi - lo;
  const m = bHi - lo;
  const w = m + 1;
  if (!budget.take((n + 1) * w)) return undefined;
  // lcs[i * w + j]: length of the LCS of a[lo + i..aHi) and b[lo + j..bHi).
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[lo + i] === b[lo + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const rows: Row[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[lo + i] === b[lo + j]) { rows.push({ tag: 'equal', line: a[lo + i] }); i++; j++; }
    // Removed lines before added ones, as Fauna shows a changed line.
    else if (i < n && (j === m || lcs[(i + 1) * w + j] >= lcs[i * w + j + 1])) rows.push({ tag: 'delete', line: a[lo + i++] });
    else rows.push({ tag: 'insert', line: b[lo + j++] });
  }
  return rows;
}

export function diffLines(before: string, after: string, budget = new DiffBudget()): Row[] {
  const a = linesOf(before);
  const b = linesOf(after);
  // Unchanged lines at both ends need no table.
  let lo = 0;
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++;
  let aHi = a.length;
  let bHi = b.length;
  while (aHi > lo && bHi > lo && a[aHi - 1] === b[bHi - 1]) { aHi--; bHi--; }
  const equal = (from: readonly string[], i: number, j: number): Row[] => from.slice(i, j).map((line) => ({ tag: 'equal', line }));
  const middle = lcsRows(a, b, aHi, bHi, lo, budget) ?? [
    ...a.slice(lo, aHi).map((line): Row => ({ tag: 'delete', line })),
    ...b.slice(lo, bHi).map((line): Row => ({ tag: 'insert', line })),
  ];
  return [...equal(a, 0, lo), ...middle, ...equal(a, aHi, a.length)];
}

const prefixed = (prefix: string, line: string): string =>
  line === '' ? (prefix === ' ' ? '' : prefix) : `${prefix} ${line}`;

function rowText(r: Row): string {
  return prefixed(r.tag === 'insert' ? '+' : r.tag === 'delete' ? '-' : ' ', r.line);
}

/** The hunks of a file's diff, one output line per array element. */
export function renderHunks(before: string, after: string, budget?: DiffBudget): string[] {
  const rows = diffLines(before, after, budget);
  // afterLines[k]: lines of the new file among rows[0..k), so that each hunk header costs O(1)
  // (counting them per hunk was quadratic in a file with many hunks).
  const afterLines = new Uint32Array(rows.length + 1);
  rows.forEach((r, k) => { afterLines[k + 1] = afterLines[k] + (r.tag === 'delete' ? 0 : 1); });
  const out: string[] = [];
  let k = 0;
  while (k < rows.length) {
    let first = k;
    while (first < rows.length && rows[first].tag === 'equal') first++;
    if (first === rows.length) break;
    // Extend the hunk until SPLIT unchanged lines in a row.
    let last = first;
    let equalRun = 0;
    for (let idx = first + 1; idx < rows.length && equalRun < SPLIT; idx++) {
      if (rows[idx].tag === 'equal') equalRun++;
      else { equalRun = 0; last = idx; }
    }
    const start = Math.max(k, first - CONTEXT);
    const end = Math.min(rows.length, last + 1 + CONTEXT);
    out.push(`@ line ${afterLines[start] + 1} to ${afterLines[end]}`);
    for (let idx = start; idx < end; idx++) out.push(rowText(rows[idx]));
    k = end;
  }
  return out;
}
