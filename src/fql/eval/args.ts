// Parameter types for standard-library methods whose arguments are FQL values of any kind,
// functions, arrays or sets (extending stdlib/native-args.ts, which covers scalars).
import type { ParamType } from '../stdlib/native-args';
import type { ArrayV, FunctionV, ObjectV, SetV, Value } from '../values/value';

export const ANY: ParamType<Value> = { display: 'Any', cast: (v) => v };
export const FUNCTION: ParamType<FunctionV> = { display: 'Function', cast: (v) => (v.t === 'function' ? v : undefined) };
export const ARRAY: ParamType<ArrayV> = { display: 'Array<Any>', cast: (v) => (v.t === 'array' ? v : undefined) };
export const SET: ParamType<SetV> = { display: 'Set<Any>', cast: (v) => (v.t === 'set' ? v : undefined) };
export const OBJECT: ParamType<ObjectV> = { display: '{ *: Any }', cast: (v) => (v.t === 'object' ? v : undefined) };
