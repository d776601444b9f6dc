// Lexical scopes: an immutable linked list of bindings. Closures capture the list head, so a
// `let` after a lambda's creation never leaks into it, and shadowing is just a newer binding.
import type { Value } from '../values/value';

export interface Scope {
  readonly name: string;
  readonly value: Value;
  readonly parent: Scope | null;
}

/** The binding name of a short lambda's / projection alias's implicit receiver (`.x`). */
export const IMPLICIT = '.';
/**
 * Binding holding the template values of a lambda rebuilt from a cursor: its re-parsed body
 * numbers placeholders from zero within the lambda's own source.
 */
export const TEMPLATES = '\u0000templates';
/**
 * Binding added to a lambda's environment when its body uses template values of the query:
 * those values in source order, so that the lambda can be serialised without the query.
 */
export const CAPTURED_TEMPLATES = '\u0000captured-templates';

export const bind = (parent: Scope | null, name: string, value: Value): Scope => ({ name, value, parent });

export function lookup(scope: Scope | null, name: string): Value | undefined {
  for (let s = scope; s !== null; s = s.parent) if (s.name === name) return s.value;
  return undefined;
}
