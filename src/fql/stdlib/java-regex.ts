// FQL regexes are java.util.regex patterns. This compiles them to JavaScript RegExps ('u' mode,
// which like Java matches by code point) after rewriting the Java-only syntax users commonly
// write: leading inline flags `(?i)`, `\Q...\E` quoting, `\A` `\z` `\Z`, identity escapes of any
// punctuation (`\-`, `\#`), stray `}`, `\x{...}`, `\h` `\v` `\R` `\e` `\a`, POSIX classes
// (`\p{Alpha}`) and `Is`-prefixed properties. Unsupported Java features (possessive
// quantifiers, class intersections, mid-pattern flags) fail as invalid regexes.
import { QueryError } from '../errors';

const POSIX: Readonly<Record<string, string>> = {
  Lower: 'a-z', Upper: 'A-Z', ASCII: '\\x00-\\x7f', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~', Graph: '!-~', Print: ' -~', Blank: ' \\t', Cntrl: '\\x00-\\x1f\\x7f',
  XDigit: '0-9a-fA-F', Space: ' \\t\\n\\x0b\\f\\r',
};

// Java's \h and \v classes (\v is vertical whitespace in Java, a vertical tab in JavaScript).
const HORIZONTAL_WS = ' \\t\\xa0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VERTICAL_WS = '\\n\\x0b\\f\\r\\x85\\u2028\\u2029';

/** Escapes that mean the same character in both dialects' class and non-class contexts. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { e: '\\x1b', a: '\\x07' };

const codePointEscape = (cp: number): string => `\\u{${cp.toString(16)}}`;

function quoteLiteral(s: string): string {
  return [...s].map((ch) => (/[0-9A-Za-z]/.test(ch) ? ch : codePointEscape(ch.codePointAt(0) ?? 0))).join('');
}

function isValidProperty(body: string): boolean {
  try {
    new RegExp(`\\p{${body}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

/** `\p{name}` / `\P{name}` in JavaScript syntax; undefined when there is no equivalent. */
function translateProperty(name: string, negated: boolean, inClass: boolean): string | undefined {
  const posix = POSIX[name];
  if (posix !== undefined) {
    if (!inClass) return negated ? `[^${posix}]` : `[${posix}]`;
    return negated ? undefined : posix;
  }
  const p = negated ? 'P' : 'p';
  if (isValidProperty(name)) return `\\${p}{${name}}`;
  if (name.startsWith('Is')) {
    const rest = name.slice(2);
    if (isValidProperty(rest)) return `\\${p}{${rest}}`;
    if (isValidProperty(`Script=${rest}`)) return `\\${p}{Script=${rest}}`;
  }
  return undefined;
}

/** Rewrites one escape sequence starting at `p[i] === '\\'`; returns [output, next index]. */
function translateEscape(p: string, i: number, inClass: boolean): [string, number] {
  const n = p[i + 1];
  if (n === undefined) return ['\\', i + 1];
  if (n === 'Q') {
    const end = p.indexOf('\\E', i + 2);
    const literal = p.slice(i + 2, end < 0 ? p.length : end);
    return [quoteLiteral(literal), end < 0 ? p.length : end + 2];
  }
  if ((n === 'p' || n === 'P') && p[i + 2] === '{') {
    const close = p.indexOf('}', i + 3);
    if (close > 0) {
      const translated = translateProperty(p.slice(i + 3, close), n === 'P', inClass);
      if (translated !== undefined) return [translated, close + 1];
    }
    return [p.slice(i, i + 2), i + 2];
  }
  if (n === 'x' && p[i + 2] === '{') {
    const close = p.indexOf('}', i + 3);
    if (close > 0) return [`\\u{${p.slice(i + 3, close)}}`, close + 1];
  }
  if (SIMPLE_ESCAPES[n]) return [SIMPLE_ESCAPES[n], i + 2];
  if (n === 'h') return [inClass ? HORIZONTAL_WS : `[${HORIZONTAL_WS}]`, i + 2];
  if (n === 'v') return [inClass ? VERTICAL_WS : `[${VERTICAL_WS}]`, i + 2];
  if (!inClass) {
    switch (n) {
      case 'A': return ['(?<![\\s\\S])', i + 2];
      case 'z': return ['(?![\\s\\S])', i + 2];
      case 'Z': return ['(?=\\n?(?![\\s\\S]))', i + 2];
      case 'H': return [`[^${HORIZONTAL_WS}]`, i + 2];
      case 'V': return [`[^${VERTICAL_WS}]`, i + 2];
      case 'R': return [`(?:\\r\\n|[${VERTICAL_WS}])`, i + 2];
    }
  }
  if (/[0-9A-Za-z]/.test(n)) return [p.slice(i, i + 2), i + 2];
  // Java lets any other character be escaped; 'u' mode only some, so spell it as a code point.
  const cp = p.codePointAt(i + 1) ?? 0;
  return [codePointEscape(cp), i + 1 + (cp > 0xffff ? 2 : 1)];
}

function translate(pattern: string): { source: string; flags: string } {
  let flags = 'gu';
  let i = 0;
  const lead = /^\(\?([imsu]+)\)/.exec(pattern);
  if (lead) {
    for (const f of new Set(lead[1])) if (f !== 'u') flags += f;
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const [text, next] = translateEscape(pattern, i, inClass);
      out += text;
      i = next;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      i++;
    } else if (c === '[') {
      inClass = true;
      out += c;
      i++;
      // Java reads a ']' right after '[' or '[^' as a literal.
      if (pattern[i] === '^') { out += '^'; i++; }
      if (pattern[i] === ']') { out += '\\]'; i++; }
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      const chunk = close < 0 ? c : pattern.slice(i, close + 1);
      out += chunk;
      i += chunk.length;
    } else {
      out += c === '}' ? '\\}' : c;
      i++;
    }
  }
  return { source: out, flags };
}

const JAVA_DESCRIPTIONS: Readonly<Record<string, string>> = {
  'Unterminated group': 'Unclosed group',
  'Unterminated character class': 'Unclosed character class',
  "Unmatched ')'": "Unmatched closing ')'",
};

/**
 * Java's "Dangling meta character" for a quantifier with nothing to repeat (JS: "Nothing to
 * repeat"): a `*`, `+` or `?` at the start of the pattern, a group or an alternative.
 */
function danglingQuantifier(pattern: string): { description: string; index: number } | undefined {
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === '\\') { i++; continue; }
    if ('*+?'.includes(chars[i]) && (i === 0 || chars[i - 1] === '(' || chars[i - 1] === '|')) {
      return { description: `Dangling meta character '${chars[i]}'`, index: i };
    }
  }
  return undefined;
}

function invalidRegex(pattern: string, err: unknown): QueryError {
  const message = err instanceof Error ? err.message : String(err);
  const jsDescription = message.slice(message.lastIndexOf(': ') + 2);
  const dangling = jsDescription === 'Nothing to repeat' ? danglingQuantifier(pattern) : undefined;
  const description = dangling?.description ?? JAVA_DESCRIPTIONS[jsDescription] ?? jsDescription;
  const index = dangling?.index ?? [...pattern].length;
  return new QueryError('invalid_regex', `Invalid regular expression. ${description} at index ${index}`);
}

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 512;

/**
 * The same pattern without the `u` flag, where that means the same on text without surrogate
 * pairs. V8's linear-time engine, which takes over from backtracking past a bound (see
 * src/main.ts), does not run `u` patterns, so catastrophic patterns are only defused there.
 */
const bmpVariants = new WeakMap<RegExp, RegExp>();

function bmpVariantOf(source: string, flags: string): RegExp | undefined {
  if (!flags.includes('u') || /\\[pPu]\{|[\uD800-\uDFFF]/.test(source)) return undefined;
  try {
    return new RegExp(source, flags.replace('u', ''));
  } catch {
    return undefined;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** The variant of `re` to run on `text`: the linear-time-capable one when it means the same. */
export function regexFor(re: RegExp, text: string): RegExp {
  const bmp = bmpVariants.get(re);
  return bmp !== undefined && !SURROGATE.test(text) ? bmp : re;
}

/**
 * A global ('g') RegExp for a Java pattern, or an `invalid_regex` QueryError. Callers reset
 * `lastIndex` before `exec`; the object is shared through a small cache.
 */
export function compileJavaRegex(pattern: string): RegExp {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RegExp;
  try {
    const { source, flags } = translate(pattern);
    re = new RegExp(source, flags);
    const bmp = bmpVariantOf(source, flags);
    if (bmp) bmpVariants.set(re, bmp);
  } catch (err) {
    throw invalidRegex(pattern, err);
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, re);
  return re;
}
