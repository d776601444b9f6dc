// `UUID` values: Fauna documents no members beyond `toString` (core UUIDs.scala).
import { str } from '../values/construct';
import type { UuidV } from '../values/value';
import { defineMethods, defineModule, type MethodDef } from './registry';
import { method, sig } from './native-args';

const UUID_METHODS: Record<string, MethodDef> = {
  toString: method(sig([], (_ctx, self) => str((self as UuidV).v))),
};

/** Registers the `UUID` module and the members of UUIDs (called by src/fql/stdlib/index.ts). */
export function wireUuid(): void {
  defineModule('UUID');
  defineMethods('uuid', UUID_METHODS);
}
