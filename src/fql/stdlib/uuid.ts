// `UUID` values: Fauna documents no members beyond `toString` (core UUIDs.scala).
import { str } from '../values/construct';
import type { UuidV } from '../values/value';
import { defineMethods, defineModule } from './registry';
import { method, sig } from './native-args';

defineModule('UUID');
defineMethods('uuid', {
  toString: method(sig([], (_ctx, self) => str((self as UuidV).v))),
});
