// FQL v10 and FSL syntax highlighting for CodeMirror 6: a StreamLanguage tokenizer of our own
// (keywords, strings with escapes and `#{}` interpolation, heredocs, numbers, comments,
// annotations, capitalized names as types/collections). Highlighting only: the server parses.
import { HighlightStyle, StreamLanguage, type StreamParser, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';

const FQL_KEYWORDS = new Set(['let', 'if', 'else', 'at', 'isa', 'true', 'false', 'null', 'match', 'case']);
const FSL_KEYWORDS = new Set([
  'collection', 'function', 'role', 'access', 'provider', 'index', 'unique', 'check', 'compute',
  'privileges', 'membership', 'history_days', 'ttl_days', 'terms', 'values', 'migrations', 'document_ttls',
  'create', 'create_with_id', 'delete', 'read', 'write', 'history_read', 'history_write', 'unrestricted_read',
  'call', 'predicate', 'issuer', 'jwks_uri', 'add', 'drop', 'backfill', 'split', 'move', 'move_conflicts',
  'move_wildcard', 'asc', 'desc',
]);

interface State {
  /** Inside a block comment. */
  comment: boolean;
  /** Closing word of an open heredoc. */
  heredoc: string | null;
  fsl: boolean;
}

function parser(fsl: boolean): StreamParser<State> {
  return {
    name: fsl ? 'fsl' : 'fql',
    startState: () => ({ comment: false, heredoc: null, fsl }),
    copyState: (s) => ({ ...s }),
    token(stream, state) {
      if (state.heredoc !== null) {
        if (stream.sol() && stream.match(new RegExp(`^\\s*${state.heredoc}\\b`))) {
          state.heredoc = null;
          return 'string';
        }
        stream.skipToEnd();
        return 'string';
      }
      if (state.comment) {
        if (stream.skipTo('*/')) {
          stream.next(); stream.next();
          state.comment = false;
        } else {
          stream.skipToEnd();
        }
        return 'comment';
      }
      if (stream.eatSpace()) return null;
      if (stream.match('//')) { stream.skipToEnd(); return 'comment'; }
      if (stream.match('/*')) { state.comment = true; return 'comment'; }
      const heredoc = stream.match(/^<<-?\s*([A-Za-z_]\w*)/) as RegExpMatchArray | null;
      if (heredoc) { state.heredoc = heredoc[1]; return 'string'; }
      const ch = stream.peek();
      if (ch === '"' || ch === "'") {
        stream.next();
        let escaped = false;
        for (let c = stream.next(); c !== undefined; c = stream.next()) {
          if (!escaped && c === ch) break;
          escaped = !escaped && c === '\\';
        }
        return 'string';
      }
      if (stream.match(/^-?(0x[0-9a-fA-F_]+|0b[01_]+|0o[0-7_]+|\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?)/)) return 'number';
      if (stream.match(/^@\w+/)) return 'meta';
      const word = stream.match(/^[A-Za-z_]\w*/) as RegExpMatchArray | null;
      if (word) {
        const w = word[0];
        if (FQL_KEYWORDS.has(w) || (state.fsl && FSL_KEYWORDS.has(w))) return 'keyword';
        if (/^[A-Z]/.test(w)) return 'typeName';
        if (stream.peek() === '(') return 'variableName.function';
        return 'variableName';
      }
      if (stream.match(/^(=>|==|!=|<=|>=|&&|\|\||\?\?|\?\.|[-+*/%<>=!?.:|&])/)) return 'operator';
      stream.next();
      return null;
    },
    languageData: { commentTokens: { line: '//', block: { open: '/*', close: '*/' } }, closeBrackets: { brackets: ['(', '[', '{', '"'] } },
  };
}

export const fqlLanguage = StreamLanguage.define(parser(false));
export const fslLanguage = StreamLanguage.define(parser(true));

export const fqlHighlight = syntaxHighlighting(HighlightStyle.define([
  { tag: tags.keyword, color: '#7c3aed', fontWeight: '600' },
  { tag: tags.string, color: '#047857' },
  { tag: tags.number, color: '#b45309' },
  { tag: tags.comment, color: '#6b7280', fontStyle: 'italic' },
  { tag: tags.typeName, color: '#1d4ed8' },
  { tag: [tags.function(tags.variableName), tags.function(tags.name)], color: '#be185d' },
  { tag: tags.meta, color: '#9a3412' },
  { tag: tags.operator, color: '#374151' },
]));
