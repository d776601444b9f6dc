// String functions (core StringFunctions.scala). Strings are UTF-16 as on the JVM; the indexes
// these functions take and report count code points. Regular expressions are Java patterns
// (translated by the v10 standard library's java-regex.ts).
import { QueryError } from '../../fql/errors';
import { checkArraySize, checkStringSize, MAX_VALUE_SIZE, valueTooLarge } from '../../fql/limits';
import { compileJavaRegex, regexFor } from '../../fql/stdlib/java-regex';
import { NORMALIZERS, codePointCount, codePointLength, offsetByCodePoints } from '../../fql/stdlib/string';
import { type Position, V4Error, invalidArgument } from '../errors';
import { type FormArgs, type FormSpec, defineForms } from '../evaluator';
import { FormatError, parseFormat, printSpec } from '../java-format';
import { type V4Value, arr4, bool4, long4, obj4, str4, typeName4 } from '../values';
import {
  anyValue, arg, boundsError, expectBoolean, expectInteger, expectScalar, expectString, optArg, zeroOrMore,
} from './args';

const MAX_REPEAT = 1024n;

/** Core `Casts.Regex`: a Java pattern, or `Search pattern /x/ is not a valid regular expression.` */
function expectRegex(v: V4Value, pos: Position): RegExp {
  const source = expectString(v, pos);
  try {
    return compileJavaRegex(source);
  } catch (e) {
    if (e instanceof QueryError) {
      throw new V4Error('invalid argument', `Search pattern /${source}/ is not a valid regular expression.`, pos);
    }
    throw e;
  }
}

/** The variant of `re` for `text`, ready to scan from the start. */
function scanner(re: RegExp, text: string): RegExp {
  const r = regexFor(re, text);
  r.lastIndex = 0;
  return r;
}

/** A code point offset as a UTF-16 offset (core uses it only for 0 < n < length). */
function charOffset(s: string, start: bigint | undefined): number {
  if (start === undefined || start <= 0n || start >= BigInt(s.length)) return 0;
  return offsetByCodePoints(s, Number(start)) ?? s.length;
}

// Java's Character.isWhitespace: Unicode spaces except the non-breaking ones, plus controls.
const WS = '\\t\\n\\u000b\\f\\r\\u001c-\\u001f \\u1680\\u2000-\\u2006\\u2008-\\u200a\\u2028\\u2029\\u205f\\u3000';
const LEADING_WS = new RegExp(`^[${WS}]+`);
const TRAILING_WS = new RegExp(`[${WS}]+$`);

/** java.util.regex.Pattern.quote. */
function quote(s: string): string {
  let out = '\\Q';
  let from = 0;
  for (let at = s.indexOf('\\E'); at >= 0; at = s.indexOf('\\E', from)) {
    out += `${s.slice(from, at)}\\E\\\\E\\Q`;
    from = at + 2;
  }
  return `${out}${s.slice(from)}\\E`;
}

/** java.lang.String.replace(target, replacement): every literal occurrence; "" matches between chars. */
function replaceLiteral(s: string, find: string, replacement: string): string {
  // The result's length is known before it is built (an empty `find` matches before every code
  // point and at the end), and it is built without an array of the pieces.
  let matches = 0;
  if (find === '') matches = codePointLength(s) + 1;
  else for (let at = s.indexOf(find); at >= 0; at = s.indexOf(find, at + find.length)) matches++;
  checkStringSize(s.length + matches * (replacement.length - find.length));
  return find === '' ? s.replace(/(?:)/gu, () => replacement) : s.replaceAll(find, () => replacement);
}

/** java.util.regex.Matcher's replacement syntax: `$n`, `${name}` and `\x` escapes. */
function expandReplacement(replacement: string, match: readonly (string | undefined)[], groups: Record<string, string> | undefined, used = 0): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    checkStringSize(used + out.length);
    const c = replacement[i];
    if (c === '\\' && i + 1 < replacement.length) {
      out += replacement[++i];
    } else if (c === '$' && replacement[i + 1] === '{') {
      const end = replacement.indexOf('}', i);
      out += groups?.[replacement.slice(i + 2, end)] ?? '';
      i = end;
    } else if (c === '$' && /\d/.test(replacement[i + 1] ?? '')) {
      // Java takes as many digits as still name an existing group.
      let n = Number(replacement[++i]);
      while (/\d/.test(replacement[i + 1] ?? '') && n * 10 + Number(replacement[i + 1]) < match.length) n = n * 10 + Number(replacement[++i]);
      out += match[n] ?? '';
    } else {
      out += c;
    }
  }
  return out;
}

function replaceRegex(s: string, re: RegExp, replacement: string, firstOnly: boolean): string {
  const r = firstOnly ? new RegExp(re.source, re.flags.replace('g', '')) : scanner(re, s);
  // Each match may expand to far more than it replaces (`$0$0$0…`): the result is bounded as it grows.
  let size = s.length;
  return s.replace(r, (...m: unknown[]) => {
    const last = m[m.length - 1];
    const groups = typeof last === 'object' ? last as Record<string, string> : undefined;
    const captures = m.slice(0, groups ? -3 : -2) as (string | undefined)[];
    const out = expandReplacement(replacement, captures, groups, size);
    size += out.length - (captures[0]?.length ?? 0);
    checkStringSize(size);
    return out;
  });
}

/** Core FindStrRegexFunction: up to 1024 matches as {start, end, data}, end inclusive. */
function findAll(value: string, re: RegExp, start: bigint | undefined, count: bigint | undefined): V4Value {
  const from = charOffset(value, start);
  const cpOffset = from === 0 ? 0 : Number(start);
  const s = value.slice(from);
  let left = count === undefined || count > 1024n ? 1024 : Number(count);
  const out: V4Value[] = [];
  for (const m of s.matchAll(scanner(re, s))) {
    if (left-- <= 0) break;
    const begin = m.index ?? 0;
    const end = m[0].length > 0 ? begin + m[0].length - 1 : begin;
    out.push(obj4([
      ['start', long4(cpOffset + codePointCount(s, begin))],
      ['end', long4(cpOffset + codePointCount(s, end))],
      ['data', str4(m[0])],
    ]));
  }
  return arr4(out);
}

/** Core SubStringFunction (code points; a negative start counts from the end). */
function substring(value: string, start: bigint | undefined, length: bigint | undefined, pos: Position): string {
  const len = codePointLength(value);
  const spos = start === undefined ? 0 : start >= 0n ? Number(start) : len + Number(start);
  const epos = length === undefined ? len : length === 0n ? spos : length > 0n ? Math.min(spos + Number(length), len) : -1;
  if (spos > len || spos < 0) throw boundsError('start', 'less than or equal to the string length', pos);
  if (epos < 0) throw boundsError('length', 'positive', pos);
  const from = offsetByCodePoints(value, spos) ?? value.length;
  return value.slice(from, offsetByCodePoints(value, epos) ?? value.length);
}

const CASED = /[\p{Lu}\p{Ll}\p{Lt}]/u;
const WORDS = new Intl.Segmenter('en', { granularity: 'word' });

/** ICU's toTitleCase with a word break iterator: each word's first cased letter up, the rest down. */
function titleCase(s: string): string {
  let out = '';
  for (const { segment } of WORDS.segment(s)) {
    const chars = [...segment];
    const first = chars.findIndex((c) => CASED.test(c));
    if (first < 0) { out += segment; continue; }
    out += chars.slice(0, first).join('') + chars[first].toUpperCase() + chars.slice(first + 1).join('').toLowerCase();
  }
  return out;
}

/** Lucene's NGramTokenizer: every gram of min..max code points, by start position then size. */
function ngrams(s: string, min: number, max: number): V4Value[] {
  // Counted before they are built: a long string or large sizes make many long grams.
  const length = codePointLength(s);
  let count = 0, chars = 0;
  for (let n = min; n <= max; n++) {
    const k = Math.max(0, length - n + 1);
    count += k;
    chars += k * n;
  }
  checkArraySize(count);
  if (chars > MAX_VALUE_SIZE) throw valueTooLarge(`ngrams size ${chars} exceeds limit ${MAX_VALUE_SIZE}`);
  const cps = [...s];
  const out: V4Value[] = [];
  for (let i = 0; i < cps.length; i++) {
    for (let n = min; n <= max && i + n <= cps.length; n++) out.push(str4(cps.slice(i, i + n).join('')));
  }
  return out;
}

const NGRAM_MIN = 1n;
const NGRAM_MAX = 2n;

/** Core NGramFunction's bounds (at most one size apart; defaults 1 and 2). */
function ngramBounds(min: bigint | undefined, max: bigint | undefined, pos: Position): [number, number] {
  const fail = (arg: string, pred: string) => boundsError(arg, pred, pos);
  if (min !== undefined && max !== undefined) {
    if (min > max || min <= 0n) throw fail('min ngram size', '> 0 and <= max');
    if (max <= 0n) throw fail('max ngram size', '> 0');
    if (max - min > 1n) throw fail('max ngram size', '<= min + 1');
  } else if (min !== undefined) {
    if (min > NGRAM_MAX || min <= 0n) throw fail('min ngram size', '> 0 and <= max');
    if (NGRAM_MAX - min > 1n) throw fail('min ngram size', '>= max - 1');
  } else if (max !== undefined) {
    if (max <= 0n || max <= NGRAM_MIN) throw fail('max ngram size', '> 0 and >= min');
    if (max - NGRAM_MIN > 1n) throw fail('max ngram size', '<= min + 1');
  }
  return [Number(min ?? NGRAM_MIN), Number(max ?? NGRAM_MAX)];
}

/** Core `Casts.Normalizer`. */
function expectNormalizer(v: V4Value, pos: Position): (s: string) => string {
  const f = v.t === 'string' ? NORMALIZERS.get(v.v) : undefined;
  if (!f) {
    throw new V4Error('invalid argument',
      `String 'NFKCCaseFold', 'NFC', 'NFD', 'NFKC', or 'NFKD' expected, ${typeName4(v)} provided.`, pos);
  }
  return f;
}

/** Core FormatFunction: specifiers take the next value or the one they name (`%2$s`). */
async function format(a: FormArgs): Promise<V4Value> {
  const fmt = await arg(a, 'format', expectString);
  const values = zeroOrMore(await a.value('values'), a.at('values'), anyValue);
  const fmtPos = a.at('format');
  let pieces;
  try {
    pieces = parseFormat(fmt);
  } catch (e) {
    if (e instanceof FormatError && e.failure.t === 'conversion') throw conversionError(e.failure.text, fmtPos);
    throw e;
  }
  let next = 0;
  let out = '';
  for (const p of pieces) {
    if (p.t === 'raw') { checkStringSize(out.length + p.text.length); out += p.text; continue; }
    const i = p.index === 0 ? next++ : p.index - 1;
    if (i >= values.length) {
      throw p.index === 0
        ? boundsError('format specifiers count', '<= arguments size', fmtPos)
        : boundsError('index', '>= 1 and <= arguments size', fmtPos);
    }
    const valuePos = [...a.at('values'), i];
    try {
      const piece = printSpec(p, values[i]);
      checkStringSize(out.length + piece.length);
      out += piece;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      const f = e.failure;
      switch (f.t) {
        case 'conversion': throw conversionError(f.text, fmtPos);
        case 'expected': throw invalidArgument(f.expected, values[i], valuePos);
        case 'cast': throw new V4Error('invalid argument', `Cannot cast ${typeName4(values[i])} to ${f.target}.`, valuePos);
        case 'suffix': throw new V4Error('invalid argument', `Invalid date/time suffix '${f.text}'.`, valuePos);
      }
    }
  }
  return str4(out);
}

const conversionError = (text: string, pos: Position): V4Error =>
  new V4Error('invalid argument', `Invalid conversion format '${text}'.`, pos);

/** A function of one string. */
const onString = (key: string, f: (s: string) => V4Value): FormSpec => ({
  keys: [key],
  run: async (_ev, a) => f(await arg(a, key, expectString)),
});

/** A predicate of a string and a search string. */
const search = (key: string, f: (s: string, find: string) => boolean): FormSpec => ({
  keys: [key, 'search'],
  run: async (_ev, a) => bool4(f(await arg(a, key, expectString), await arg(a, 'search', expectString))),
});

const STRING_FORMS: readonly FormSpec[] = [
  {
    keys: ['concat'], optional: ['separator'],
    run: async (_ev, a) => {
      const parts = zeroOrMore(await a.value('concat'), a.at('concat'), expectString);
      const separator = (await optArg(a, 'separator', expectString)) ?? '';
      checkStringSize(parts.reduce((n, p) => n + p.length, Math.max(0, parts.length - 1) * separator.length));
      return str4(parts.join(separator));
    },
  },
  {
    keys: ['casefold'], optional: ['normalizer'],
    run: async (_ev, a) => {
      const terms = zeroOrMore(await a.value('casefold'), a.at('casefold'), expectScalar);
      const normalize = (await optArg(a, 'normalizer', expectNormalizer)) ?? NORMALIZERS.get('NFKCCaseFold')!;
      const out = terms.map((t) => (t.t === 'string' ? str4(normalize(t.v)) : t));
      return out.length === 1 ? out[0] : arr4(out);
    },
  },
  onString('regexescape', (s) => str4(quote(s))),
  search('startswith', (s, x) => s.startsWith(x)),
  search('endswith', (s, x) => s.endsWith(x)),
  search('containsstr', (s, x) => s.includes(x)),
  {
    keys: ['containsstrregex', 'pattern'],
    run: async (_ev, a) => {
      const s = await arg(a, 'containsstrregex', expectString);
      return bool4(scanner(await arg(a, 'pattern', expectRegex), s).test(s));
    },
  },
  {
    keys: ['findstr', 'find'], optional: ['start'],
    run: async (_ev, a) => {
      const s = await arg(a, 'findstr', expectString);
      const find = await arg(a, 'find', expectString);
      const at = s.indexOf(find, charOffset(s, await optArg(a, 'start', expectInteger)));
      return long4(at > 0 ? codePointCount(s, at) : at);
    },
  },
  {
    keys: ['findstrregex', 'pattern'], optional: ['start', 'num_results'],
    run: async (_ev, a) => findAll(
      await arg(a, 'findstrregex', expectString), await arg(a, 'pattern', expectRegex),
      await optArg(a, 'start', expectInteger), await optArg(a, 'num_results', expectInteger)),
  },
  onString('length', (s) => long4(codePointLength(s))),
  onString('lowercase', (s) => str4(s.toLowerCase())),
  onString('uppercase', (s) => str4(s.toUpperCase())),
  onString('titlecase', (s) => str4(titleCase(s))),
  onString('trim', (s) => str4(s.replace(LEADING_WS, '').replace(TRAILING_WS, ''))),
  onString('ltrim', (s) => str4(s.replace(LEADING_WS, ''))),
  onString('rtrim', (s) => str4(s.replace(TRAILING_WS, ''))),
  {
    keys: ['ngram'], optional: ['min', 'max'],
    run: async (_ev, a) => {
      const terms = zeroOrMore(await a.value('ngram'), a.at('ngram'), expectScalar);
      const [min, max] = ngramBounds(await optArg(a, 'min', expectInteger), await optArg(a, 'max', expectInteger), a.pos);
      return arr4(terms.flatMap((t) => (t.t === 'string' ? ngrams(t.v, min, max) : [t])));
    },
  },
  {
    keys: ['repeat'], optional: ['number'],
    run: async (_ev, a) => {
      const s = await arg(a, 'repeat', expectString);
      const n = (await optArg(a, 'number', expectInteger)) ?? 2n;
      const times = n > 0n ? Number(n < MAX_REPEAT ? n : MAX_REPEAT) : 0;
      checkStringSize(s.length * times);
      return str4(s.repeat(times));
    },
  },
  {
    keys: ['space'],
    run: async (_ev, a) => {
      const n = await arg(a, 'space', expectInteger);
      return str4(n > 0n ? ' '.repeat(Number(n < MAX_REPEAT ? n : MAX_REPEAT)) : '');
    },
  },
  {
    keys: ['replacestr', 'find', 'replace'],
    run: async (_ev, a) => str4(replaceLiteral(
      await arg(a, 'replacestr', expectString), await arg(a, 'find', expectString), await arg(a, 'replace', expectString))),
  },
  {
    keys: ['replacestrregex', 'pattern', 'replace'], optional: ['first'],
    run: async (_ev, a) => str4(replaceRegex(
      await arg(a, 'replacestrregex', expectString), await arg(a, 'pattern', expectRegex),
      await arg(a, 'replace', expectString), (await optArg(a, 'first', expectBoolean)) ?? false)),
  },
  {
    keys: ['substring'], optional: ['start', 'length'],
    run: async (_ev, a) => str4(substring(
      await arg(a, 'substring', expectString), await optArg(a, 'start', expectInteger),
      await optArg(a, 'length', expectInteger), a.pos)),
  },
  { keys: ['format', 'values'], run: async (_ev, a) => format(a) },
];

/** Registers the string forms (called by src/v4/forms/index.ts). */
export function wireStringForms(): void {
  defineForms(STRING_FORMS);
}
