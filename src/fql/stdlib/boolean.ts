// `Boolean` values: only `toString` is a method (&&, || and ! are operators of the evaluator).
import { str } from '../values/construct';
import { defineMethods, defineModule, type MethodDef } from './registry';
import { method, sig } from './native-args';

const BOOLEAN_METHODS: Record<string, MethodDef> = {
  toString: method(sig([], (_ctx, self) => str(self.t === 'boolean' && self.v ? 'true' : 'false'))),
};

/** Registers the `Boolean` module and the members of booleans (called by src/fql/stdlib/index.ts). */
export function wireBoolean(): void {
  defineModule('Boolean');
  defineMethods('boolean', BOOLEAN_METHODS);
}
