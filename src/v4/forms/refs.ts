// References (core ast Parser forms `ref`, `collection`, `database`, `index`, `function`,
// `role`, and the native collections `credentials`, `tokens`, `keys`, ...). Refs evaluate
// whether or not what they name exists; using them resolves them.
import { type Position, V4Error, invalidArgument } from '../errors';
import { type FormArgs, type FormSpec, defineForms } from '../evaluator';
import {
  type NativeName, type RefV4, type V4Value, NATIVE_COLLECTIONS, docRef, isNativeCollectionRef, nativeCollOf, nativeRef, schemaRef,
} from '../values';
import { expectString } from './args';
import { newId } from '../../model/ids';

/** A Database ref given as `scope` (or a native collection's argument); null means none. */
export function databaseScope(v: V4Value, pos: Position): RefV4 | undefined {
  if (v.t === 'null') return undefined;
  if (v.t === 'ref' && nativeCollOf(v) === 'databases') return v;
  throw invalidArgument(['Database Ref'], v, pos);
}

const MAX_ID = 2n ** 63n - 1n;

function docId(v: V4Value, pos: Position): string {
  if (v.t === 'long') {
    if (v.v < 0n) throw new V4Error('invalid argument', `Number or numeric String expected, non-numeric '${v.v}' provided.`, pos);
    return v.v.toString();
  }
  if (v.t !== 'string') throw invalidArgument(['Number', 'String'], v, pos);
  if (v.v === 'self') return v.v;
  if (!/^\d+$/.test(v.v)) throw new V4Error('invalid argument', `Number or numeric String expected, non-numeric '${v.v}' provided.`, pos);
  if (BigInt(v.v) > MAX_ID) throw new V4Error('invalid argument', `The id provided is too large: '${v.v}'`, pos);
  return BigInt(v.v).toString();
}

async function refForm(a: FormArgs): Promise<V4Value> {
  const coll = await a.value('ref');
  if (coll.t === 'string') {
    // `Ref("collections/users/1")`-style legacy strings are only valid as `@ref`.
    throw invalidArgument(['Ref'], coll, a.at('ref'));
  }
  if (coll.t !== 'ref' || !(isNativeCollectionRef(coll) || nativeCollOf(coll) === 'collections')) {
    throw invalidArgument(['Collection Ref'], coll, a.at('ref'));
  }
  const id = await a.value('id');
  return docRef(coll, docId(id, a.at('id')));
}

function schemaForm(key: string, kind: 'collections' | 'databases' | 'indexes' | 'functions' | 'roles'): FormSpec {
  return {
    keys: [key],
    optional: ['scope'],
    run: async (_ev, a) => {
      const name = expectString(await a.value(key), a.at(key));
      return schemaRef(kind, name, databaseScope(await a.value('scope'), a.at('scope')));
    },
  };
}

function nativeForm(key: string, native: NativeName): FormSpec {
  return {
    keys: [key],
    run: async (_ev, a) => nativeRef(native, databaseScope(await a.value(key), a.at(key))),
  };
}

const REF_FORMS: readonly FormSpec[] = [
  { keys: ['ref', 'id'], run: async (_ev, a) => refForm(a) },
  schemaForm('collection', 'collections'),
  schemaForm('class', 'collections'),
  schemaForm('database', 'databases'),
  schemaForm('index', 'indexes'),
  schemaForm('function', 'functions'),
  schemaForm('role', 'roles'),
  ...NATIVE_COLLECTIONS.map((n) => nativeForm(n, n)),
  nativeForm('classes', 'collections'),
  // `NewId()` (and its old name `NextId()`): a fresh document id as a string (core NewIdFunction;
  // faunadb-js test/query.test.js 'new_id').
  { keys: ['new_id'], run: async () => ({ t: 'string', v: newId() }) },
  { keys: ['next_id'], run: async () => ({ t: 'string', v: newId() }) },
];

/** Registers the reference forms (called by src/v4/forms/index.ts). */
export function wireRefForms(): void {
  defineForms(REF_FORMS);
}
