// A line diff (longest common subsequence) and its rendering in hunks, as in Fauna's textual
// schema diff (core `DiffRender.renderFileDiff`): `@ line a to b` headers, 3 unchanged lines
// around changes, `+`/`-` prefixed lines.
export type Row = { readonly tag: 'equal' | 'insert' | 'delete'; readonly line: string };

const CONTEXT = 3;
/** Unchanged lines that split two changes into separate hunks. */
const SPLIT = 7;

const linesOf = (text: string): string[] => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

export function diffLines(before: string, after: string): Row[] {
  const a = linesOf(before);
  const b = linesOf(after);
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const rows: Row[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) { rows.push({ tag: 'equal', line: a[i] }); i++; j++; }
    // Removed lines before added ones, as Fauna shows a changed line.
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) rows.push({ tag: 'delete', line: a[i++] });
    else rows.push({ tag: 'insert', line: b[j++] });
  }
  return rows;
}

const prefixed = (prefix: string, line: string): string =>
  line === '' ? (prefix === ' ' ? '' : prefix) : `${prefix} ${line}`;

function rowText(r: Row): string {
  return prefixed(r.tag === 'insert' ? '+' : r.tag === 'delete' ? '-' : ' ', r.line);
}

/** The hunks of a file's diff, one output line per array element. */
export function renderHunks(before: string, after: string): string[] {
  const rows = diffLines(before, after);
  const out: string[] = [];
  let k = 0;
  while (k < rows.length) {
    const first = rows.findIndex((r, idx) => idx >= k && r.tag !== 'equal');
    if (first < 0) break;
    // Extend the hunk until SPLIT unchanged lines in a row.
    let last = first;
    let equalRun = 0;
    for (let idx = first + 1; idx < rows.length && equalRun < SPLIT; idx++) {
      if (rows[idx].tag === 'equal') equalRun++;
      else { equalRun = 0; last = idx; }
    }
    const start = Math.max(k, first - CONTEXT);
    const end = Math.min(rows.length, last + 1 + CONTEXT);
    const afterLine = (upTo: number) => rows.slice(0, upTo).filter((r) => r.tag !== 'delete').length;
    out.push(`@ line ${afterLine(start) + 1} to ${afterLine(end)}`);
    for (const r of rows.slice(start, end)) out.push(rowText(r));
    k = end;
  }
  return out;
}
