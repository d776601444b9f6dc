// Defined fields (`fields: { name: { signature: "String" } }`) and the `wildcard` type,
// enforced on every document write as Fauna's schema validator (core SchemaType.validate) does:
// a defined field must hold a value of its signature (a missing one is null), nested objects
// and arrays are checked field by field and element by element, and a field that is not
// defined is refused unless a wildcard type admits it. Failures are reported per path, all at
// once.
import type { ConstraintFailure } from '../../fql/errors';
import type { TypeExpr } from '../../fql/ast/nodes';
import { parseType } from '../../fql/parse/parse';
import { typeName } from '../../fql/values/construct';
import { formatDouble } from '../../fql/values/format';
import type { Value } from '../../fql/values/value';
import type { CollectionSchema } from './schema';

const parsed = new Map<string, TypeExpr>();

/** The parsed signature (definitions are validated when stored, so it parses). */
export function signatureType(source: string): TypeExpr {
  let t = parsed.get(source);
  if (!t) parsed.set(source, (t = parseType(source)));
  return t;
}

const NUMBER_TYPES = new Set(['int', 'long', 'double']);

function builtin(name: string, v: Value): boolean | undefined {
  switch (name) {
    case 'Any': return true;
    case 'Number': return NUMBER_TYPES.has(v.t);
    case 'Int': return v.t === 'int';
    case 'Long': return v.t === 'long' || v.t === 'int';
    case 'Double': case 'Float': return v.t === 'double';
    case 'String': return v.t === 'string';
    case 'Boolean': return v.t === 'boolean';
    case 'Null': return v.t === 'null';
    case 'Time': return v.t === 'time';
    case 'Date': return v.t === 'date';
    case 'Bytes': return v.t === 'bytes';
    case 'UUID': return v.t === 'uuid';
    case 'ID': return v.t === 'string' && /^\d+$/.test(v.v);
    case 'Object': case 'Struct': return v.t === 'object';
    default: return undefined;
  }
}

/** Whether a stored value has type `t` (names other than built-ins are collections). */
export function conforms(v: Value, t: TypeExpr): boolean {
  switch (t.kind) {
    case 'typeName': {
      if (t.name === 'Array') return v.t === 'array' && (t.args.length === 0 || v.v.every((e) => conforms(e, t.args[0])));
      if (t.name === 'Ref') {
        const coll = t.args[0]?.kind === 'typeName' ? t.args[0].name : undefined;
        return (v.t === 'doc' || v.t === 'nulldoc') && (coll === undefined || v.coll === coll);
      }
      const b = builtin(t.name, v);
      return b ?? ((v.t === 'doc' || v.t === 'nulldoc') && v.coll === t.name);
    }
    case 'typeOptional': return v.t === 'null' || conforms(v, t.inner);
    case 'typeUnion': return t.members.some((m) => conforms(v, m));
    case 'typeLiteral':
      if (t.value === null) return v.t === 'null';
      if (typeof t.value === 'string') return v.t === 'string' && v.v === t.value;
      if (typeof t.value === 'boolean') return v.t === 'boolean' && v.v === t.value;
      return (v.t === 'int' || v.t === 'double') && v.v === t.value;
    case 'typeTuple': return v.t === 'array' && v.v.length === t.elements.length && t.elements.every((e, i) => conforms(v.v[i], e));
    case 'typeObject': {
      if (v.t !== 'object') return false;
      for (const f of t.fields) {
        const x = v.v.get(f.key);
        if (x === undefined ? !f.optional && !conforms({ t: 'null' }, f.type) : !conforms(x, f.type)) return false;
      }
      const known = new Set(t.fields.map((f) => f.key));
      for (const [k, x] of v.v) if (!known.has(k) && (t.wildcard === null || !conforms(x, t.wildcard))) return false;
      return true;
    }
    case 'typeFunction': return false;
  }
}

/** A type as Fauna names it in messages: `String?` is `String | Null`. */
export function typeLabel(t: TypeExpr): string {
  switch (t.kind) {
    case 'typeName': return t.args.length === 0 ? t.name : `${t.name}<${t.args.map(typeLabel).join(', ')}>`;
    case 'typeOptional': return `${typeLabel(t.inner)} | Null`;
    case 'typeUnion': return t.members.map(typeLabel).join(' | ');
    case 'typeLiteral': return typeof t.value === 'string' ? JSON.stringify(t.value) : String(t.value);
    case 'typeTuple': return `[${t.elements.map(typeLabel).join(', ')}]`;
    case 'typeObject': {
      const fields = t.fields.map((f) => `${f.key}${f.optional ? '?' : ''}: ${typeLabel(f.type)}`);
      if (t.wildcard) fields.push(`*: ${typeLabel(t.wildcard)}`);
      return `{ ${fields.join(', ')} }`;
    }
    case 'typeFunction': return `(${t.params.map(typeLabel).join(', ')}) => ${typeLabel(t.result)}`;
  }
}

/** A literal type's general type: `"gold"` is a String, `1` a Number, `true` a Boolean. */
function literalFamily(value: string | number | boolean | null, v: Value): boolean {
  if (typeof value === 'string') return v.t === 'string';
  if (typeof value === 'boolean') return v.t === 'boolean';
  if (typeof value === 'number') return NUMBER_TYPES.has(v.t);
  return false;
}

/**
 * How a value refused by a literal type is named after "provided": by its own literal when it
 * is of the literal's kind (`provided "platinum"`, not `provided String`), as core's
 * SchemaType.validate reports a singleton mismatch; otherwise by its type.
 */
function literalProvided(t: Extract<TypeExpr, { kind: 'typeLiteral' }>, v: Value): string {
  if (!literalFamily(t.value, v)) return preciseType(v);
  if (v.t === 'string') return JSON.stringify(v.v);
  return v.t === 'double' ? formatDouble(v.v) : String((v as { v: unknown }).v);
}

/** Whether the collection constrains document fields at all. */
export const hasFieldSchema = (schema: CollectionSchema): boolean =>
  schema.fields.length > 0 || schema.wildcard !== undefined;

type Path = readonly (string | number)[];

/** One way a value breaks its type, at a path (core ConstraintFailure's field failures). */
type Failure =
  | { readonly kind: 'mismatch'; readonly path: Path; readonly provided: string; readonly message: string }
  | { readonly kind: 'missing'; readonly path: Path; readonly field: string; readonly message: string }
  | { readonly kind: 'invalid' | 'other'; readonly path: Path; readonly message: string };

const samePath = (a: Path, b: Path): boolean => a.length === b.length && a.every((p, i) => p === b[i]);

/** A value's own type as messages name it: objects and arrays by their shape, as core does. */
function preciseType(v: Value): string {
  if (v.t === 'object') return v.v.size === 0 ? '{}' : `{ ${[...v.v].map(([k, x]) => `${k}: ${preciseType(x)}`).join(', ')} }`;
  if (v.t === 'array') return `[${v.v.map(preciseType).join(', ')}]`;
  return typeName(v);
}

function mismatch(path: Path, t: TypeExpr, provided: string): Failure {
  return { kind: 'mismatch', path, provided, message: `Expected ${typeLabel(t)}, provided ${provided}` };
}

/** `T?` is `T | Null` (core SchemaType.Optional appends Null). */
const NULL_TYPE: TypeExpr = signatureType('Null');

/**
 * Every way `v` at `path` breaks `t`, the way core's SchemaType.validate walks it: objects
 * field by field (provided fields in order, then the missing ones), arrays element by element,
 * unions by the heuristics of checkUnion.
 */
function validate(t: TypeExpr, path: Path, v: Value): Failure[] {
  switch (t.kind) {
    case 'typeOptional': return validateUnion(t, [t.inner, NULL_TYPE], path, v);
    case 'typeUnion': return validateUnion(t, t.members, path, v);
    case 'typeObject': return v.t === 'object' ? validateStruct(t, path, v.v) : [mismatch(path, t, preciseType(v))];
    case 'typeTuple':
      if (v.t !== 'array') return [mismatch(path, t, preciseType(v))];
      if (v.v.length !== t.elements.length) return [{ kind: 'other', path, message: 'Invalid tuple arity' }];
      return t.elements.flatMap((e, i) => validate(e, [...path, i], v.v[i]));
    case 'typeLiteral':
      if (conforms(v, t)) return [];
      return [mismatch(path, t, literalProvided(t, v))];
    case 'typeName':
      if (t.name === 'Array' && t.args.length === 1 && v.t === 'array') return v.v.flatMap((e, i) => validate(t.args[0], [...path, i], e));
      return conforms(v, t) ? [] : [mismatch(path, t, preciseType(v))];
    default:
      return conforms(v, t) ? [] : [mismatch(path, t, preciseType(v))];
  }
}

interface FieldType { readonly key: string; readonly type: TypeExpr; readonly optional: boolean }

/** A field's failures; a missing (null) value that only fails for being null is "missing". */
function validateField(path: Path, f: FieldType, v: Value | undefined): Failure[] {
  const at = [...path, f.key];
  const out = validate(f.type, at, v ?? { t: 'null' });
  if ((v === undefined || v.t === 'null') && out.length === 1 && out[0].kind === 'mismatch'
    && out[0].provided === 'Null' && samePath(out[0].path, at)) {
    return f.optional ? [] : [{ kind: 'missing', path: at, field: f.key, message: `Missing required field of type ${typeLabel(f.type)}` }];
  }
  return out;
}

function validateStruct(t: Extract<TypeExpr, { kind: 'typeObject' }>, path: Path, v: ReadonlyMap<string, Value>): Failure[] {
  const out: Failure[] = [];
  for (const [k, x] of v) {
    const f = t.fields.find((d) => d.key === k);
    if (f) out.push(...validateField(path, f, x));
    else if (t.wildcard) out.push(...validate(t.wildcard, [...path, k], x));
    else out.push({ kind: 'invalid', path: [...path, k], message: 'Unexpected field provided' });
  }
  for (const f of t.fields) if (!v.has(f.key)) out.push(...validateField(path, f, undefined));
  return out;
}

/** core checkUnion: which members' failures to report when no member accepts the value. */
function validateUnion(t: TypeExpr, members: readonly TypeExpr[], path: Path, v: Value): Failure[] {
  const checks = members.map((m) => validate(m, path, v));
  if (checks.some((c) => c.length === 0)) return [];
  const structural = checks.filter((c) => c.every((f) => !samePath(f.path, path)));
  // Extra fields every member refuses.
  const byPath = new Map<string, Failure[]>();
  for (const f of structural.flat()) {
    if (f.kind !== 'invalid') continue;
    const key = JSON.stringify(f.path);
    byPath.set(key, [...(byPath.get(key) ?? []), f]);
  }
  const invalid = [...byPath.values()].filter((fs) => fs.length === members.length).map((fs) => fs[0]);
  const missingSets: Extract<Failure, { kind: 'missing' }>[][] = [];
  for (const c of structural) {
    const m = c.filter((f): f is Extract<Failure, { kind: 'missing' }> => f.kind === 'missing');
    const key = JSON.stringify(m.map((f) => [f.path, f.field]));
    if (!missingSets.some((o) => JSON.stringify(o.map((f) => [f.path, f.field])) === key)) missingSets.push(m);
  }
  let reported = invalid;
  if (missingSets.length > 0 && !missingSets.some((m) => m.length === 0)) {
    reported = missingSets.length === 1 && missingSets[0].length === 1
      ? [...invalid, missingSets[0][0]]
      : [...invalid, { kind: 'other', path, message: unionRequires(missingSets.map((m) => m.map((f) => f.field))) }];
  }
  if (reported.length > 0) return reported;
  if (structural.length === 1) return structural[0];
  const plain = structural.filter((c) => !c.some((f) => f.kind === 'invalid' || f.kind === 'missing'));
  if (plain.length === 1) return plain[0];
  const first = checks.flat()[0];
  return [mismatch(path, t, first?.kind === 'mismatch' && samePath(first.path, path) ? first.provided : preciseType(v))];
}

/** core UnionMissingFields: "Union requires fields [a] or [b]". */
function unionRequires(sets: readonly (readonly string[])[]): string {
  const m = sets.map((s) => `[${s.join(', ')}]`);
  if (m.length === 1) return `Union requires fields ${m[0]}`;
  if (m.length === 2) return `Union requires fields ${m[0]} or ${m[1]}`;
  return `Union requires fields ${m.slice(0, -1).join(', ')}, or ${m[m.length - 1]}`;
}

/** Every way `data` breaks the collection's field definitions (empty when it conforms). */
export function fieldFailures(schema: CollectionSchema, data: ReadonlyMap<string, Value>): ConstraintFailure[] {
  const fields: FieldType[] = schema.fields.map((f) => ({ key: f.name, type: signatureType(f.signature), optional: false }));
  const computed = new Set(schema.computed.map((c) => c.name));
  const wildcard = schema.wildcard === undefined ? undefined : signatureType(schema.wildcard);
  const out: Failure[] = [];
  for (const [k, v] of data) {
    const f = fields.find((d) => d.key === k);
    if (f) out.push(...validateField([], f, v));
    else if (computed.has(k)) continue;
    else if (wildcard) out.push(...validate(wildcard, [k], v));
    else if (fields.length > 0) out.push({ kind: 'invalid', path: [k], message: 'Unexpected field provided' });
  }
  for (const f of fields) if (!data.has(f.key)) out.push(...validateField([], f, undefined));
  return out.map((f) => ({ paths: [f.path], message: f.message }));
}
