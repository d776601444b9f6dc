// `Boolean` values: only `toString` is a method (&&, || and ! are operators of the evaluator).
import { str } from '../values/construct';
import { defineMethods, defineModule } from './registry';
import { method, sig } from './native-args';

defineModule('Boolean');
defineMethods('boolean', {
  toString: method(sig([], (_ctx, self) => str(self.t === 'boolean' && self.v ? 'true' : 'false'))),
});
