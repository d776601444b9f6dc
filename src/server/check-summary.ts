// Summary text for a check failure found before evaluation (an undecodable template value), in
// Fauna's diagnostic layout:
//
//   error: invalid tag '@set'
//   at *query*:1:9
//     |
//   1 | let x = <value>
//     |         ^^^^^^^
//     |
import { VALUE_PLACEHOLDER } from '../wire/template';

const SHOWN_PLACEHOLDER = '<value>';

export function renderCheckSummary(source: string, message: string, start: number, end: number): string {
  const before = source.slice(0, start);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const col = start - lineStart + 1;
  let lineEnd = source.indexOf('\n', start);
  if (lineEnd < 0) lineEnd = source.length;
  const text = source.slice(lineStart, lineEnd).split(VALUE_PLACEHOLDER).join(SHOWN_PLACEHOLDER);
  const gutter = ' '.repeat(String(line).length);
  const width = Math.max(1, Math.min(end, lineEnd) - start);
  return [
    `error: ${message}`,
    `at *query*:${line}:${col}`,
    `${gutter} |`,
    `${line} | ${text}`,
    `${gutter} | ${' '.repeat(col - 1)}${'^'.repeat(width)}`,
    `${gutter} |`,
  ].join('\n');
}
