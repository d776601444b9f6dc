// Global values that are not modules: the functions `abort`, `log`, `dbg`, `newId`, ... They
// are resolved after local variables and request arguments, like built-in modules.
import type { Value } from '../values/value';

const globals = new Map<string, Value>();

export function defineGlobal(name: string, value: Value): void {
  globals.set(name, value);
}

export function lookupBuiltinGlobal(name: string): Value | undefined {
  return globals.get(name);
}
