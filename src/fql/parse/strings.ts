// String literal scanning: escapes, single/double-quoted strings, heredocs.
// Double-quoted strings and `<<+` heredocs interpolate `#{expr}`; the caller supplies the
// expression parser as a callback so this module stays independent of the grammar.
import { isBlank, isDisplayChar, isHexDigit, isIdentPart, isIdentStart, isNewline } from './chars';
import { expected, invalidEscape } from './failure';

/** A literal piece of text or an interpolated value (whatever the callback produced). */
export type StringPart<T> = string | T;
/** Parses the expression of `#{...}` starting at `pos`; returns it and the offset after `}`. */
export type Interpolate<T> = (pos: number) => { readonly value: T; readonly end: number };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', '0': '\u0000', "'": "'", '"': '"', '`': '`',
  n: '\n', r: '\r', v: '\u000b', t: '\t', b: '\b', f: '\f', '#': '#',
};

/** Decodes the escape sequence whose backslash is at `pos`. */
function readEscape(src: string, pos: number): { value: string; end: number } {
  const code = src[pos + 1];
  if (code !== undefined && code in SIMPLE_ESCAPES) return { value: SIMPLE_ESCAPES[code], end: pos + 2 };
  let digitsStart = pos + 2;
  let digitsEnd: number;
  let end: number;
  if (code === 'x') {
    digitsEnd = digitsStart + 2;
    for (let i = digitsStart; i < digitsEnd; i++) {
      if (!isHexDigit(src.charCodeAt(i))) throw expected(['hex digit'], i);
    }
    end = digitsEnd;
  } else if (code === 'u' && src[pos + 2] === '{') {
    digitsStart = pos + 3;
    digitsEnd = digitsStart;
    while (digitsEnd < digitsStart + 6 && isHexDigit(src.charCodeAt(digitsEnd))) digitsEnd++;
    if (digitsEnd === digitsStart) throw expected(['hex digit'], digitsEnd);
    if (src[digitsEnd] !== '}') throw expected(['`}`'], digitsEnd);
    end = digitsEnd + 1;
  } else if (code === 'u') {
    digitsEnd = digitsStart + 4;
    for (let i = digitsStart; i < digitsEnd; i++) {
      if (!isHexDigit(src.charCodeAt(i))) throw expected(['`{`', 'hex digit'], i);
    }
    end = digitsEnd;
  } else {
    throw expected(['"u"', '"x"', 'escape code'], pos + 1);
  }
  const cp = parseInt(src.slice(digitsStart, digitsEnd), 16);
  const span = { start: pos, end };
  if (cp > 0x10ffff) throw invalidEscape(span, 'outside of valid unicode range');
  if (cp >= 0xd800 && cp <= 0xdfff) throw invalidEscape(span, 'surrogates are disallowed');
  return { value: String.fromCodePoint(cp), end };
}

/** A single-quoted string starting at `start` (no interpolation: `#{` is literal text). */
export function readQuoted(src: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const c = src.charCodeAt(i);
    if (c === 39) return { value, end: i + 1 };
    if (c === 92) {
      const esc = readEscape(src, i);
      value += esc.value;
      i = esc.end;
      continue;
    }
    if (i >= src.length || !isDisplayChar(c)) throw expected(["`'`"], i);
    value += src[i];
    i++;
  }
}

/** A double-quoted string starting at `start`, with `#{expr}` interpolations. */
export function readInterpolated<T>(
  src: string, start: number, interpolate: Interpolate<T>,
): { parts: StringPart<T>[]; end: number } {
  const parts: StringPart<T>[] = [];
  let text = '';
  let i = start + 1;
  for (;;) {
    const c = src.charCodeAt(i);
    if (c === 34) {
      if (text) parts.push(text);
      return { parts, end: i + 1 };
    }
    if (c === 92) {
      const esc = readEscape(src, i);
      text += esc.value;
      i = esc.end;
      continue;
    }
    if (c === 35 && src.charCodeAt(i + 1) === 123) {
      if (text) parts.push(text);
      text = '';
      const inner = interpolate(i + 2);
      parts.push(inner.value);
      i = inner.end;
      continue;
    }
    if (i >= src.length || !isDisplayChar(c)) throw expected(['`"`'], i);
    text += src[i];
    i++;
  }
}

/**
 * The opening line of a heredoc (`<<-END` / `<<+END`): the delimiter word, then at least one
 * line break; the body starts on the next non-blank line.
 */
export function readHeredocOpening(src: string, start: number): { delimiter: string; bodyStart: number } {
  let i = start + 3;
  while (isBlank(src.charCodeAt(i))) i++;
  const wordStart = i;
  if (!isIdentStart(src.charCodeAt(i))) throw expected(['identifier'], i);
  while (isIdentPart(src.charCodeAt(i))) i++;
  const delimiter = src.slice(wordStart, i);
  let sawBreak = false;
  for (;;) {
    let j = i;
    while (isBlank(src.charCodeAt(j))) j++;
    if (!isNewline(src.charCodeAt(j))) break;
    while (isNewline(src.charCodeAt(j))) j++;
    sawBreak = true;
    i = j;
  }
  if (!sawBreak) throw expected(['newline'], i);
  return { delimiter, bodyStart: i };
}

/** If the line at `pos` is the closing delimiter, the offset after it. */
function closingAt(src: string, pos: number, delimiter: string): number | null {
  let i = pos;
  while (isBlank(src.charCodeAt(i))) i++;
  if (!src.startsWith(delimiter, i)) return null;
  const end = i + delimiter.length;
  return isIdentPart(src.charCodeAt(end)) ? null : end;
}

/** Offset after the run of line breaks at `pos`; `pos` itself if there is none. */
function skipBreaks(src: string, pos: number): number {
  let i = pos;
  while (isNewline(src.charCodeAt(i))) i++;
  return i;
}

interface HeredocLine<T> { readonly parts: StringPart<T>[]; readonly breaks: string }

/**
 * Removes the common indentation of the lines. A line's indentation is measured on its
 * leading text; a line that starts with an interpolation counts as unindented.
 */
function unindent<T>(lines: readonly HeredocLine<T>[]): StringPart<T>[] {
  let indent = Infinity;
  for (const { parts } of lines) {
    const first = parts[0];
    if (typeof first !== 'string') { indent = 0; continue; }
    const nonBlank = first.search(/[^ \t]/);
    indent = Math.min(indent, nonBlank < 0 ? first.length : nonBlank);
  }
  const out: StringPart<T>[] = [];
  const pushText = (s: string): void => {
    if (s === '') return;
    const last = out.length - 1;
    if (last >= 0 && typeof out[last] === 'string') out[last] = (out[last] as string) + s;
    else out.push(s);
  };
  for (const { parts, breaks } of lines) {
    parts.forEach((p, k) => {
      if (typeof p === 'string') pushText(k === 0 ? p.slice(indent) : p);
      else out.push(p);
    });
    pushText(breaks);
  }
  return out;
}

/** Reads heredoc body lines from `bodyStart` up to the closing delimiter. */
function readHeredocBody<T>(
  src: string, bodyStart: number, delimiter: string, readLine: (pos: number) => { parts: StringPart<T>[]; end: number },
): { parts: StringPart<T>[]; end: number } {
  const lines: HeredocLine<T>[] = [];
  let i = bodyStart;
  for (;;) {
    const close = closingAt(src, i, delimiter);
    if (close !== null) return { parts: unindent(lines), end: close };
    const line = readLine(i);
    if (line.parts.length === 0 || !isNewline(src.charCodeAt(line.end))) {
      throw expected([`\`${delimiter}\``], line.end);
    }
    const next = skipBreaks(src, line.end);
    lines.push({ parts: line.parts, breaks: src.slice(line.end, next) });
    i = next;
  }
}

/** A `<<-` heredoc: raw text, no escapes and no interpolation. */
export function readRawHeredoc(src: string, start: number): { value: string; end: number } {
  const { delimiter, bodyStart } = readHeredocOpening(src, start);
  const body = readHeredocBody<never>(src, bodyStart, delimiter, (pos) => {
    let i = pos;
    while (i < src.length && !isNewline(src.charCodeAt(i))) {
      if (!isDisplayChar(src.charCodeAt(i))) throw expected(['newline'], i);
      i++;
    }
    return { parts: i > pos ? [src.slice(pos, i)] : [], end: i };
  });
  return { value: body.parts.join(''), end: body.end };
}

/** The body of a `<<+` heredoc (after its opening line), with `#{expr}` interpolations. */
export function readInterpolatedHeredoc<T>(
  src: string, bodyStart: number, delimiter: string, interpolate: Interpolate<T>,
): { parts: StringPart<T>[]; end: number } {
  return readHeredocBody<T>(src, bodyStart, delimiter, (pos) => {
    const parts: StringPart<T>[] = [];
    let i = pos;
    let textStart = pos;
    const flush = (): void => { if (i > textStart) parts.push(src.slice(textStart, i)); };
    while (i < src.length && !isNewline(src.charCodeAt(i))) {
      if (src.charCodeAt(i) === 35 && src.charCodeAt(i + 1) === 123) {
        flush();
        const inner = interpolate(i + 2);
        parts.push(inner.value);
        i = inner.end;
        textStart = i;
        continue;
      }
      if (!isDisplayChar(src.charCodeAt(i))) throw expected(['newline'], i);
      i++;
    }
    flush();
    return { parts, end: i };
  });
}
