// Defined fields (`fields: { name: { signature: "String" } }`) and the `wildcard` type,
// enforced on every document write as Fauna's schema validator does: a defined field must
// hold a value of its signature (a missing one is null), and a field that is not defined is
// refused unless a wildcard type admits it. Failures are reported per path, all at once.
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
 * How a refused value is named after "provided": by its type, except that a value of a literal
 * type's general type is named by its own literal (`Expected "standard" | "gold", provided
 * "platinum"`, not `provided String`). Core's SchemaType.validate reports the first union
 * member's mismatch, so only the first member decides.
 */
export function providedLabel(t: TypeExpr, v: Value): string {
  switch (t.kind) {
    case 'typeLiteral':
      if (!literalFamily(t.value, v)) return typeName(v);
      if (v.t === 'string') return JSON.stringify(v.v);
      return v.t === 'double' ? formatDouble(v.v) : String((v as { v: unknown }).v);
    case 'typeUnion': return t.members.length > 0 ? providedLabel(t.members[0], v) : typeName(v);
    case 'typeOptional': return providedLabel(t.inner, v);
    default: return typeName(v);
  }
}

/** Whether the collection constrains document fields at all. */
export const hasFieldSchema = (schema: CollectionSchema): boolean =>
  schema.fields.length > 0 || schema.wildcard !== undefined;

/** Every way `data` breaks the collection's field definitions (empty when it conforms). */
export function fieldFailures(schema: CollectionSchema, data: ReadonlyMap<string, Value>): ConstraintFailure[] {
  const out: ConstraintFailure[] = [];
  const defined = new Set<string>();
  for (const f of schema.fields) {
    defined.add(f.name);
    const t = signatureType(f.signature);
    const v = data.get(f.name);
    if (v === undefined) {
      if (!conforms({ t: 'null' }, t)) out.push({ paths: [[f.name]], message: `Missing required field of type ${typeLabel(t)}` });
    } else if (!conforms(v, t)) {
      out.push({ paths: [[f.name]], message: `Expected ${typeLabel(t)}, provided ${providedLabel(t, v)}` });
    }
  }
  for (const c of schema.computed) defined.add(c.name);
  const wildcard = schema.wildcard === undefined ? undefined : signatureType(schema.wildcard);
  for (const [k, v] of data) {
    if (defined.has(k)) continue;
    if (!wildcard) {
      if (schema.fields.length > 0) out.push({ paths: [[k]], message: 'Unexpected field provided' });
    } else if (!conforms(v, wildcard)) {
      out.push({ paths: [[k]], message: `Expected ${typeLabel(wildcard)}, provided ${providedLabel(wildcard, v)}` });
    }
  }
  return out;
}
