// Type checks and conversions (core TypeCheckFunctions.scala, ConversionFunctions.scala).
import { javaDoubleToLong } from '../../fql/stdlib/number';
import { type Position, V4Error } from '../errors';
import { type FormSpec, defineForms } from '../evaluator';
import { toText } from '../java-format';
import {
  type NativeName, type V4Value, arr4, bool4, isNativeCollectionRef, nativeCollOf, str4, typeName4, versionRef,
} from '../values';
import { type Num, invalidCast } from './args';
import { dateOf, timeOf } from './time';

// ----------------------------------------------------------------------------- checks

/** The native collection a ref or version belongs to (`collections`, `keys`, ...). */
function nativeOf(v: V4Value): NativeName | undefined {
  const ref = v.t === 'ref' ? v : versionRef(v);
  return ref && nativeCollOf(ref);
}

/** Core `IsSet`: what `Casts.Identifier` takes as a set: sets and native collection refs. */
const isSet = (v: V4Value): boolean => v.t === 'set' || (v.t === 'ref' && isNativeCollectionRef(v));

const CHECKS: Readonly<Record<string, (v: V4Value) => boolean>> = {
  is_number: (v) => v.t === 'long' || v.t === 'double',
  is_double: (v) => v.t === 'double',
  is_integer: (v) => v.t === 'long',
  is_boolean: (v) => v.t === 'boolean',
  is_null: (v) => v.t === 'null',
  is_bytes: (v) => v.t === 'bytes',
  is_timestamp: (v) => v.t === 'time',
  is_date: (v) => v.t === 'date',
  is_uuid: (v) => v.t === 'uuid',
  is_string: (v) => v.t === 'string',
  is_array: (v) => v.t === 'array',
  is_object: (v) => v.t === 'object' || v.t === 'page',
  is_ref: (v) => v.t === 'ref',
  is_set: isSet,
  is_doc: (v) => v.t === 'ref' || versionRef(v) !== undefined,
  is_lambda: (v) => v.t === 'lambda',
  is_collection: (v) => nativeOf(v) === 'collections',
  is_database: (v) => nativeOf(v) === 'databases',
  is_index: (v) => nativeOf(v) === 'indexes',
  is_function: (v) => nativeOf(v) === 'functions',
  is_key: (v) => nativeOf(v) === 'keys',
  is_token: (v) => nativeOf(v) === 'tokens',
  is_credentials: (v) => nativeOf(v) === 'credentials',
  is_role: (v) => nativeOf(v) === 'roles',
};

// ------------------------------------------------------------------------ conversions

/**
 * java.text.NumberFormat.getInstance().parse (en-US) after String.trim: the longest prefix that
 * reads as a number with `,` grouping; a Long when the value is integral and fits, else a Double.
 */
function parseJavaNumber(text: string): Num | undefined {
  const m = /^-?(?:[0-9][0-9,]*)?(?:\.[0-9]*)?(?:E[+-]?[0-9]+)?/.exec(text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, ''));
  const body = m?.[0].replace(/,/g, '') ?? '';
  if (!/[0-9]/.test(body.split('E')[0])) return undefined;
  const d = Number(body.replace(/\.?E/, 'e').replace(/\.$/, ''));
  if (Number.isInteger(d) && !Object.is(d, -0) && Math.abs(d) < 2 ** 63) {
    const exact = /^-?[0-9]+(\.0*)?$/.test(body) ? BigInt(body.split('.')[0]) : BigInt(d);
    return { t: 'long', v: exact };
  }
  return { t: 'double', v: d };
}

/**
 * A conversion of the argument value. Core reports some failures at the form and some at the
 * argument; `now` is the transaction time, for `ToTime("now")`.
 */
interface ConversionContext { readonly form: Position; readonly arg: Position; readonly now: V4Value }
type Conversion = (v: V4Value, at: ConversionContext) => V4Value;

const toNumber: Conversion = (v, at) => {
  if (v.t === 'long' || v.t === 'double') return v;
  const n = v.t === 'string' ? parseJavaNumber(v.v) : undefined;
  if (!n) throw invalidCast(typeName4(v), 'Number', at.form);
  return n;
};

const toDouble: Conversion = (v, at) => {
  if (v.t === 'double') return v;
  if (v.t === 'long') return { t: 'double', v: Number(v.v) };
  const n = v.t === 'string' ? parseJavaNumber(v.v) : undefined;
  if (!n) throw invalidCast(typeName4(v), 'Double', at.arg);
  return { t: 'double', v: Number(n.v) };
};

const toInteger: Conversion = (v, at) => {
  if (v.t === 'long') return v;
  if (v.t === 'double') return { t: 'long', v: javaDoubleToLong(v.v) };
  const n = v.t === 'string' ? parseJavaNumber(v.v) : undefined;
  if (!n) throw invalidCast(typeName4(v), 'Integer', at.arg);
  return { t: 'long', v: n.t === 'long' ? n.v : javaDoubleToLong(n.v) };
};

const NS_PER_DAY = 86_400_000_000_000n;
const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

const toTime: Conversion = (v, at) => {
  switch (v.t) {
    case 'long': return { t: 'time', ns: v.v * 1_000_000n }; // milliseconds
    case 'time': return v;
    case 'date': return { t: 'time', ns: BigInt(v.days) * NS_PER_DAY };
    case 'string': return v.v === 'now' ? at.now : timeOf(v.v, at.form);
    default: return invalid(v, 'Time', at.form);
  }
};

const toDate: Conversion = (v, at) => {
  switch (v.t) {
    case 'time': return { t: 'date', days: Number(floorDiv(v.ns, NS_PER_DAY)) };
    case 'date': return v;
    case 'string': return dateOf(v.v, at.form);
    default: return invalid(v, 'Date', at.form);
  }
};

function invalid(v: V4Value, target: string, pos: Position): never {
  throw invalidCast(typeName4(v), target, pos);
}

/** Core `Casts.Field`: a `[name, value]` pair. */
function field(v: V4Value, pos: Position): [string, V4Value] {
  if (v.t === 'array' && v.v.length === 2 && v.v[0].t === 'string') return [v.v[0].v, v.v[1]];
  throw new V4Error('invalid argument', `Field/Value expected, ${typeName4(v)} provided.`, pos);
}

const toObject: Conversion = (v, at) => {
  if (v.t === 'object') return { t: 'object', v: v.v }; // a version becomes a plain object
  if (v.t !== 'array') return invalid(v, 'Object', at.arg);
  return { t: 'object', v: new Map(v.v.map((x, i) => field(x, [...at.arg, i]))) };
};

const toArray: Conversion = (v, at) => {
  if (v.t === 'array') return v;
  if (v.t !== 'object') return invalid(v, 'Array', at.arg);
  return arr4([...v.v].map(([k, x]) => arr4([str4(k), x])));
};

const toString: Conversion = (v, at) => {
  const text = toText(v);
  if (text === undefined) return invalid(v, 'String', at.form);
  return str4(text);
};

const CONVERSIONS: Readonly<Record<string, Conversion>> = {
  to_string: toString, to_number: toNumber, to_double: toDouble, to_integer: toInteger,
  to_time: toTime, to_date: toDate, to_object: toObject, to_array: toArray,
};

const TYPE_FORMS: readonly FormSpec[] = [
  ...Object.entries(CHECKS).map(([key, check]): FormSpec => ({
    keys: [key], run: async (_ev, a) => bool4(check(await a.value(key))),
  })),
  ...Object.entries(CONVERSIONS).map(([key, convert]): FormSpec => ({
    keys: [key],
    run: async (ev, a) => convert(await a.value(key), { form: a.pos, arg: a.at(key), now: { t: 'time', ns: ev.q.model.txnTs * 1000n } }),
  })),
];

/** Registers the type check and conversion forms (called by src/v4/forms/index.ts). */
export function wireTypeForms(): void {
  defineForms(TYPE_FORMS);
}
