// Validation and normalisation of collection definitions (`Collection.create({...})`,
// `coll.definition.update({...})`), following Fauna's schema for the Collection collection:
// every problem becomes a constraint failure at its path, and all of them are reported
// together. The result is the definition as stored and shown: index and constraint statuses
// added, unique constraints in their simplest form.
import type { ConstraintFailure } from '../../fql/errors';
import { QueryCheckError } from '../../fql/errors';
import { parseExpression, parseType } from '../../fql/parse/parse';
import { typeName } from '../../fql/values/construct';
import type { Value } from '../../fql/values/value';
import { parseFieldPath } from './field-path';
import { renderSummary } from '../../fql/summary';

type Path = (string | number)[];
type Failures = ConstraintFailure[];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isValidName = (s: string): boolean => IDENT.test(s) && s !== '_';

/** Members every collection module has; an index cannot take their names. */
const RESERVED_IN_COLL = new Set(['all', 'byId', 'where', 'firstWhere', 'create', 'createData', 'createAll', 'definition']);
/** Members every document has; computed and defined fields cannot take their names. */
const RESERVED_IN_DOC = new Set(['id', 'coll', 'ts', 'ttl', 'data', 'update', 'replace', 'delete', 'exists', 'updateData', 'replaceData']);

const DISALLOWED_TERMS: Record<string, string> = {
  id: '`id` is not supported as an index term, use the native byId method to look up a document by its id.',
  coll: '`coll` is not supported as an index term.',
  ts: '`ts` may only be used as an index value, not as an index term.',
};
const DISALLOWED_VALUES: Record<string, string> = { coll: '`coll` is not supported as a specified index value.' };
const DISALLOWED_UNIQUE: Record<string, string> = {
  id: '`id` is not supported as a unique constraint value.',
  coll: '`coll` is not supported as a unique constraint value.',
  ts: '`ts` is not supported as a unique constraint value.',
};

const INDEX_STATUS = 'complete';
const UNIQUE_STATUS = 'active';

/** The type Fauna names for a provided value in "Expected X, provided Y". */
function providedType(v: Value): string {
  if (v.t === 'object') {
    if (v.v.size === 0) return '{}';
    return `{ ${[...v.v].map(([k, x]) => `${k}: ${providedType(x)}`).join(', ')} }`;
  }
  if (v.t === 'array') return `[${v.v.map(providedType).join(', ')}]`;
  return typeName(v);
}

function fail(out: Failures, path: Path, message: string): void {
  out.push({ paths: [path], message });
}

const expect = (out: Failures, path: Path, expected: string, v: Value): void =>
  fail(out, path, `Expected ${expected}, provided ${providedType(v)}`);

function unexpectedFields(out: Failures, path: Path, m: ReadonlyMap<string, Value>, allowed: readonly string[]): void {
  for (const k of m.keys()) if (!allowed.includes(k)) fail(out, [...path, k], 'Unexpected field provided');
}

function validatePath(out: Failures, path: Path, text: string, disallowed: Record<string, string>): void {
  if (text === '') return fail(out, path, 'Value cannot be empty.');
  const parts = parseFieldPath(text);
  if (!parts) return fail(out, path, `Value \`${text}\` is not a valid FQL path expression.`);
  const head = parts[0];
  if (typeof head === 'string' && disallowed[head] !== undefined) fail(out, path, disallowed[head]);
}

/** A read-only status may be echoed back unchanged (definitions are often round-tripped). */
function readOnlyStatus(out: Failures, path: Path, v: Value | undefined, current: string): void {
  if (v !== undefined && v.t !== 'null' && !(v.t === 'string' && v.v === current)) {
    fail(out, path, 'Failed to update field because it is readonly');
  }
}

const str = (v: string): Value => ({ t: 'string', v });
const obj = (entries: [string, Value][]): Value => ({ t: 'object', v: new Map(entries) });

// Indexes ------------------------------------------------------------------------------------

function indexEntry(out: Failures, path: Path, v: Value, kind: 'terms' | 'values'): Value | undefined {
  if (v.t !== 'object') { expect(out, path, '{ field: String, mva: Boolean | Null }', v); return undefined; }
  const allowed = kind === 'terms' ? ['field', 'mva'] : ['field', 'mva', 'order'];
  unexpectedFields(out, path, v.v, allowed);
  const field = v.v.get('field');
  const mva = v.v.get('mva');
  const order = v.v.get('order');
  if (!field || field.t !== 'string') {
    if (!field) fail(out, [...path, 'field'], 'Missing required field of type String');
    else expect(out, [...path, 'field'], 'String', field);
    return undefined;
  }
  validatePath(out, [...path, 'field'], field.v, kind === 'terms' ? DISALLOWED_TERMS : DISALLOWED_VALUES);
  if (mva && mva.t !== 'boolean' && mva.t !== 'null') expect(out, [...path, 'mva'], 'Boolean | Null', mva);
  if (order && order.t !== 'null' && !(order.t === 'string' && (order.v === 'asc' || order.v === 'desc'))) {
    expect(out, [...path, 'order'], '"asc" | "desc" | Null', order);
  }
  const entries: [string, Value][] = [['field', field]];
  if (kind === 'values') entries.push(['order', order && order.t === 'string' ? order : str('asc')]);
  if (mva && mva.t === 'boolean') entries.push(['mva', mva]);
  return obj(entries);
}

function indexEntries(out: Failures, path: Path, v: Value, kind: 'terms' | 'values'): Value | undefined {
  if (v.t !== 'array') { expect(out, path, 'Array<Any> | Null', v); return undefined; }
  const normalized = v.v.map((e, i) => indexEntry(out, [...path, i], e, kind));
  return { t: 'array', v: normalized.filter((e): e is Value => e !== undefined) };
}

function indexDefinition(out: Failures, path: Path, v: Value): Value | undefined {
  if (v.t !== 'object') { expect(out, path, '{ *: Any }', v); return undefined; }
  unexpectedFields(out, path, v.v, ['terms', 'values', 'queryable', 'status']);
  const terms = v.v.get('terms');
  const values = v.v.get('values');
  const hasTerms = terms !== undefined && terms.t !== 'null';
  const hasValues = values !== undefined && values.t !== 'null';
  if (!hasTerms && !hasValues) {
    fail(out, path, 'Union requires fields [terms], [values], or [terms, values]');
    return undefined;
  }
  const queryable = v.v.get('queryable');
  if (queryable && queryable.t !== 'boolean' && queryable.t !== 'null') expect(out, [...path, 'queryable'], 'Boolean | Null', queryable);
  readOnlyStatus(out, [...path, 'status'], v.v.get('status'), INDEX_STATUS);
  const entries: [string, Value][] = [];
  if (hasTerms) { const t = indexEntries(out, [...path, 'terms'], terms, 'terms'); if (t) entries.push(['terms', t]); }
  if (hasValues) { const x = indexEntries(out, [...path, 'values'], values, 'values'); if (x) entries.push(['values', x]); }
  entries.push(['queryable', queryable && queryable.t === 'boolean' ? queryable : { t: 'boolean', v: true }]);
  entries.push(['status', str(INDEX_STATUS)]);
  return obj(entries);
}

/** Checks member names of `indexes`, `computed_fields` and `fields` (reported at the map). */
function memberNames(out: Failures, path: Path, m: ReadonlyMap<string, Value>, reserved: ReadonlySet<string>): void {
  for (const name of m.keys()) {
    if (!IDENT.test(name)) fail(out, path, 'Invalid identifier.');
    else if (reserved.has(name)) fail(out, path, `The name '${name}' is reserved.`);
  }
}

function indexes(out: Failures, v: Value): Value | undefined {
  if (v.t !== 'object') { expect(out, ['indexes'], '{ *: Any } | Null', v); return undefined; }
  memberNames(out, ['indexes'], v.v, RESERVED_IN_COLL);
  const m = new Map<string, Value>();
  for (const [name, def] of v.v) {
    if (def.t === 'null') continue;
    const n = indexDefinition(out, ['indexes', name], def);
    if (n) m.set(name, n);
  }
  return { t: 'object', v: m };
}

// Constraints --------------------------------------------------------------------------------

function lambdaSource(out: Failures, path: Path, v: Value | undefined, arity: number): Value | undefined {
  if (!v || v.t !== 'string') {
    if (!v) fail(out, path, 'Missing required field of type String');
    else expect(out, path, 'String', v);
    return undefined;
  }
  try {
    // A bare `.field` is not a function: short lambdas need their parentheses, `(.field)`.
    const bare = /^\s*\./.exec(v.v);
    if (bare) {
      const start = bare[0].length - 1;
      throw new QueryCheckError([{ message: 'Invalid anonymous field access', span: { start, end: v.v.trimEnd().length } }]);
    }
    const e = parseExpression(v.v, { allowShortLambda: true });
    const params = e.kind === 'lambda' ? (e.variadic ? undefined : e.params.length) : e.kind === 'shortLambda' ? 1 : -1;
    if (params === -1) fail(out, path, 'Unable to parse FQL source code.\nExpected a function.');
    else if (params !== undefined && params !== arity) {
      fail(out, path, `Invalid function arity. Expected ${arity}, but the function was defined with ${params} arguments`);
    }
  } catch (e) {
    if (!(e instanceof QueryCheckError)) throw e;
    // Fauna renders the parse errors against the stored text, named `*body*`.
    fail(out, path, `Unable to parse FQL source code.\n${renderSummary(v.v, e.diagnostics, 'error', '*body*')}`);
  }
  return v;
}

function uniqueConstraint(out: Failures, path: Path, c: ReadonlyMap<string, Value>): Value | undefined {
  unexpectedFields(out, path, c, ['unique', 'status']);
  readOnlyStatus(out, [...path, 'status'], c.get('status'), UNIQUE_STATUS);
  const u = c.get('unique')!;
  if (u.t !== 'array') { expect(out, [...path, 'unique'], 'Array<String> | Array<{ field: String, mva: Boolean | Null }>', u); return undefined; }
  const fields: { field: string; mva?: boolean }[] = [];
  for (const e of u.v) {
    const field = e.t === 'string' ? e.v : e.t === 'object' && e.v.get('field')?.t === 'string' ? (e.v.get('field') as { v: string }).v : undefined;
    if (field === undefined) { expect(out, [...path, 'unique'], 'Array<String> | Array<{ field: String, mva: Boolean | Null }>', u); return undefined; }
    validatePath(out, [...path, 'unique'], field, DISALLOWED_UNIQUE);
    const mva = e.t === 'object' ? e.v.get('mva') : undefined;
    fields.push(mva && mva.t === 'boolean' ? { field, mva: mva.v } : { field });
  }
  const simple = fields.every((f) => f.mva === undefined);
  const rendered: Value[] = fields.map((f) => simple ? str(f.field)
    : obj(f.mva === undefined ? [['field', str(f.field)]] : [['field', str(f.field)], ['mva', { t: 'boolean', v: f.mva }]]));
  return obj([['unique', { t: 'array', v: rendered }], ['status', str(UNIQUE_STATUS)]]);
}

function checkConstraint(out: Failures, path: Path, c: ReadonlyMap<string, Value>): Value | undefined {
  unexpectedFields(out, path, c, ['check']);
  const check = c.get('check')!;
  if (check.t !== 'object') { expect(out, [...path, 'check'], '{ name: String, body: String }', check); return undefined; }
  unexpectedFields(out, [...path, 'check'], check.v, ['name', 'body']);
  const name = check.v.get('name');
  if (!name || name.t !== 'string') {
    if (!name) fail(out, [...path, 'check', 'name'], 'Missing required field of type String');
    else expect(out, [...path, 'check', 'name'], 'String', name);
    return undefined;
  }
  if (!isValidName(name.v)) fail(out, [...path, 'check', 'name'], 'Invalid identifier.');
  const body = lambdaSource(out, [...path, 'check', 'body'], check.v.get('body'), 1);
  return body ? obj([['check', obj([['name', name], ['body', body]])]]) : undefined;
}

function constraints(out: Failures, v: Value): Value | undefined {
  if (v.t !== 'array') { expect(out, ['constraints'], 'Array<Any> | Null', v); return undefined; }
  const items: Value[] = [];
  v.v.forEach((c, i) => {
    const path: Path = ['constraints', i];
    if (c.t !== 'object') return expect(out, path, '{ *: Any }', c);
    const n = c.v.has('unique') ? uniqueConstraint(out, path, c.v)
      : c.v.has('check') ? checkConstraint(out, path, c.v)
      : (fail(out, path, 'Union requires fields [unique] or [check]'), undefined);
    if (n) items.push(n);
  });
  duplicateConstraints(out, items);
  return { t: 'array', v: items };
}

/**
 * Two unique constraints over the same paths (in any order, however written) or two checks
 * with one name are refused (core UniqueConstraintSpec, FQL2CheckConstraintsSpec).
 */
function duplicateConstraints(out: Failures, items: readonly Value[]): void {
  const uniques = new Set<string>();
  const checks = new Map<string, number>();
  for (const item of items) {
    if (item.t !== 'object') continue;
    const u = item.v.get('unique');
    if (u?.t === 'array') {
      const paths = u.v.map((e) => {
        const field = e.t === 'string' ? e.v : e.t === 'object' ? (e.v.get('field') as { v: string } | undefined)?.v ?? '' : '';
        const mva = e.t === 'object' && e.v.get('mva')?.t === 'boolean' && (e.v.get('mva') as { v: boolean }).v;
        const parts = parseFieldPath(field);
        const label = parts ? parts.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') : field;
        return mva ? `mva(${label})` : label;
      });
      const key = [...paths].sort().join('\u0000');
      if (uniques.has(key)) fail(out, ['constraints'], `Duplicate unique constraint on path [${paths.join(', ')}]`);
      uniques.add(key);
    }
    const check = item.v.get('check');
    const name = check?.t === 'object' ? check.v.get('name') : undefined;
    if (name?.t === 'string') checks.set(name.v, (checks.get(name.v) ?? 0) + 1);
  }
  for (const name of [...checks.keys()].sort()) {
    if (checks.get(name)! > 1) fail(out, ['constraints'], `Duplicate check constraint name '${name}'`);
  }
}

// Fields -------------------------------------------------------------------------------------

/** A computed field may not share its name with a defined field (core FQL2ComputedFieldsSpec). */
function collidingComputedFields(out: Failures, def: ReadonlyMap<string, Value>): void {
  const computed = def.get('computed_fields');
  const defined = def.get('fields');
  if (computed?.t !== 'object' || defined?.t !== 'object') return;
  for (const name of computed.v.keys()) {
    if (defined.v.has(name)) fail(out, ['computed_fields'], `Computed field '${name}' collides with a defined field`);
  }
}

function computedFields(out: Failures, v: Value): Value | undefined {
  if (v.t !== 'object') { expect(out, ['computed_fields'], '{ *: Any } | Null', v); return undefined; }
  memberNames(out, ['computed_fields'], v.v, RESERVED_IN_DOC);
  for (const [name, cf] of v.v) {
    const path: Path = ['computed_fields', name];
    if (cf.t !== 'object') { expect(out, path, '{ body: String, signature: String | Null }', cf); continue; }
    unexpectedFields(out, path, cf.v, ['body', 'signature']);
    lambdaSource(out, [...path, 'body'], cf.v.get('body'), 1);
    signature(out, [...path, 'signature'], cf.v.get('signature'), false);
  }
  return v;
}

function signature(out: Failures, path: Path, v: Value | undefined, required: boolean): void {
  if (!v || v.t === 'null') { if (required) fail(out, path, 'Missing required field of type String'); return; }
  if (v.t !== 'string') return expect(out, path, 'String', v);
  try {
    parseType(v.v);
  } catch (e) {
    if (!(e instanceof QueryCheckError)) throw e;
    fail(out, path, `Failed parsing user-provided signature.\n${e.diagnostics.map((d) => `error: ${d.message}`).join('\n')}`);
  }
}

function definedFields(out: Failures, v: Value): Value | undefined {
  if (v.t !== 'object') { expect(out, ['fields'], '{ *: Any } | Null', v); return undefined; }
  memberNames(out, ['fields'], v.v, RESERVED_IN_DOC);
  for (const [name, f] of v.v) {
    const path: Path = ['fields', name];
    if (f.t !== 'object') { expect(out, path, '{ signature: String, default: String | Null }', f); continue; }
    unexpectedFields(out, path, f.v, ['signature', 'default']);
    signature(out, [...path, 'signature'], f.v.get('signature'), true);
    const dflt = f.v.get('default');
    if (dflt && dflt.t !== 'string' && dflt.t !== 'null') expect(out, [...path, 'default'], 'String | Null', dflt);
  }
  return v;
}

const MIGRATION_SHAPES: Record<string, readonly string[]> = {
  backfill: ['field', 'value'], drop: ['field'], split: ['field', 'to'], move: ['field', 'to'], add: ['field'],
  move_conflicts: ['into'], move_wildcard: ['into'], add_wildcard: [],
};

function migrations(out: Failures, v: Value): Value | undefined {
  if (v.t !== 'array') { expect(out, ['migrations'], 'Array<Any> | Null', v); return undefined; }
  v.v.forEach((m, i) => {
    const path: Path = ['migrations', i];
    if (m.t !== 'object' || m.v.size !== 1) return fail(out, path, 'Invalid migration.');
    const [kind, body] = [...m.v][0];
    const fields = MIGRATION_SHAPES[kind];
    if (!fields) return fail(out, [...path, kind], 'Unexpected field provided');
    if (body.t !== 'object') return expect(out, [...path, kind], '{ *: Any }', body);
    unexpectedFields(out, [...path, kind], body.v, fields);
    for (const f of fields) if (!body.v.has(f)) fail(out, [...path, kind, f], 'Missing required field of type String');
  });
  return v;
}

// The whole definition -----------------------------------------------------------------------

function optionalString(out: Failures, key: string, v: Value): Value | undefined {
  if (v.t === 'string') return v;
  expect(out, [key], 'String | Null', v);
  return undefined;
}

function nonNegativeLong(out: Failures, key: string, v: Value): Value | undefined {
  if (v.t !== 'int' && v.t !== 'long') { expect(out, [key], 'Long | Null', v); return undefined; }
  if ((v.t === 'int' ? v.v : Number(v.v)) < 0) fail(out, [key], 'Non-negative value required.');
  return v;
}

const FIELD_ORDER = [
  'alias', 'history_days', 'ttl_days', 'document_ttls', 'wildcard', 'indexes', 'constraints',
  'computed_fields', 'fields', 'migrations', 'data',
] as const;

type Normalizer = (out: Failures, key: string, v: Value) => Value | undefined;
const NORMALIZERS: Record<(typeof FIELD_ORDER)[number], Normalizer> = {
  alias: optionalString,
  history_days: nonNegativeLong,
  ttl_days: nonNegativeLong,
  document_ttls: (out, key, v) => (v.t === 'boolean' ? v : (expect(out, [key], 'Boolean | Null', v), undefined)),
  wildcard: (out, key, v) => { signature(out, [key], v, false); return v; },
  indexes: (out, _key, v) => indexes(out, v),
  constraints: (out, _key, v) => constraints(out, v),
  computed_fields: (out, _key, v) => computedFields(out, v),
  fields: (out, _key, v) => definedFields(out, v),
  migrations: (out, _key, v) => migrations(out, v),
  data: (out, key, v) => (v.t === 'object' ? v : (expect(out, [key], '{ *: Any } | Null', v), undefined)),
};

/**
 * The stored form of a definition, or undefined with `failures` filled. `given` holds every
 * field but `name` (already validated); null fields are absent.
 */
export function normalizeDefinition(name: string, given: ReadonlyMap<string, Value>, failures: Failures): Map<string, Value> {
  for (const k of given.keys()) {
    if (k !== 'name' && !(FIELD_ORDER as readonly string[]).includes(k)) fail(failures, [k], 'Unexpected field provided');
  }
  const out = new Map<string, Value>([['name', str(name)]]);
  for (const key of FIELD_ORDER) {
    const v = given.get(key);
    if (v === undefined || v.t === 'null') continue;
    const n = NORMALIZERS[key](failures, key, v);
    if (n) out.set(key, n);
  }
  collidingComputedFields(failures, out);
  if (!out.has('history_days')) out.set('history_days', { t: 'int', v: 0 });
  if (!out.has('indexes')) out.set('indexes', { t: 'object', v: new Map() });
  if (!out.has('constraints')) out.set('constraints', { t: 'array', v: [] });
  return reorder(out);
}

/** Fauna shows `name` first and the retention fields before the structural ones. */
function reorder(m: Map<string, Value>): Map<string, Value> {
  const out = new Map<string, Value>([['name', m.get('name')!]]);
  for (const k of FIELD_ORDER) if (m.has(k)) out.set(k, m.get(k)!);
  return out;
}

/** Deep merge of a definition update: objects merge member by member, null removes. */
export function mergeDefinition(base: ReadonlyMap<string, Value>, patch: ReadonlyMap<string, Value>): Map<string, Value> {
  const out = new Map(base);
  for (const [k, v] of patch) {
    const prev = out.get(k);
    if (v.t === 'null') out.delete(k);
    else if (v.t === 'object' && prev?.t === 'object') out.set(k, { t: 'object', v: mergeDefinition(prev.v, v.v) });
    else out.set(k, v);
  }
  return out;
}
