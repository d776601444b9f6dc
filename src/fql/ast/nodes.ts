// FQL v10 abstract syntax tree. Every node carries its source span so that every error can
// point at the exact text that failed. Nodes are plain immutable objects discriminated by
// `kind`.
import type { Span } from './span';

export type Expr =
  | NullLit
  | BooleanLit
  | NumberLit
  | StringLit
  | TemplateString
  | TemplateValue
  | Ident
  | ArrayLit
  | ObjectLit
  | Block
  | Unary
  | Binary
  | Logical
  | IsA
  | Member
  | IndexAccess
  | Call
  | NonNull
  | Lambda
  | ShortLambda
  | ImplicitArg
  | If
  | At
  | Projection;

interface Base { readonly span: Span }

export interface NullLit extends Base { readonly kind: 'null' }
export interface BooleanLit extends Base { readonly kind: 'boolean'; readonly value: boolean }
/**
 * A numeric literal. `numType` is decided by the parser: integers that fit in 32 bits are
 * `int`, in 64 bits `long`; anything with a fraction or exponent is `double`. `raw` keeps the
 * source text (hex `0x1F`, binary `0b1`, octal `0o7`, underscores are allowed in FQL).
 */
export interface NumberLit extends Base {
  readonly kind: 'number';
  readonly numType: 'int' | 'long' | 'double';
  readonly raw: string;
  /** For int/double: the JS number. For long: use `big`. */
  readonly value: number;
  readonly big?: bigint;
}
export interface StringLit extends Base { readonly kind: 'string'; readonly value: string }
/** `"a #{expr} b"`: literal string parts interleaved with interpolated expressions. */
export interface TemplateString extends Base {
  readonly kind: 'template';
  readonly parts: readonly (string | Expr)[];
}
/**
 * A value spliced in by the driver's template form (`{"value": ...}` fragment). The source
 * holds the placeholder "\u0000value>" (rendered `<value>` in summaries); `index` is the
 * zero-based order of the placeholder in the source.
 */
export interface TemplateValue extends Base { readonly kind: 'templateValue'; readonly index: number }
/** A variable or a global (module) name. */
export interface Ident extends Base { readonly kind: 'ident'; readonly name: string }
export interface ArrayLit extends Base { readonly kind: 'array'; readonly elements: readonly Expr[] }
export interface ObjectField { readonly key: string; readonly keySpan: Span; readonly value: Expr }
export interface ObjectLit extends Base { readonly kind: 'object'; readonly fields: readonly ObjectField[] }
/** `{ stmt; stmt; expr }` — also the top-level query body. Its value is the last expression. */
export interface Block extends Base {
  readonly kind: 'block';
  readonly body: readonly Stmt[];
  /** The trailing expression; a block whose last statement is a `let` evaluates to null. */
  readonly result: Expr | null;
}
export type UnaryOp = '-' | '!' | '~';
export interface Unary extends Base {
  readonly kind: 'unary'; readonly op: UnaryOp; readonly operand: Expr; readonly opSpan: Span;
}
export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%' | '**'
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '&' | '|' | '^'
  | '??';
export interface Binary extends Base {
  readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr;
  readonly opSpan: Span;
}
/** Short-circuiting `&&` / `||`. */
export interface Logical extends Base {
  readonly kind: 'logical'; readonly op: '&&' | '||'; readonly left: Expr; readonly right: Expr;
  readonly opSpan: Span;
}
/** `expr isa Type` */
export interface IsA extends Base { readonly kind: 'isa'; readonly value: Expr; readonly type: TypeExpr }
/** A link of a member/call/index/`!` chain. */
interface ChainBase extends Base {
  /**
   * Written in parentheses, as the whole group: the chain ends there, so a `?.` inside does not
   * skip links outside (`(null?.foo).bar` fails; core parses the group as an expression of its own).
   */
  readonly grouped?: true;
}
/** `obj.field` or `obj?.field`. */
export interface Member extends ChainBase {
  readonly kind: 'member'; readonly object: Expr; readonly name: string; readonly nameSpan: Span;
  readonly optional: boolean;
  /** The `.` or `?.` before the name. */
  readonly dotSpan: Span;
}
/** `obj[expr]` or `obj?.[expr]`. */
export interface IndexAccess extends ChainBase {
  readonly kind: 'index'; readonly object: Expr; readonly index: Expr; readonly optional: boolean;
}
/** `callee(args)` or `callee?.(args)`. A method call is a Call whose callee is a Member. */
export interface Call extends ChainBase {
  readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[]; readonly optional: boolean;
  /** Span of the argument list including parentheses. */
  readonly argsSpan: Span;
}
/** Postfix non-null assertion `expr!`. */
export interface NonNull extends ChainBase { readonly kind: 'nonNull'; readonly expr: Expr; readonly bangSpan: Span }
export type ChainLink = Member | IndexAccess | Call | NonNull;
export const isChainLink = (e: Expr): e is ChainLink =>
  e.kind === 'member' || e.kind === 'index' || e.kind === 'call' || e.kind === 'nonNull';
/** `x => body`, `(a, b) => body`, `(...rest) => body`, `() => body`. */
export interface Lambda extends Base {
  readonly kind: 'lambda';
  readonly params: readonly string[];
  readonly variadic: boolean;
  readonly body: Expr;
}
/**
 * Anonymous-function shorthand: an argument expression that starts with `.`, e.g.
 * `.email == "x"` means `x => x.email == "x"`. The body refers to the implicit parameter
 * through ImplicitArg nodes.
 */
export interface ShortLambda extends Base { readonly kind: 'shortLambda'; readonly body: Expr }
/** The implicit parameter of a ShortLambda (the empty receiver before a leading `.`). */
export interface ImplicitArg extends Base { readonly kind: 'implicitArg' }
export interface If extends Base {
  readonly kind: 'if'; readonly cond: Expr; readonly then: Expr; readonly else: Expr | null;
}
/** `at (time) expr` — temporal read. */
export interface At extends Base { readonly kind: 'at'; readonly time: Expr; readonly body: Expr }
/** `expr { a, b: expr, c { d } }` */
export interface Projection extends Base {
  readonly kind: 'projection'; readonly object: Expr; readonly fields: readonly ProjectionField[];
}
export type ProjectionField =
  /** `name` alone, or `name { ... }` (nested projection of that field). */
  | { readonly kind: 'field'; readonly name: string; readonly span: Span; readonly nested?: readonly ProjectionField[] }
  /** `name: expr` — expr is evaluated with the projected value as implicit receiver (`.x`). */
  | { readonly kind: 'alias'; readonly name: string; readonly span: Span; readonly value: Expr };

// Statements -----------------------------------------------------------------------------------

export type Stmt = LetStmt | ExprStmt;
export interface LetStmt extends Base {
  readonly kind: 'let'; readonly name: string; readonly nameSpan: Span;
  readonly type: TypeExpr | null; readonly value: Expr;
}
export interface ExprStmt extends Base { readonly kind: 'exprStmt'; readonly expr: Expr }

// Types (for `isa`, `let x: T`, and FSL signatures) -------------------------------------------

export type TypeExpr =
  | { readonly kind: 'typeName'; readonly name: string; readonly args: readonly TypeExpr[]; readonly span: Span }
  | { readonly kind: 'typeUnion'; readonly members: readonly TypeExpr[]; readonly span: Span }
  | { readonly kind: 'typeOptional'; readonly inner: TypeExpr; readonly span: Span }
  | { readonly kind: 'typeLiteral'; readonly value: string | number | boolean | null; readonly span: Span }
  | {
    readonly kind: 'typeObject';
    /** `fallback`: an FSL default (`street: Number = 10`), the span of its expression. */
    readonly fields: readonly { key: string; type: TypeExpr; optional: boolean; fallback?: Span }[];
    readonly wildcard: TypeExpr | null; readonly span: Span;
  }
  | { readonly kind: 'typeTuple'; readonly elements: readonly TypeExpr[]; readonly span: Span }
  | { readonly kind: 'typeFunction'; readonly params: readonly TypeExpr[]; readonly result: TypeExpr; readonly span: Span };

/** A parsed query: the top level is a block without braces. */
export interface Query { readonly source: string; readonly body: Block }
