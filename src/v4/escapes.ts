// Request escapes (core ast/Parser.scala, LegacyRefParser): `@ref` (an object or a legacy
// "collections/users/1" string), `@ts`, `@date`, `@bytes`, `@uuid`, `@set`, `@query`, `@obj`.
// Inside `quote`, nothing is evaluated but escapes are still decoded.
import { parseDate, parseTime } from '../fql/values/format';
import { type Position, V4Error } from './errors';
import type { Evaluator } from './evaluator';
import type { Json } from './json';
import { isJsonObject } from './json';
import {
  type Env, type RefV4, type V4Value, NULL4, arr4, docRef, isNativeName, jsonNumber4, nativeRef, schemaRef,
} from './values';

const invalid = (what: string, pos: Position) => new V4Error('invalid expression', `Invalid ${what}.`, pos);

const SCHEMA_KINDS: Readonly<Record<string, 'collections' | 'databases' | 'indexes' | 'functions' | 'roles'>> = {
  collections: 'collections', classes: 'collections', databases: 'databases', indexes: 'indexes',
  functions: 'functions', roles: 'roles',
};

/** `collections/users/1`, `classes/users`, `databases/child`, `credentials/1`, `keys`, ... */
function legacyRef(text: string, pos: Position): RefV4 {
  const parts = text.split('/');
  const [kind, name, id] = parts;
  const schema = SCHEMA_KINDS[kind];
  if (parts.length === 1 && isNativeName(kind)) return nativeRef(kind);
  if (parts.length === 1 && kind === 'classes') return nativeRef('collections');
  if (schema && parts.length === 2) return schemaRef(schema, name);
  if (schema === 'collections' && parts.length === 3) return docRef(schemaRef('collections', name), id);
  if ((kind === 'keys' || kind === 'tokens' || kind === 'credentials') && parts.length === 2) return docRef(nativeRef(kind), name);
  throw invalid('ref', pos);
}

async function objectRef(ev: Evaluator | undefined, body: { [k: string]: Json }, env: Env, pos: Position): Promise<RefV4> {
  const id = body.id;
  if (typeof id !== 'string') throw invalid('ref', pos);
  const sub = async (k: string): Promise<RefV4 | undefined> => {
    if (!(k in body)) return undefined;
    const v = ev ? await ev.eval(body[k], env, [...pos, k]) : await decodeLiteral(undefined, body[k], [...pos, k]);
    if (v.t !== 'ref') throw invalid('ref', pos);
    return v;
  };
  const coll = await sub('collection') ?? await sub('class');
  const db = await sub('database');
  if (!coll && !db && isNativeName(id)) return nativeRef(id);
  return { t: 'ref', id, ...(coll ? { coll } : {}), ...(db ? { db } : {}) };
}

function bytes(text: Json, pos: Position): V4Value {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) throw invalid('bytes', pos);
  return { t: 'bytes', v: new Uint8Array(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64')) };
}

/**
 * Decode the escape `tag` with content `body`. With an evaluator, nested values are evaluated
 * as expressions; without one (inside `quote`), they are literals.
 */
export async function decodeEscape(ev: Evaluator | undefined, tag: string, body: Json, env: Env, pos: Position): Promise<V4Value> {
  switch (tag) {
    case '@ref':
      if (typeof body === 'string') return legacyRef(body, pos);
      if (isJsonObject(body)) return objectRef(ev, body, env, pos);
      throw invalid('ref', pos);
    case '@ts': {
      const ns = typeof body === 'string' ? parseTime(body) : undefined;
      if (ns === undefined) throw invalid('time', pos);
      return { t: 'time', ns };
    }
    case '@date': {
      const days = typeof body === 'string' ? parseDate(body) : undefined;
      if (days === undefined) throw invalid('date', pos);
      return { t: 'date', days };
    }
    case '@bytes': return bytes(body, pos);
    case '@uuid':
      if (typeof body !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(body)) throw invalid('UUID', pos);
      return { t: 'uuid', v: body.toLowerCase() };
    case '@query': {
      if (!isJsonObject(body) || !('lambda' in body) || !('expr' in body)) throw invalid('lambda', pos);
      const version = body.api_version;
      return {
        t: 'lambda', params: body.lambda, expr: body.expr, env: new Map(),
        apiVersion: typeof version === 'string' ? version : '2.12', bodyPos: [...pos, 'expr'],
      };
    }
    case '@set': {
      if (!ev) throw invalid('set', pos);
      const set = await ev.eval(body, env, pos);
      if (set.t !== 'set' && set.t !== 'ref') throw invalid('set', pos);
      return set;
    }
    case '@obj': {
      if (!isJsonObject(body)) throw invalid('object', pos);
      const out = new Map<string, V4Value>();
      for (const [k, x] of Object.entries(body)) {
        out.set(k, ev ? await ev.eval(x, env, [...pos, k]) : await decodeLiteral(undefined, x, [...pos, k]));
      }
      return { t: 'object', v: out };
    }
  }
  throw new V4Error('invalid expression', `No form/function found, or invalid argument keys: { ${tag} }.`, pos);
}

/** A `quote`d value: literal objects, escapes decoded, nothing evaluated. */
export async function decodeLiteral(ev: Evaluator | undefined, j: Json, pos: Position): Promise<V4Value> {
  if (j === null) return NULL4;
  if (typeof j === 'boolean') return { t: 'boolean', v: j };
  if (typeof j === 'string') return { t: 'string', v: j };
  if (typeof j === 'number') return jsonNumber4(j);
  if (Array.isArray(j)) {
    const out: V4Value[] = [];
    for (let i = 0; i < j.length; i++) out.push(await decodeLiteral(ev, j[i], [...pos, i]));
    return arr4(out);
  }
  const keys = Object.keys(j);
  if (keys.length === 1 && keys[0].startsWith('@')) {
    return keys[0] === '@set' ? decodeEscape(ev, '@set', j[keys[0]], new Map(), pos) : decodeEscape(undefined, keys[0], j[keys[0]], new Map(), pos);
  }
  const out = new Map<string, V4Value>();
  for (const k of keys) out.set(k, await decodeLiteral(ev, j[k], [...pos, k]));
  return { t: 'object', v: out };
}
