// The parser's cursor: the current token, the errors Fauna reports without stopping, and the
// bookkeeping (template placeholders, parenthesised expressions) the grammar needs.
import type { Expr } from '../ast/nodes';
import type { DetailedDiagnostic } from '../summary';
import { TEMPLATE_PLACEHOLDER } from './chars';
import { expected } from './failure';
import { type Token, Tokenizer } from './tokenize';

export class ParserState {
  readonly tokenizer: Tokenizer;
  /** The current (not yet consumed) token. */
  tok: Token;
  /** End offset of the last consumed token: where a node that ends "here" ends. */
  lastEnd = 0;
  /** Errors that do not stop parsing (duplicate keys, misplaced short lambdas, ...). */
  readonly softErrors: DetailedDiagnostic[] = [];
  /** Expressions written in parentheses; they do not merge into a surrounding short lambda. */
  readonly parenthesized = new WeakSet<Expr>();
  private readonly placeholders: number[] = [];

  constructor(readonly source: string) {
    this.tokenizer = new Tokenizer(source);
    for (let i = source.indexOf(TEMPLATE_PLACEHOLDER); i >= 0; i = source.indexOf(TEMPLATE_PLACEHOLDER, i + 1)) {
      this.placeholders.push(i);
    }
    this.tok = this.tokenizer.next(0);
  }

  /** Consumes the current token and returns it. */
  advance(): Token {
    const t = this.tok;
    this.lastEnd = t.end;
    this.tok = this.tokenizer.next(t.end);
    return t;
  }

  /** Repositions the cursor (after the parser read raw text such as a string body). */
  resetTo(offset: number): void {
    this.lastEnd = offset;
    this.tok = this.tokenizer.next(offset);
  }

  /** A checkpoint for backtracking. */
  save(): { tok: Token; lastEnd: number; soft: number } {
    return { tok: this.tok, lastEnd: this.lastEnd, soft: this.softErrors.length };
  }

  restore(mark: { tok: Token; lastEnd: number; soft: number }): void {
    this.tok = mark.tok;
    this.lastEnd = mark.lastEnd;
    this.softErrors.length = mark.soft;
  }

  isPunct(value: string, sameLine = false): boolean {
    return this.tok.kind === 'punct' && this.tok.value === value && !(sameLine && this.tok.nlBefore);
  }

  isWord(word: string): boolean {
    return this.tok.kind === 'ident' && this.tok.value === word;
  }

  /** Consumes the punctuator `value` or fails with "Expected `value`" (plus `alternatives`). */
  expectPunct(value: string, alternatives: readonly string[] = []): Token {
    if (this.isPunct(value)) return this.advance();
    throw expected([`\`${value}\``, ...alternatives], this.tok.start);
  }

  /** Zero-based order of the template placeholder at `offset`. */
  placeholderIndex(offset: number): number {
    return this.placeholders.indexOf(offset);
  }

  soft(d: DetailedDiagnostic): void {
    this.softErrors.push(d);
  }
}
